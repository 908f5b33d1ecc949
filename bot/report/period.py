"""The reporting period: whole days in the bot's time zone, written as ISO dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

DEFAULT_DAYS = 30
"""Without dates a report covers the last 30 days, today included."""
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PeriodError(ValueError):
    """A date that is not YYYY-MM-DD, or a start after the end.

    ``key`` names the German message (``admin.report.<key>``) and ``params`` fill it, so the
    command line and ``/stats`` say the same.
    """

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(f"{key}: {params}")
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: date
    end: date

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """The period as ``[since, until)``: midnight of the first day, midnight after the last.

        Args:
            zone: The bot's time zone, so that a day is a day in Hameln.

        Returns:
            Two timezone-aware times.
        """
        since = datetime.combine(self.start, time(), tzinfo=zone)
        until = datetime.combine(self.end + timedelta(days=1), time(), tzinfo=zone)
        return since, until


def parse_period(start: str | None, end: str | None, today: date) -> Period:
    """Read ``--from`` and ``--to`` (either may be missing).

    Args:
        start: The first day, ``YYYY-MM-DD``; without it, 30 days up to the end.
        end: The last day, ``YYYY-MM-DD``; without it, today.
        today: Today in the bot's time zone.

    Returns:
        The period.

    Raises:
        PeriodError: A date is not a real ``YYYY-MM-DD`` date, or the start is after the end.
    """
    last = _day(end) if end is not None else today
    first = _day(start) if start is not None else last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise PeriodError("bad_order", start=first.isoformat(), end=last.isoformat())
    return Period(first, last)


def _day(value: str) -> date:
    text = value.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass  # 2026-02-30: the shape is right, the day does not exist
    raise PeriodError("bad_date", value=value)
