"""Machine translation between residents and staff, as a port (no HTTP here).

Staff work in German. A resident's message goes to staff with a German translation under
the original; a staff reply goes to the resident translated, with the German original
below. A translator may fail or be absent: then messages go untranslated and say so, and
the conversation never stops for it. The LibreTranslate client is in :mod:`translate`.
"""

from __future__ import annotations

from typing import Protocol

STAFF_LANGUAGE = "de"


class Translator(Protocol):
    """Translates a text; returns None when it cannot (never raises)."""

    async def translate(self, text: str, source: str, target: str) -> str | None:
        """Translate ``text`` from ``source`` to ``target`` (ISO 639-1 codes)."""


class NoTranslator:
    """No translation configured: everything goes untranslated."""

    async def translate(self, text: str, source: str, target: str) -> str | None:
        """Return None: there is no translation."""
        del text, source, target
        return None


async def to_staff_language(translator: Translator, text: str, language: str) -> str | None:
    """A resident's words in German, or None when not needed (German) or not available.

    Args:
        translator: The translator.
        text: What the resident wrote.
        language: The resident's language.

    Returns:
        The German translation, or None.
    """
    if language == STAFF_LANGUAGE or not text.strip():
        return None
    return await translator.translate(text, language, STAFF_LANGUAGE)


async def to_resident_language(translator: Translator, text: str, language: str) -> str | None:
    """A staff member's German words in the resident's language, or None.

    Args:
        translator: The translator.
        text: What staff wrote, in German.
        language: The resident's language.

    Returns:
        The translation, or None for a German-speaking resident or when none is available.
    """
    if language == STAFF_LANGUAGE or not text.strip():
        return None
    return await translator.translate(text, STAFF_LANGUAGE, language)
