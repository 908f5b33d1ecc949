"""Every offered language has every text German has (except the German-only staff texts)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import real_lotse
from real_lotse import ROOT

from bot.content import _flow_keys
from bot.core.texts import SYSTEM_KEYS
from bot.i18n import Catalogs
from bot.i18n.checks import GERMAN_ONLY_PREFIXES

TRANSLATIONS = [lang for lang in real_lotse.languages() if lang != "de"]


@pytest.fixture(scope="module")
def texts() -> Catalogs:
    """The shipped catalogues."""
    return real_lotse.content().texts


def _german(texts: Catalogs) -> dict[str, set[str]]:
    """German keys residents read → the placeholders each uses."""
    return {
        key: entry.placeholders()
        for key, entry in texts.catalogues["de"].entries.items()
        if not key.startswith(GERMAN_ONLY_PREFIXES)
    }


def test_no_text_a_resident_reads_is_german_only() -> None:
    """The staff prefixes stay German; no flow text and no engine text falls under them."""
    assert {"handoff.staff.", "admin."} <= set(GERMAN_ONLY_PREFIXES)
    flows = real_lotse.content().flows.flows.values()
    used = {key for flow in flows for _, key in _flow_keys(flow)} | set(SYSTEM_KEYS)
    assert not sorted(key for key in used if key.startswith(GERMAN_ONLY_PREFIXES))


def test_every_offered_language_has_a_catalogue(texts: Catalogs) -> None:
    """config.yaml offers 13 languages; each has locales/<code>.yaml."""
    assert set(real_lotse.languages()) <= set(texts.catalogues)
    assert "de" in real_lotse.languages()


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_german_key_is_translated(texts: Catalogs, language: str) -> None:
    """No key of locales/de.yaml (but the German-only ones) is missing in the language."""
    missing = sorted(set(_german(texts)) - set(texts.catalogues[language].entries))
    assert not missing


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_no_translation_of_staff_texts_or_unknown_keys(texts: Catalogs, language: str) -> None:
    """A translation holds only keys German has, and none of the German-only staff texts."""
    own = set(texts.catalogues[language].entries)
    assert not sorted(own - set(_german(texts)))


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translations_use_the_same_placeholders(texts: Catalogs, language: str) -> None:
    """A translation neither invents nor drops a ``{placeholder}`` of the German text."""
    entries = texts.catalogues[language].entries
    different = {
        key: (sorted(entries[key].placeholders()), sorted(names))
        for key, names in _german(texts).items()
        if key in entries and entries[key].placeholders() != names
    }
    assert not different


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_translated_text_is_worded(texts: Catalogs, language: str) -> None:
    """No empty text; a plural text has at least the "other" form."""
    for key, entry in texts.catalogues[language].entries.items():
        assert all(form.strip() for form in entry.forms()), key
        if not isinstance(entry.text, str):
            assert "other" in entry.text, key


def test_the_i18n_report_exits_zero() -> None:
    """`python -m bot i18n-report` runs cleanly on the shipped content."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "i18n-report"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for language in real_lotse.languages():
        assert language in result.stdout
