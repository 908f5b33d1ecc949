"""The wording of relayed messages, both ways, and of the resident's handoff notices.

To staff: Telegram HTML (the original, the German translation under it). To residents:
plain text in their language, which the channel escapes like any other reply; a staff
reply shows the translation first and the German original below, so a resident with some
German, or a helper at their side, can check what was really said.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.handoff.card import escape, translated_block
from bot.handoff.cases import MessageKind
from bot.handoff.commands import TEMPLATE_PREFIX
from bot.handoff.staff_texts import staff_text
from bot.handoff.translation import STAFF_LANGUAGE
from bot.i18n import Catalogs

# Resident-facing catalogue keys (locales/*.yaml, section "handoff").
CONNECTED = "handoff.connected"
"""The request reached staff: ``{place}``."""
CONNECTED_TEAM = "handoff.connected_team"
"""The request reached the team for all requests (no place could be chosen)."""
NO_STAFF = "handoff.no_staff"
"""No staff group is configured for the request: the case waits."""
REUSED = "handoff.reused"
"""The resident asked again while a case was open."""
CLOSED = "handoff.closed"
"""Staff closed the case: how to talk to Lotse again."""
TRANSFERRED = "handoff.transferred"
"""The case went to another place: ``{place}``."""
STAFF_SAYS = "handoff.staff_says"
"""The line above a staff reply, so the resident knows a person wrote it."""
ORIGINAL = "handoff.original"
"""The label above the German original of a translated staff reply."""
UNTRANSLATED = "handoff.untranslated"
"""Under a staff reply that could not be translated."""

RESIDENT_KEYS = (
    CONNECTED,
    CONNECTED_TEAM,
    NO_STAFF,
    REUSED,
    CLOSED,
    TRANSFERRED,
    STAFF_SAYS,
    ORIGINAL,
    UNTRANSLATED,
    "handoff.closed_until",
    "handoff.closed_no_date",
)
"""Every resident-facing key this package uses (templates aside)."""

_KIND_LABELS = {
    MessageKind.PHOTO: "handoff.staff.kind_photo",
    MessageKind.DOCUMENT: "handoff.staff.kind_document",
    MessageKind.VOICE: "handoff.staff.kind_voice",
    MessageKind.LOCATION: "handoff.staff.kind_location",
}


def for_staff(
    text: str | None,
    translated: str | None,
    *,
    language: str,
    texts: Catalogs,
    kind: MessageKind = MessageKind.TEXT,
) -> str:
    """A resident's message as posted in the case topic.

    Args:
        text: The text, or the caption of a photo or document; None for media without one.
        translated: Its German translation, or None when there is none.
        language: The resident's language.
        texts: The catalogues, for the German labels.
        kind: What was sent; media get a short German marker (the media itself is copied
            by the channel).

    Returns:
        Telegram HTML.
    """
    parts = []
    if kind in _KIND_LABELS:
        parts.append(f"<i>{escape(staff_text(texts, _KIND_LABELS[kind]))}</i>")
    if text:
        parts.append(translated_block(text, translated, language=language, texts=texts))
    return "\n".join(parts)


def for_resident(text: str, translated: str | None, *, language: str, texts: Catalogs) -> str:
    """A staff reply as the resident receives it.

    Args:
        text: What staff wrote, in German.
        translated: The translation into the resident's language, or None.
        language: The resident's language.
        texts: The catalogues: ``handoff.staff_says``, ``handoff.original``,
            ``handoff.untranslated``.

    Returns:
        Plain text: the header, then the translation with the German original below, or
        the original with a note that it is not translated.
    """
    header = texts.text(language, STAFF_SAYS)
    if language == STAFF_LANGUAGE:
        return f"{header}\n{text}"
    if translated:
        return f"{header}\n{translated}\n\n{texts.text(language, ORIGINAL)}\n{text}"
    return f"{header}\n{text}\n\n{texts.text(language, UNTRANSLATED)}"


@dataclass(frozen=True)
class TemplateTexts:
    """A canned answer: what the resident gets and what staff see in the topic."""

    resident: str
    """Plain text in the resident's language (German when the catalogue lacks it)."""
    staff: str
    """Telegram HTML: "Vorlage „x“ gesendet:" and the German text."""
    translated: bool
    """False when the resident's catalogue has no such template and German was sent."""


def template_texts(key: str, *, language: str, texts: Catalogs) -> TemplateTexts:
    """Render the template ``handoff.template.<key>`` for the resident and for staff.

    Templates come from the reviewed catalogues, not from machine translation: that is
    their point.

    Args:
        key: The template name, as parsed by :func:`bot.handoff.commands.parse_staff_message`.
        language: The resident's language.
        texts: The catalogues.

    Returns:
        The texts for both sides.
    """
    full = TEMPLATE_PREFIX + key
    german = texts.text(STAFF_LANGUAGE, full)
    translated = language == STAFF_LANGUAGE or texts.has(language, full)
    header = texts.text(language, STAFF_SAYS)
    resident = f"{header}\n{texts.text(language, full)}"
    if not translated:
        resident += f"\n\n{texts.text(language, UNTRANSLATED)}"
    sent = escape(staff_text(texts, "handoff.staff.template_sent", key=key))
    return TemplateTexts(
        resident=resident, staff=f"{sent}\n{escape(german)}", translated=translated
    )
