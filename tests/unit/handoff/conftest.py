"""Fixtures for the handoff tests: fixed places, catalogues with the handoff texts, a clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.directory import PlaceDirectory, load_directory
from bot.handoff.staff_texts import STAFF_PREFIX
from bot.i18n import Catalogs, Catalogue, Entry, load_catalogues

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).parent / "data"
BERLIN = ZoneInfo("Europe/Berlin")

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)
"""A Monday morning: the treffs of the test data are open."""
SATURDAY_18 = datetime(2026, 11, 21, 18, 0, tzinfo=BERLIN)
"""A Saturday evening: everything is closed until Monday."""

RESIDENT_DE = {
    "handoff.connected": (
        "Ihre Nachricht ist bei {place} angekommen. Ein Mensch von dort antwortet Ihnen hier "
        "im Chat. Mit /bot kommen Sie zurück zu mir."
    ),
    "handoff.connected_team": (
        "Ihre Nachricht ist beim Team der Stadtteiltreffs angekommen. Ein Mensch antwortet "
        "Ihnen hier im Chat. Mit /bot kommen Sie zurück zu mir."
    ),
    "handoff.no_staff": (
        "Leider kann ich Sie gerade mit niemandem verbinden. Ich habe Ihre Anfrage gespeichert. "
        "Bitte gehen Sie zu einem Stadtteiltreff oder versuchen Sie es später noch einmal. "
        "Mit /bot kommen Sie zurück zu mir."
    ),
    "handoff.reused": (
        "Sie schreiben schon mit einem Menschen vom Stadtteiltreff. Schreiben Sie einfach weiter."
    ),
    "handoff.closed_until": (
        "Der Stadtteiltreff ist gerade geschlossen. Die Mitarbeitenden lesen Ihre Nachricht, "
        "wenn wieder geöffnet ist: {when} Uhr."
    ),
    "handoff.closed_no_date": (
        "Der Stadtteiltreff ist gerade geschlossen. Die Mitarbeitenden lesen Ihre Nachricht, "
        "sobald sie wieder da sind."
    ),
    "handoff.closed": (
        "Das Gespräch mit dem Stadtteiltreff ist beendet. Schreiben Sie /start, um wieder mit "
        "Lotse zu schreiben."
    ),
    "handoff.transferred": (
        "Ihre Anfrage ist jetzt bei {place}. Ein Mensch von dort antwortet Ihnen hier im Chat."
    ),
    "handoff.staff_says": "💬 Nachricht vom Stadtteiltreff:",
    "handoff.original": "Original auf Deutsch:",
    "handoff.untranslated": "(Diese Nachricht ist nicht übersetzt.)",
    "handoff.template.wait": (
        "Danke für Ihre Nachricht. Wir kümmern uns darum und melden uns bald bei Ihnen."
    ),
    "handoff.template.visit": (
        "Bitte kommen Sie in unsere offene Sprechstunde. Bringen Sie alle Briefe und Ihren "
        "Ausweis mit."
    ),
    "handoff.template.photo": (
        "Bitte schicken Sie uns ein Foto von dem Brief. Man muss alles gut lesen können."
    ),
    "handoff.template.call": "Bitte rufen Sie uns an. Am Telefon können wir besser sprechen.",
    "handoff.template.interpreter": (
        "Wir suchen eine Person, die Ihre Sprache spricht. Dann melden wir uns bei Ihnen."
    ),
}
"""The resident-facing German texts the tests expect, fixed here so that editing the
catalogues does not change them (locales/de.yaml has the same texts today)."""

TEST_EN = {
    "handoff.closed_until": (
        "The centre is closed right now. The staff will read your message when it opens "
        "again: {when}."
    ),
    "handoff.staff_says": "💬 Message from the centre:",
    "handoff.original": "Original in German:",
    "handoff.untranslated": "(This message is not translated.)",
    "handoff.template.wait": "Thank you for your message. We are on it and will reply soon.",
}
"""English stand-ins, to see that residents get their own language."""


@pytest.fixture(scope="session")
def directory() -> PlaceDirectory:
    """The handoff test places (tests/unit/handoff/data), loaded without errors."""
    loaded, issues = load_directory([DATA / "places.yaml"], root=DATA)
    assert loaded is not None, "\n".join(map(str, issues))
    return loaded


def _resident_handoff_key(key: str) -> bool:
    return key.startswith("handoff.") and not key.startswith(STAFF_PREFIX)


@pytest.fixture(scope="session")
def real_catalogues() -> dict[str, Catalogue]:
    """The catalogues of locales/, loaded without issues."""
    catalogues, _, issues = load_catalogues(sorted((ROOT / "locales").glob("*.yaml")), ROOT)
    assert not issues.errors, "\n".join(map(str, issues))
    return catalogues


@pytest.fixture(scope="session")
def staff_entries(real_catalogues: dict[str, Catalogue]) -> dict[str, Entry]:
    """The German staff texts (``handoff.staff.*``) of locales/de.yaml.

    The tests check the exact German that staff see, so they read it from the catalogue:
    changing a staff text there means changing the expected strings here.
    """
    return {
        key: entry
        for key, entry in real_catalogues["de"].entries.items()
        if key.startswith(STAFF_PREFIX)
    }


@pytest.fixture(scope="session")
def texts(real_catalogues: dict[str, Catalogue]) -> Catalogs:
    """The real catalogues, with the resident handoff texts replaced by the fixed ones.

    Staff texts stay as in locales/de.yaml; resident texts come from :data:`RESIDENT_DE`
    and :data:`TEST_EN` only, so e.g. Ukrainian has no handoff texts and falls back.
    """
    catalogues = dict(real_catalogues)
    for language, base in list(catalogues.items()):
        own = {k: v for k, v in base.entries.items() if not _resident_handoff_key(k)}
        catalogues[language] = replace(base, entries=own)
    for language, extra in (("de", RESIDENT_DE), ("en", TEST_EN)):
        base = catalogues.get(language) or Catalogue(language, language, "ltr", {})
        entries = {**base.entries, **{k: Entry(v) for k, v in extra.items()}}
        catalogues[language] = replace(base, entries=entries)
    return Catalogs(catalogues, ("de", "en"))
