"""Dates and times in the resident's language (CLDR patterns via Babel)."""

from __future__ import annotations

from datetime import datetime

from babel import UnknownLocaleError
from babel.dates import format_date
from babel.dates import format_time as babel_format_time


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
