"""Fixtures for the directory tests: the fixed test data and a fixed clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.directory import BERLIN, PlaceDirectory, load_directory

DATA = Path(__file__).parent / "data"


Clock = Callable[..., dt.datetime]


def _moment(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def at() -> Clock:
    """Build fixed moments in Hameln, ``at(2025, 10, 31, 10)``: tests never read the clock."""
    return _moment


@pytest.fixture(scope="session")
def directory() -> PlaceDirectory:
    """The test places and quarters (tests/unit/directory/data), loaded without errors."""
    loaded, issues = load_directory([DATA / "quarters.yaml", DATA / "places.yaml"], root=DATA)
    assert loaded is not None, "\n".join(map(str, issues))
    return loaded
