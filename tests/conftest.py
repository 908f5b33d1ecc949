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


pytest_plugins = ["tests.e2e.fake_bot_api"]
