"""Parse the time, weekday and date notations staff write in places files.

Each parser returns a value or raises :class:`NotationError` carrying a stable issue code and
a hint that shows the corrected notation, so that a file with ``9-17`` is answered with
"write '09:00-17:00'" rather than with a parser message.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bot.directory.codes import WEEKDAYS
from bot.source.issues import did_you_mean


class NotationError(ValueError):
    """A value written in a notation the directory does not read."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class TimeRange:
    """A span within one day; ``end`` may be 24:00, written as ``end_minutes == 1440``."""

    start_minutes: int
    end_minutes: int

    @property
    def start(self) -> str:
        """The start as "HH:MM"."""
        return _hhmm(self.start_minutes)

    @property
    def end(self) -> str:
        """The end as "HH:MM" ("24:00" for midnight at the end of the day)."""
        return _hhmm(self.end_minutes)

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"


@dataclass(frozen=True)
class EventTime:
    """When an event starts and, where known, ends (minutes after midnight)."""

    start_minutes: int
    end_minutes: int | None = None

    def __str__(self) -> str:
        start = _hhmm(self.start_minutes)
        return f"{start}-{_hhmm(self.end_minutes)}" if self.end_minutes is not None else start


_RANGE = re.compile(r"^(\d{2}):(\d{2})\s*[-–]\s*(\d{2}):(\d{2})$")
_TIME = re.compile(r"^(\d{2}):(\d{2})$")
_LOOSE_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_MINUTES_PER_DAY = 24 * 60


def parse_time_range(value: Any) -> TimeRange:
    """Read an opening slot such as ``"09:00-17:00"``.

    Args:
        value: The value from the YAML file.

    Returns:
        The parsed range.

    Raises:
        NotationError: P101 for another notation, P112 when the end is not after the start.
    """
    text = str(value).strip()
    match = _RANGE.match(text) if isinstance(value, str) else None
    if match is None:
        raise NotationError("P101", f"{text!r} is not a time range HH:MM-HH:MM", _range_hint(text))
    start = _minutes(match[1], match[2], text)
    end = _minutes(match[3], match[4], text)
    if end <= start:
        raise NotationError(
            "P112",
            f"time range {text!r} ends before it starts",
            "slots cannot cross midnight: end one at 24:00 and start the next at 00:00",
        )
    return TimeRange(start, end)


def parse_event_time(value: Any) -> EventTime:
    """Read an event time: a range ``"10:00-11:30"`` or a start ``"18:00"``.

    YAML 1.1 reads an unquoted ``18:00`` as the base-60 number 1080; such numbers are turned
    back into the time they were written as.

    Args:
        value: The value from the YAML file.

    Returns:
        The start and, for a range, the end.

    Raises:
        NotationError: P101 for another notation.
    """
    if isinstance(value, int) and not isinstance(value, bool) and 60 <= value < _MINUTES_PER_DAY:
        return EventTime(value)
    text = str(value).strip()
    match = _TIME.match(text) if isinstance(value, str) else None
    if match is not None:
        return EventTime(_minutes(match[1], match[2], text))
    if isinstance(value, str) and _RANGE.match(text):
        span = parse_time_range(text)
        return EventTime(span.start_minutes, span.end_minutes)
    hint = _range_hint(text) if "-" in text or "–" in text else _time_hint(text)
    raise NotationError("P101", f"{text!r} is neither a time HH:MM nor a range HH:MM-HH:MM", hint)


def parse_days(value: Any) -> tuple[int, ...]:
    """Read weekdays: ``"tue"``, ``"mon-fri"``, ``"tue, thu"`` or a list of those.

    Args:
        value: The value from the YAML file.

    Returns:
        The weekday numbers (Monday = 0), sorted and without repeats.

    Raises:
        NotationError: P102 for a word that is not a weekday.
    """
    parts = value if isinstance(value, list) else str(value).split(",")
    days: set[int] = set()
    for part in parts:
        text = str(part).strip().casefold()
        first, dash, last = text.partition("-")
        start = parse_day(first)
        if not dash:
            days.add(start)
            continue
        stop = parse_day(last)
        # A range may wrap around the week end, e.g. "fri-mon".
        days.update((start + i) % 7 for i in range((stop - start) % 7 + 1))
    return tuple(sorted(days))


def parse_day(value: Any) -> int:
    """Read one weekday such as ``"tue"`` (English) or ``"di"`` (German).

    Args:
        value: The value from the YAML file.

    Returns:
        The weekday number (Monday = 0).

    Raises:
        NotationError: P102 for a word that is not a weekday.
    """
    text = str(value).strip().casefold().rstrip(".")
    day = WEEKDAYS.get(text) if isinstance(value, str) else None
    if day is None:
        # "Dienstag" or "tuesday": suggest the abbreviation rather than a spelling neighbour.
        hint = did_you_mean(text[:3], WEEKDAYS) or did_you_mean(text[:2], WEEKDAYS) or ""
        allowed = "weekdays are mon tue wed thu fri sat sun (or mo di mi do fr sa so)"
        raise NotationError(
            "P102", f"unknown weekday {str(value)!r}", f"{hint} {allowed}" if hint else allowed
        )
    return day


def parse_date(value: Any) -> dt.date:
    """Read a calendar date written as ``YYYY-MM-DD``.

    Args:
        value: The value from the YAML file (dates stay text when the file is read).

    Returns:
        The date.

    Raises:
        NotationError: P108 for another notation or an impossible date.
    """
    text = str(value).strip()
    german = _GERMAN_DATE.match(text)
    if german:
        day, month, year = (int(g) for g in german.groups())
        hint = f"write {f'{year:04d}-{month:02d}-{day:02d}'!r}"
        raise NotationError("P108", f"date {text!r} is not written as YYYY-MM-DD", hint)
    if not isinstance(value, str) or not _ISO_DATE.match(text):
        raise NotationError(
            "P108", f"date {text!r} is not written as YYYY-MM-DD", "for example '2025-10-31'"
        )
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        message = f"date {text!r} does not exist"
        raise NotationError("P108", message, "check day and month") from None


_YEAR = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def parse_as_of(value: Any) -> dt.date:
    """Read the date a source gives: ``2022``, ``"2022-03"`` or ``"2022-03-21"``.

    A year alone becomes 1 January and a month its first day, so that the age of a fact is
    never understated.

    Args:
        value: The value from the YAML file (a year may be a number).

    Returns:
        The earliest day the notation allows.

    Raises:
        NotationError: P121 for another notation or an impossible date.
    """
    text = str(value).strip()
    short = _YEAR.match(text) if isinstance(value, int | str) else None
    if short is not None and not isinstance(value, bool):
        month = int(short[2] or 1)
        if 1 <= month <= 12:
            return dt.date(int(short[1]), month, 1)
    if isinstance(value, str) and _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    german = _GERMAN_DATE.match(text)
    hint = (
        f"write {f'{german[3]}-{int(german[2]):02d}-{int(german[1]):02d}'!r}"
        if german
        else "a year such as 2022, a month '2022-03' or a day '2022-03-21'"
    )
    raise NotationError("P121", f"as_of {text!r} is not a year, month or day", hint)


def _minutes(hours: str, minutes: str, text: str) -> int:
    total = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or total > _MINUTES_PER_DAY:
        raise NotationError("P101", f"{text!r} contains an impossible time", "use 00:00 to 24:00")
    return total


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _range_hint(text: str) -> str:
    times = _LOOSE_TIME.findall(text)
    if len(times) == 2:
        return f"write {'-'.join(_loose(h, m) for h, m in times)!r}"
    return "write it as HH:MM-HH:MM, e.g. '09:00-17:00'"


def _time_hint(text: str) -> str:
    times = _LOOSE_TIME.findall(text)
    if len(times) == 1:
        return f"write {_loose(*times[0])!r}"
    return "write it as HH:MM, e.g. '18:00'"


def _loose(hours: str, minutes: str) -> str:
    return f"{int(hours):02d}:{minutes or '00'}"
