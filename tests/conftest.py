"""Shared fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakes import FakeDirectory, make_engine

from bot.core.engine import Engine


@pytest.fixture
def engine() -> Engine:
    return make_engine(directory=FakeDirectory())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first, so that with several workers (pytest-xdist) none of them is
    left running alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


pytest_plugins = ["tests.e2e.fake_bot_api"]
