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


SPREAD = {"e2e", "browser"}
"""Folders whose tests each start their own processes: spread one by one over the workers."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """For several workers (pytest-xdist, ``--dist loadgroup``): the slow tests first, so
    that none is left running alone at the end; the other modules each on one worker, so
    that their module-scoped fixtures (content, engines, handbook runs) are built once."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    for item in items:
        if not SPREAD & set(item.path.parts):
            item.add_marker(pytest.mark.xdist_group(name=str(item.path)))


pytest_plugins = ["tests.e2e.fake_bot_api"]
