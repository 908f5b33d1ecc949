"""Shared fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakes import FakeDirectory, make_engine

from bot.config import LIBRARY_ENV, TELEGRAM_LIBRARIES
from bot.core.engine import Engine


@pytest.fixture
def engine() -> Engine:
    return make_engine(directory=FakeDirectory())


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that starts the bot runs once per Telegram library (issue 14), the
    end-to-end and browser tests alike."""
    if "telegram_library" in metafunc.fixturenames:
        metafunc.parametrize("telegram_library", TELEGRAM_LIBRARIES, indirect=True)


@pytest.fixture
def telegram_library(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The library every bot process of this test runs on (``LOTSE_TELEGRAM_LIBRARY``)."""
    name: str = request.param
    monkeypatch.setenv(LIBRARY_ENV, name)
    return name


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow tests first, so that with several workers (pytest-xdist) none of them is
    left running alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


pytest_plugins = ["tests.e2e.fake_bot_api"]
