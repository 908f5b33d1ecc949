"""Dates and times in the resident's language (CLDR patterns via Babel)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from babel import UnknownLocaleError
from babel.dates import format_date, get_day_names
from babel.dates import format_time as babel_format_time
from babel.lists import format_list

_MINUTES_PER_DAY = 24 * 60


def format_time(moment: datetime, language: str) -> str:
    """Return "16:00" (or the language's own convention)."""
    try:
        return str(babel_format_time(moment, "short", locale=language))
    except (ValueError, LookupError, UnknownLocaleError):
        return moment.strftime("%H:%M")


def format_day_time(moment: datetime, now: datetime, language: str) -> str:
    """Return "Montag 09:00" within a week, else with the date, in the resident's language."""
    pattern = "EEEE" if (moment.date() - now.date()).days < 7 else "EEEE d MMMM"
    try:
        day = str(format_date(moment, pattern, locale=language))
    except (ValueError, LookupError, UnknownLocaleError):
        day = moment.strftime("%A %d.%m.")
    return f"{day} {format_time(moment, language)}"


def weekday_name(day: int, language: str) -> str:
    """Return the full name of a weekday (Monday = 0): "Dienstag", "вівторок", "الثلاثاء"."""
    try:
        return str(get_day_names("wide", locale=language)[day])
    except (ValueError, LookupError, UnknownLocaleError):
        return str(get_day_names("wide", locale="en")[day])


def clock(minutes: int, language: str) -> str:
    """Return a time of day given in minutes after midnight, in the language's convention."""
    if minutes >= _MINUTES_PER_DAY:
        return "24:00"
    return format_time(datetime(2000, 1, 3, minutes // 60, minutes % 60), language)  # noqa: DTZ001 - a wall-clock time


def join_words(items: Sequence[str], language: str) -> str:
    """Join "A", "B", "C" as the language lists them: "A, B und C"."""
    try:
        return str(format_list(list(items), locale=language))
    except (ValueError, LookupError, UnknownLocaleError):
        return ", ".join(items)
