"""A case: one resident's conversation with the staff of a treff, and its state machine.

The state machine is a set of pure functions from a :class:`Case` to the next one; storage
persists what they return. Statuses::

    open ──resident writes──▶ waiting_staff ──staff reply──▶ waiting_resident
      │                          ▲    │                           │
      │                          │    └───────/transfer───────┐   │
      └──────────────────────────┴──────resident writes───────┴───┘
    any ──/close──▶ closed   (a closed case never opens again: asking anew opens a new case)

``first_staff_reply_at`` is set by the first staff reply and never again, so that the
"time to first staff answer" in funder reports measures how quickly someone answered, not
the latest reply.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum


class CaseStatus(StrEnum):
    """Where a case stands; who is expected to act next."""

    OPEN = "open"
    """Just opened: the card is with staff, nobody has written yet."""
    WAITING_STAFF = "waiting_staff"
    """The resident wrote last: staff should answer."""
    WAITING_RESIDENT = "waiting_resident"
    """Staff answered last."""
    CLOSED = "closed"


class Direction(StrEnum):
    """Which way a case message went."""

    TO_STAFF = "to_staff"
    """Written by the resident, relayed to the staff topic."""
    TO_RESIDENT = "to_resident"
    """Written by staff (or a template), relayed to the resident."""
    NOTE = "note"
    """A staff-internal note: never relayed."""


class MessageKind(StrEnum):
    """What a case message contains."""

    TEXT = "text"
    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"
    LOCATION = "location"


class InvalidTransitionError(ValueError):
    """The change is not allowed in the case's status (e.g. a reply to a closed case)."""


@dataclass(frozen=True)
class ResidentKey:
    """Who a case belongs to: the channel and the resident's chat id on it."""

    channel: str
    chat_id: str


@dataclass(frozen=True, kw_only=True)
class CaseRequest:
    """What is known when a resident asks for a person: the input for a new case."""

    resident: ResidentKey
    language: str
    quarter: str | None
    topic: str | None
    place_id: str | None
    staff_chat_id: int | None
    answers: tuple[tuple[str, str], ...] = ()
    """The (variable, value) pairs the resident gave in the flow, for the case card."""


@dataclass(frozen=True, kw_only=True)
class Case:
    """One handoff; a frozen value, changed only through the functions below."""

    id: int
    number: str
    """Human-friendly and unique, ``2026-0042``: staff say it on the phone."""
    resident: ResidentKey
    language: str
    quarter: str | None
    topic: str | None
    place_id: str | None
    staff_chat_id: int | None
    """The staff group; None when no group could be found (the case waits undelivered)."""
    topic_id: int | None
    """The forum topic (message thread) in the staff group; None until created."""
    status: CaseStatus
    created_at: datetime
    updated_at: datetime
    first_staff_reply_at: datetime | None = None
    closed_at: datetime | None = None
    answers: tuple[tuple[str, str], ...] = field(default=())

    @property
    def is_open(self) -> bool:
        """True until the case is closed."""
        return self.status is not CaseStatus.CLOSED

    @property
    def delivered(self) -> bool:
        """True when the case has a staff group to go to."""
        return self.staff_chat_id is not None

    @property
    def time_to_first_answer(self) -> timedelta | None:
        """How long staff took to answer first, or None while nobody has."""
        if self.first_staff_reply_at is None:
            return None
        return self.first_staff_reply_at - self.created_at

    @property
    def facts(self) -> CaseFacts:
        """The anonymous facts of the case, for statistics."""
        return CaseFacts(
            place_id=self.place_id,
            topic=self.topic,
            language=self.language,
            time_to_first_answer=self.time_to_first_answer,
        )


@dataclass(frozen=True, kw_only=True)
class CaseFacts:
    """What statistics may know of a case: also what is left of it after erasure."""

    place_id: str | None
    topic: str | None
    language: str
    time_to_first_answer: timedelta | None


@dataclass(frozen=True, kw_only=True)
class CaseStats:
    """Anonymous counts for funder reports: no resident, no text."""

    cases: int
    by_place: Mapping[str | None, int]
    by_topic: Mapping[str | None, int]
    by_language: Mapping[str, int]
    answered: int
    """Cases that got a staff answer."""
    median_first_answer: timedelta | None
    """Median time from opening to the first staff answer, over the answered cases."""


def case_number(year: int, sequence: int) -> str:
    """Format a case number: the year and a four-digit sequence within it.

    Args:
        year: The year the case was opened.
        sequence: The case's number within that year, starting at 1.

    Returns:
        ``"2026-0042"``; a year with more than 9999 cases simply gets longer numbers.
    """
    return f"{year}-{sequence:04d}"


def new_case(request: CaseRequest, *, case_id: int, number: str, now: datetime) -> Case:
    """Build the case for a request, as opened now.

    Args:
        request: What the routing decided and what the resident said in the flow.
        case_id: The storage id.
        number: The human-friendly number (see :func:`case_number`).
        now: A timezone-aware moment.

    Returns:
        An open case without a forum topic yet.
    """
    _aware(now)
    return Case(
        id=case_id,
        number=number,
        resident=request.resident,
        language=request.language,
        quarter=request.quarter,
        topic=request.topic,
        place_id=request.place_id,
        staff_chat_id=request.staff_chat_id,
        topic_id=None,
        status=CaseStatus.OPEN,
        created_at=now,
        updated_at=now,
        answers=request.answers,
    )


def on_resident_message(case: Case, now: datetime) -> Case:
    """The resident wrote: staff are expected to answer.

    Args:
        case: The case.
        now: When the message came, timezone-aware.

    Returns:
        The case waiting for staff.

    Raises:
        InvalidTransitionError: The case is closed (the caller opens a new one instead).
    """
    _require_open(case, "a resident message")
    return replace(case, status=CaseStatus.WAITING_STAFF, updated_at=_aware(now))


def on_staff_reply(case: Case, now: datetime) -> Case:
    """Staff answered the resident; the first answer's time is kept for the statistics.

    Args:
        case: The case.
        now: When staff answered, timezone-aware.

    Returns:
        The case waiting for the resident, ``first_staff_reply_at`` set if it was not.

    Raises:
        InvalidTransitionError: The case is closed.
    """
    _require_open(case, "a staff reply")
    _aware(now)
    return replace(
        case,
        status=CaseStatus.WAITING_RESIDENT,
        first_staff_reply_at=case.first_staff_reply_at or now,
        updated_at=now,
    )


def reuse(existing: Case | None, now: datetime) -> Case | None:
    """The case to continue when a resident asks for a person again, or None to open one.

    An open case is reused so staff keep one topic per resident and need not repeat
    themselves; a closed case is history, and a new request opens a new case.

    Args:
        existing: The resident's latest case, if any.
        now: When the resident asked again.

    Returns:
        The open case with ``updated_at`` moved on, or None.
    """
    if existing is None or not existing.is_open:
        return None
    return touch(existing, now)


def touch(case: Case, now: datetime) -> Case:
    """Record activity that changes no status (a note, the resident asking again)."""
    return replace(case, updated_at=_aware(now))


def close(case: Case, now: datetime) -> Case:
    """Close the case; closing a closed case changes nothing (``/close`` sent twice)."""
    _aware(now)
    if not case.is_open:
        return case
    return replace(case, status=CaseStatus.CLOSED, closed_at=now, updated_at=now)


def transfer(case: Case, *, place_id: str, staff_chat_id: int | None, now: datetime) -> Case:
    """Hand the case to another place (and maybe another staff group).

    The history stays with the case (messages belong to the case, not the topic). A new
    staff group needs a new forum topic, so ``topic_id`` is cleared; within the same group
    the topic is kept and only renamed. The new team is expected to act next.

    Args:
        case: The case.
        place_id: The new place.
        staff_chat_id: Its staff group (None when none is configured).
        now: When, timezone-aware.

    Returns:
        The case at its new place.

    Raises:
        InvalidTransitionError: The case is closed.
    """
    _require_open(case, "a transfer")
    _aware(now)
    same_group = staff_chat_id == case.staff_chat_id
    return replace(
        case,
        place_id=place_id,
        staff_chat_id=staff_chat_id,
        topic_id=case.topic_id if same_group else None,
        status=case.status if case.status is CaseStatus.OPEN else CaseStatus.WAITING_STAFF,
        updated_at=now,
    )


def with_topic(case: Case, topic_id: int, now: datetime) -> Case:
    """Remember the forum topic created for the case in its staff group."""
    return replace(case, topic_id=topic_id, updated_at=_aware(now))


def after_message(case: Case, direction: Direction, now: datetime) -> Case:
    """The status change a stored message implies (notes change only ``updated_at``)."""
    if direction is Direction.TO_STAFF:
        return on_resident_message(case, now)
    if direction is Direction.TO_RESIDENT:
        return on_staff_reply(case, now)
    return touch(case, now)


def summarize(cases: Iterable[CaseFacts]) -> CaseStats:
    """Count cases by place, topic and language and take the median first-answer time.

    Args:
        cases: The facts of the cases of the reporting period (see :attr:`Case.facts`).

    Returns:
        The anonymous statistics.
    """
    items = list(cases)
    waits = [c.time_to_first_answer for c in items if c.time_to_first_answer is not None]
    return CaseStats(
        cases=len(items),
        by_place=dict(Counter(c.place_id for c in items)),
        by_topic=dict(Counter(c.topic for c in items)),
        by_language=dict(Counter(c.language for c in items)),
        answered=len(waits),
        median_first_answer=median_duration(waits),
    )


def median_duration(durations: Iterable[timedelta]) -> timedelta | None:
    """The median of durations (to the second), or None for none."""
    seconds = [d.total_seconds() for d in durations]
    if not seconds:
        return None
    return timedelta(seconds=round(statistics.median(seconds)))


def _require_open(case: Case, what: str) -> None:
    if not case.is_open:
        msg = f"case {case.number} is closed: {what} is not possible"
        raise InvalidTransitionError(msg)


def _aware(moment: datetime) -> datetime:
    # SQLite stores wall-clock text: a naive time would silently shift by the UTC offset.
    if moment.tzinfo is None or moment.utcoffset() is None:
        msg = "case times must be timezone-aware"
        raise ValueError(msg)
    return moment
