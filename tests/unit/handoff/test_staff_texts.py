"""The handoff texts in the catalogues: German-only staff texts, translated resident texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.directory import load_directory
from bot.handoff.relay import RESIDENT_KEYS
from bot.handoff.staff_texts import STAFF_PREFIX, field_label, staff_text, topic_name
from bot.i18n import Catalogs, Catalogue, load_catalogues
from bot.i18n.checks import GERMAN_ONLY_PREFIXES, check_catalogues

from .conftest import ROOT

# Where staff texts are looked up: full keys, and StaffDesk._staff("<name>").
USERS = [*sorted((ROOT / "bot" / "handoff").glob("*.py")), ROOT / "bot/channels/telegram/staff.py"]
_FULL_KEY = re.compile(r"[\"'](handoff\.staff\.[a-z_]+)[\"']")
_SHORT_KEY = re.compile(r"_staff\(\s*[\"']([a-z_]+)[\"']")


def _used_staff_keys() -> set[str]:
    keys: set[str] = set()
    for path in USERS:
        source = path.read_text(encoding="utf-8")
        keys |= set(_FULL_KEY.findall(source))
        keys |= {STAFF_PREFIX + name for name in _SHORT_KEY.findall(source)}
    return keys


def test_the_staff_prefix_is_german_only() -> None:
    assert STAFF_PREFIX in GERMAN_ONLY_PREFIXES


def test_every_staff_text_the_code_uses_is_in_german(
    real_catalogues: dict[str, Catalogue],
) -> None:
    used = _used_staff_keys()
    # Both ways of looking up are found (else the patterns above need updating).
    assert {"handoff.staff.card_title", "handoff.staff.closed_case"} <= used
    assert sorted(used - set(real_catalogues["de"].entries)) == []


def test_every_topic_of_the_directory_has_a_german_name(
    real_catalogues: dict[str, Catalogue],
) -> None:
    directory, _ = load_directory(ROOT / "places", root=ROOT)
    assert directory is not None
    german = real_catalogues["de"].entries
    assert sorted(t for t in directory.topics if f"{STAFF_PREFIX}topics.{t}" not in german) == []


def test_no_translation_has_staff_texts_and_every_one_has_the_resident_texts(
    real_catalogues: dict[str, Catalogue],
) -> None:
    german = real_catalogues["de"].entries
    resident = {k for k in german if k.startswith("handoff.") and not k.startswith(STAFF_PREFIX)}
    assert set(RESIDENT_KEYS) <= resident
    for language, catalogue in real_catalogues.items():
        if language == "de":
            continue
        assert [k for k in catalogue.entries if k.startswith(STAFF_PREFIX)] == [], language
        assert sorted(resident - set(catalogue.entries)) == [], language
        for key in resident:
            own, source = catalogue.entries[key], german[key]
            assert own.placeholders() == source.placeholders(), (language, key)


def test_lookups_read_the_german_catalogue_only(texts: Catalogs) -> None:
    assert staff_text(texts, "handoff.staff.closed_case", number="2026-0042") == (
        "✅ Fall #2026-0042 ist geschlossen. Die Person bekommt Bescheid."
    )
    assert topic_name(texts, "letters") == "Brief vom Amt"
    assert topic_name(texts, None) == "ohne Thema"
    assert topic_name(texts, "sailing") == "sailing"
    assert field_label(texts, "office") == "Brief von"
    assert field_label(texts, "custom") == "custom"


def _write(folder: Path, language: str, messages: str) -> Path:
    path = folder / f"{language}.yaml"
    path.write_text(
        f"meta:\n  language: {language}\n  name: {language}\nmessages:\n{messages}",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def small(tmp_path: Path) -> list[str]:
    """Issue codes and keys of check_catalogues over a German and an English catalogue."""
    de = _write(
        tmp_path,
        "de",
        "  handoff:\n"
        '    closed: "Beendet."\n'
        "    staff:\n"
        '      note_saved: "Notiz gespeichert."\n'
        '      closed_case: "Fall #{number} geschlossen."\n',
    )
    en = _write(
        tmp_path,
        "en",
        '  handoff:\n    staff:\n      closed_case: "Case #{number} closed."\n',
    )
    catalogues, docs, issues = load_catalogues([de, en], tmp_path)
    assert not issues.errors
    return sorted(f"{i.code} {i.message}" for i in check_catalogues(catalogues, docs))


def test_missing_staff_texts_are_fine_but_translated_ones_are_flagged(small: list[str]) -> None:
    assert small == [
        "L102 key 'handoff.closed' is not translated yet",
        "L105 key 'handoff.staff.closed_case' is German-only: staff texts are not translated",
    ]
