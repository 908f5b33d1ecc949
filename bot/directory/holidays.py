"""Public holidays of Lower Saxony (§ 2 Abs. 1 NFeiertagsG), computed rather than listed.

Hand-written instead of using the ``holidays`` package: Lower Saxony has only ten holidays,
the rules fit in a few lines and are tested here, and the package would add a dependency whose
regional lists change with its releases (it also knows 24/31 Dec, which are *not* holidays
here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

_FIXED: tuple[tuple[int, int, str], ...] = (
    (1, 1, "Neujahrstag"),
    (5, 1, "Tag der Arbeit"),
    (10, 3, "Tag der Deutschen Einheit"),
    (12, 25, "1. Weihnachtstag"),
    (12, 26, "2. Weihnachtstag"),
)

_EASTER_RELATIVE: tuple[tuple[int, str], ...] = (
    (-2, "Karfreitag"),
    (1, "Ostermontag"),
    (39, "Christi Himmelfahrt"),
    (50, "Pfingstmontag"),
)

_REFORMATION_DAY = "Reformationstag"


def easter_sunday(year: int) -> dt.date:
    """Return Western (Gregorian) Easter Sunday of a year.

    Uses the anonymous Gregorian algorithm (Meeus/Jones/Butcher), valid for all Gregorian
    years.

    Args:
        year: The year, e.g. 2026.

    Returns:
        The date of Easter Sunday.
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> Mapping[dt.date, str]:
    """Return the statutory public holidays of Lower Saxony in a year.

    Args:
        year: The year.

    Returns:
        A read-only mapping from date to the holiday's German name, in date order.
    """
    days = {dt.date(year, month, day): name for month, day, name in _FIXED}
    easter = easter_sunday(year)
    for offset, name in _EASTER_RELATIVE:
        days[easter + dt.timedelta(days=offset)] = name
    # A state holiday since 2018; in 2017 a one-off nationwide holiday (500 years Reformation).
    if year >= 2017:
        days[dt.date(year, 10, 31)] = _REFORMATION_DAY
    return MappingProxyType(dict(sorted(days.items())))


def holiday_name(day: dt.date) -> str | None:
    """Return the name of the public holiday on a day, or None on an ordinary day.

    Args:
        day: The calendar day in Hameln.

    Returns:
        The German name, e.g. ``"Reformationstag"``, or None.
    """
    return public_holidays(day.year).get(day)
