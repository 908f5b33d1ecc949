"""The real German catalogue and places, for reports as staff and funders see them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.directory import load_directory
from bot.i18n import Catalogs, load_catalogues
from bot.report import Names

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def texts() -> Catalogs:
    catalogues, _, issues = load_catalogues([ROOT / "locales" / "de.yaml"], ROOT)
    assert not issues.errors, "\n".join(map(str, issues))
    return Catalogs(catalogues, ("de",))


@pytest.fixture(scope="session")
def names() -> Names:
    directory, issues = load_directory(ROOT / "places")
    assert directory is not None, "\n".join(map(str, issues))
    return Names.of(directory)
