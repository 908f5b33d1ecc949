"""What staff see: the forum topic title and the case card, in German, as Telegram HTML.

Every value a resident, staff member or data file supplied is escaped here; the only
markup is the ``<b>``/``<i>`` this module adds around escaped values.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import datetime

from bot.core.ports import Directory, OpeningStatus
from bot.handoff.cases import Case
from bot.handoff.staff_texts import (
    ANSWER_VALUE_KEYS,
    HIDDEN_VARIABLES,
    field_label,
    staff_text,
    topic_name,
)
from bot.handoff.translation import STAFF_LANGUAGE
from bot.i18n import Catalogs
from bot.i18n.catalog import language_name
from bot.i18n.format import format_day_time, format_time

TOPIC_TITLE_MAX = 128
"""Telegram's limit for a forum topic name."""

_SEPARATOR = " · "
# Button labels start with an emoji ("✉️ Brief vom Amt"); on the card it is only noise.
_LEADING_SYMBOLS = re.compile(r"^[^\w„\"(]+")


def escape(text: str) -> str:
    """Escape text for Telegram's HTML parse mode (as the Telegram renderer does)."""
    return html.escape(text, quote=False)


def topic_title(case: Case, directory: Directory, *, texts: Catalogs) -> str:
    """The forum topic name, for triage at a glance.

    Args:
        case: The case.
        directory: For the German name of the quarter.
        texts: The catalogues, for the German name of the topic.

    Returns:
        ``"#2026-0042 · AR · Südstadt · Brief vom Amt"``, at most 128 characters; an unknown
        quarter is left out. Plain text: topic names are not HTML.
    """
    parts = [f"#{case.number}", case.language.upper()]
    if case.quarter:
        parts.append(quarter_name(case.quarter, directory))
    parts.append(topic_name(texts, case.topic))
    title = _SEPARATOR.join(parts)
    if len(title) > TOPIC_TITLE_MAX:
        title = title[: TOPIC_TITLE_MAX - 1].rstrip() + "…"
    return title


def case_card(
    case: Case,
    *,
    directory: Directory,
    texts: Catalogs,
    now: datetime,
    typed: str | None = None,
    translated: str | None = None,
) -> str:
    """The case card posted first in the case topic.

    Args:
        case: The case, with its answers from the flow.
        directory: For the place, its opening status and quarter names.
        texts: The catalogues: the German staff texts and the labels of the answers.
        now: The moment, timezone-aware, for the opening status.
        typed: What the resident typed that led to the handoff, if anything. Note that
            :attr:`bot.core.replies.HandOff.text` is Lotse's reply, not the resident's words.
        translated: The German machine translation of ``typed``; None when there is none
            (the card then says "nicht übersetzt" for a resident who does not write German).

    Returns:
        Telegram HTML.
    """

    def line(key: str, **params: object) -> str:
        return escape(staff_text(texts, key, **params))

    lines = [
        f"<b>{line('handoff.staff.card_title', number=case.number)}</b>",
        line("handoff.staff.card_language", language=_language(case.language)),
    ]
    if case.quarter:
        quarter = quarter_name(case.quarter, directory)
        lines.append(line("handoff.staff.card_quarter", quarter=quarter))
    lines.append(line("handoff.staff.card_topic", topic=topic_name(texts, case.topic)))
    lines.append(escape(place_line(case.place_id, directory, now, texts=texts)))
    answers = answer_lines(case.answers, texts=texts, directory=directory)
    if answers:
        lines += ["", f"<b>{line('handoff.staff.card_answers')}</b>", *answers]
    if typed:
        lines += ["", f"<b>{line('handoff.staff.card_message')}</b>"]
        lines.append(translated_block(typed, translated, language=case.language, texts=texts))
    lines += ["", f"<i>{line('handoff.staff.card_help')}</i>"]
    return "\n".join(lines)


def translated_block(
    original: str, translated: str | None, *, language: str, texts: Catalogs
) -> str:
    """A resident's words for staff: the original, and the German translation below it.

    Args:
        original: What the resident wrote.
        translated: The German translation, or None when there is none.
        language: The resident's language; German needs no translation.
        texts: The catalogues, for the German labels.

    Returns:
        Telegram HTML: the original; then the translation in italics under its label, or
        "(nicht übersetzt)".
    """
    block = escape(original)
    if language == STAFF_LANGUAGE:
        return block
    if translated:
        label = escape(staff_text(texts, "handoff.staff.translation"))
        return f"{block}\n<i>{label}:</i>\n<i>{escape(translated)}</i>"
    return f"{block}\n<i>{escape(staff_text(texts, 'handoff.staff.untranslated'))}</i>"


def place_line(
    place_id: str | None, directory: Directory, now: datetime, *, texts: Catalogs
) -> str:
    """The place and its opening status for staff, or the no-place line (plain text).

    Args:
        place_id: The case's place, or None.
        directory: The places.
        now: The moment for the opening status.
        texts: The catalogues, for the German wording.

    Returns:
        E.g. "Ort: Treff Süd (jetzt geöffnet bis 16:00)".
    """
    place = directory.place(place_id) if place_id else None
    if place_id is None:
        return staff_text(texts, "handoff.staff.card_no_place")
    name = place.name if place else place_id
    status = opening_phrase(directory.status(place_id, now), now, texts=texts)
    return staff_text(texts, "handoff.staff.card_place", place=name, status=status)


def opening_phrase(status: OpeningStatus, now: datetime, *, texts: Catalogs) -> str:
    """The opening status for staff, in German.

    Args:
        status: The directory's status of the place at ``now``.
        now: The moment it was computed for, so "Montag" is relative to today.
        texts: The catalogues, for the German wording.

    Returns:
        "jetzt geöffnet bis 16:00", "geschlossen, öffnet Montag 09:00" or
        "Öffnungszeiten unbekannt".
    """
    if not status.known:
        return staff_text(texts, "handoff.staff.hours_unknown")
    if status.open_now:
        if status.closes_at is None:
            return staff_text(texts, "handoff.staff.open")
        time = format_time(status.closes_at, STAFF_LANGUAGE)
        return staff_text(texts, "handoff.staff.open_until", time=time)
    if status.next_open is None:
        return staff_text(texts, "handoff.staff.closed")
    when = format_day_time(status.next_open, now, STAFF_LANGUAGE)
    return staff_text(texts, "handoff.staff.closed_opens", when=when)


def answer_lines(
    answers: Sequence[tuple[str, str]], *, texts: Catalogs, directory: Directory
) -> list[str]:
    """The resident's answers in the flow, one escaped "• Label: value" line each.

    Known variables get their German label and the German button label of the value;
    anything else is shown as stored. Variables the card shows elsewhere are left out.

    Args:
        answers: (variable, value) pairs, as in :attr:`bot.core.replies.HandOff.answers`.
        texts: The catalogues, for the German button labels.
        directory: For quarter names.

    Returns:
        Telegram HTML lines.
    """
    lines = []
    for variable, value in answers:
        if variable in HIDDEN_VARIABLES or variable.startswith("_") or not value:
            continue
        label, shown = answer_text(variable, value, texts=texts, directory=directory)
        lines.append(f"• {escape(label)}: {escape(shown)}")
    return lines


def answer_text(
    variable: str, value: str, *, texts: Catalogs, directory: Directory
) -> tuple[str, str]:
    """The German label and value of one answer (plain text).

    Args:
        variable: The flow variable, e.g. ``office``.
        value: Its value, e.g. ``jobcenter``.
        texts: The catalogues.
        directory: For quarter names.

    Returns:
        E.g. ``("Brief von", "Jobcenter")``; the raw variable and value when unknown.
    """
    label = field_label(texts, variable)
    if variable == "quarter":
        return label, quarter_name(value, directory)
    for key in _value_keys(variable, value):
        if texts.has(STAFF_LANGUAGE, key):
            return label, _LEADING_SYMBOLS.sub("", texts.text(STAFF_LANGUAGE, key))
    return label, value


def quarter_name(quarter: str, directory: Directory) -> str:
    """The German name of a quarter id, from the directory; the id when unknown."""
    for info in directory.quarters():
        if info.id == quarter:
            return info.name
    return quarter


def _value_keys(variable: str, value: str) -> list[str]:
    keys = []
    template = ANSWER_VALUE_KEYS.get(variable)
    if template:
        keys.append(template.format(value=value))
    if variable.endswith("_need"):
        keys.append(f"{variable.removesuffix('_need')}.opt_{value}")
    if keys:
        # Shared options ("person") live under common.*; only for variables of a question,
        # so that free text such as a street is never looked up as a key.
        keys.append(f"common.opt_{value}")
    return keys


def _language(code: str) -> str:
    return f"{language_name(code, STAFF_LANGUAGE)} ({code})"
