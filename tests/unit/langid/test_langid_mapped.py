"""The n-gram model mapped from a cache folder scores exactly like the loaded one."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from py3langid import __version__

from bot.langid import OFFERED_LANGUAGES, LanguageIdentifier
from bot.langid.model import _load_identifier

SAMPLES = [
    ("Ich habe einen Brief vom Jobcenter bekommen", None),
    ("У меня проблема с квартирой", "ru"),
    ("Мені потрібна допомога з документами", None),
    ("من نامه از اداره کار گرفتم", None),
    ("Dobar dan, treba mi pomoć oko stana", None),  # Croatian: not offered
    ("ok", "de"),
]


def test_mapped_model_detects_exactly_like_the_loaded_one(tmp_path: Path) -> None:
    loaded = LanguageIdentifier(OFFERED_LANGUAGES)
    unpacking = LanguageIdentifier(OFFERED_LANGUAGES, cache=tmp_path)
    assert (tmp_path / f"langid-{__version__}" / "nextmove.bin").exists()
    _load_identifier.cache_clear()  # as in a new process, which finds the unpacked files
    mapped = LanguageIdentifier(OFFERED_LANGUAGES, cache=tmp_path)
    assert type(mapped._model._identifier.tk_nextmove).__name__ == "memoryview"
    for text, hint in SAMPLES:
        assert (
            mapped.detect(text, hint) == loaded.detect(text, hint) == unpacking.detect(text, hint)
        )


def test_unreadable_cache_is_unpacked_anew(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / f"langid-{__version__}"
    folder.mkdir()
    (folder / "rest.npz").write_bytes(b"not a zip file")
    with caplog.at_level(logging.WARNING):
        detector = LanguageIdentifier(["de", "en"], cache=tmp_path)
    assert "unreadable" in caplog.text
    assert detector.detect("Ich brauche einen Termin beim Arzt").language == "de"


def test_unwritable_cache_only_costs_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    with caplog.at_level(logging.WARNING):
        detector = LanguageIdentifier(["de", "en"], cache=blocked)
    assert "not unpacked" in caplog.text
    assert detector.detect("I need help with a letter").language == "en"
