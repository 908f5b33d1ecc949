"""What to tell a resident who asks for a person while the place is closed.

Staff read the message when the place opens again; until then the resident gets the next
opening time in their own language and the emergency numbers, because someone writing at
night may be in danger and must not wait for the morning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.ports import OpeningStatus
from bot.i18n import Catalogs
from bot.i18n.format import format_day_time


@dataclass(frozen=True)
class OutOfHours:
    """The notice for a resident; ``next_open`` is None when no opening is known."""

    text: str
    next_open: datetime | None


def out_of_hours(
    status: OpeningStatus, *, now: datetime, language: str, texts: Catalogs
) -> OutOfHours | None:
    """The notice for a resident whose place is closed now, or None when it is open.

    Args:
        status: The place's opening status at ``now`` (``Directory.status``).
        now: The moment, timezone-aware, so "Monday" is relative to today.
        language: The resident's language.
        texts: The catalogues: ``handoff.closed_until`` (with ``{when}``),
            ``handoff.closed_no_date`` and ``emergency.numbers``.

    Returns:
        None when the place is open or its hours are unknown (nothing certain to say: the
        handoff text already says that an answer may take a while); else the notice.
    """
    if not status.known or status.open_now:
        return None
    emergency = texts.text(language, "emergency.numbers")
    if status.next_open is None:
        return OutOfHours(f"{texts.text(language, 'handoff.closed_no_date')}\n\n{emergency}", None)
    when = format_day_time(status.next_open, now, language)
    notice = texts.text(language, "handoff.closed_until", when=when)
    return OutOfHours(f"{notice}\n\n{emergency}", status.next_open)
