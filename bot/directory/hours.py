"""Whether a place is open at a moment, from weekly slots, closures and public holidays.

All times are Europe/Berlin wall-clock times. Callers pass the moment in; nothing here reads
the clock, so the engine stays pure and tests use a fixed time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.core.ports import OpeningStatus
from bot.directory.holidays import holiday_name
from bot.directory.model import OfferSlot, Place, Slot

BERLIN = ZoneInfo("Europe/Berlin")
"""The time zone of every time in the places files."""

SEARCH_DAYS = 14
"""How many days :func:`opening_status` looks ahead (enough for Easter and Christmas)."""

CLOSED_FOR_HOLIDAY = "holiday"
"""``closed_reason`` when a place would be open today but it is a public holiday."""

CLOSED_FOR_CLOSURE = "closure"
"""``closed_reason`` when a place would be open today but is closed by a listed closure."""

Span = tuple[dt.datetime, dt.datetime]


def opening_status(place: Place, at: dt.datetime, audience: str | None = None) -> OpeningStatus:
    """Return whether a place is open at a moment, and when that changes.

    Args:
        place: The place.
        at: The moment; must be timezone-aware (any zone, it is converted to Berlin time).
        audience: The resident's audience; slots reserved for another audience are ignored,
            slots without an audience always count.

    Returns:
        The status. ``known`` is False when the place has no hours; ``next_open`` is None when
        nothing opens within :data:`SEARCH_DAYS` days.

    Raises:
        ValueError: When ``at`` is a naive datetime.
    """
    if at.utcoffset() is None:
        msg = f"opening_status needs a timezone-aware datetime, got {at!r}"
        raise ValueError(msg)
    verified = place.provenance.last_verified is not None
    if place.always_open:
        return OpeningStatus(known=True, open_now=True, verified=verified)
    if not place.hours:
        return OpeningStatus(known=False, verified=verified)
    slots = [s for s in place.hours if s.audience is None or s.audience == audience]
    now = at.astimezone(BERLIN)
    today = now.date()
    for offset in range(SEARCH_DAYS + 1):
        for start, end in day_spans(place, slots, today + dt.timedelta(days=offset)):
            if end <= now:
                continue
            if start <= now:
                return OpeningStatus(
                    known=True, open_now=True, closes_at=end, next_close=end, verified=verified
                )
            return OpeningStatus(
                known=True,
                next_open=start,
                next_close=end,
                verified=verified,
                closed_reason=closed_reason(place, slots, today),
            )
    return OpeningStatus(
        known=True, verified=verified, closed_reason=closed_reason(place, slots, today)
    )


def day_spans(place: Place, slots: Sequence[Slot], day: dt.date) -> list[Span]:
    """Return the opening spans of one day, merged where slots overlap or touch.

    Args:
        place: The place (for holidays and closures).
        slots: The slots that apply (already filtered by audience).
        day: The calendar day in Hameln.

    Returns:
        Sorted (start, end) pairs of Berlin-time datetimes; empty when closed all day.
    """
    if closed_reason(place, slots, day) is not None:
        return []
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=BERLIN)
    spans = sorted(
        (
            midnight + dt.timedelta(minutes=slot.time.start_minutes),
            midnight + dt.timedelta(minutes=slot.time.end_minutes),
        )
        for slot in slots
        if day.weekday() in slot.days
    )
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def closed_reason(place: Place, slots: Sequence[Slot], day: dt.date) -> str | None:
    """Return why a place that has slots on this weekday is closed on this day, if it is.

    Args:
        place: The place.
        slots: The slots that apply.
        day: The calendar day in Hameln.

    Returns:
        :data:`CLOSED_FOR_HOLIDAY`, :data:`CLOSED_FOR_CLOSURE`, or None when the day is an
        ordinary day for this place (including days it never opens).
    """
    if not any(day.weekday() in slot.days for slot in slots):
        return None
    if not place.open_on_holidays and holiday_name(day) is not None:
        return CLOSED_FOR_HOLIDAY
    if any(c.start <= day <= c.last_day for c in place.closures):
        return CLOSED_FOR_CLOSURE
    return None


def next_occurrence(slot: OfferSlot, at: dt.datetime) -> dt.datetime | None:
    """Return when an offer's slot next starts at or after a moment.

    Args:
        slot: The slot; one whose rhythm the source leaves open (``every_week: false``) has
            no computable date.
        at: The moment (timezone-aware).

    Returns:
        The next start in Berlin time (midnight when the slot has no time), or None.
    """
    if not slot.every_week:
        return None
    now = at.astimezone(BERLIN)
    start_minutes = slot.time.start_minutes if slot.time else 0
    # Six weeks always contain the n-th (or last) weekday of at least one more month.
    for offset in range(43):
        day = now.date() + dt.timedelta(days=offset)
        if day.weekday() not in slot.days or not _is_nth(day, slot.nth):
            continue
        start = dt.datetime.combine(day, dt.time(), tzinfo=BERLIN)
        start += dt.timedelta(minutes=start_minutes)
        if start >= now:
            return start
    return None


def _is_nth(day: dt.date, nth: int | None) -> bool:
    if nth is None:
        return True
    if nth == -1:
        return (day + dt.timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 + 1 == nth
