"""The case state machine: pure functions from a case to the next."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.handoff import cases as machine
from bot.handoff.cases import (
    Case,
    CaseFacts,
    CaseRequest,
    CaseStatus,
    Direction,
    InvalidTransitionError,
    ResidentKey,
)

from .conftest import MONDAY_10

REQUEST = CaseRequest(
    resident=ResidentKey("telegram", "42"),
    language="ar",
    quarter="suedstadt",
    topic="letters",
    place_id="kaisers",
    staff_chat_id=-1001,
    answers=(("office", "jobcenter"),),
)


def _case(at: datetime = MONDAY_10) -> Case:
    return machine.new_case(REQUEST, case_id=7, number=machine.case_number(2026, 42), now=at)


def test_case_numbers_are_year_and_four_digits() -> None:
    assert machine.case_number(2026, 42) == "2026-0042"
    assert machine.case_number(2027, 1) == "2027-0001"
    assert machine.case_number(2026, 12345) == "2026-12345"


def test_a_new_case_is_open_without_topic() -> None:
    case = _case()
    assert (case.status, case.topic_id, case.number) == (CaseStatus.OPEN, None, "2026-0042")
    assert case.is_open
    assert case.delivered
    assert case.answers == (("office", "jobcenter"),)


def test_resident_message_waits_for_staff_and_staff_reply_for_the_resident() -> None:
    case = machine.on_resident_message(_case(), MONDAY_10 + timedelta(minutes=1))
    assert case.status is CaseStatus.WAITING_STAFF
    case = machine.on_staff_reply(case, MONDAY_10 + timedelta(minutes=30))
    assert case.status is CaseStatus.WAITING_RESIDENT
    case = machine.after_message(case, Direction.TO_STAFF, MONDAY_10 + timedelta(minutes=40))
    assert case.status is CaseStatus.WAITING_STAFF


def test_the_first_staff_answer_is_recorded_once() -> None:
    first = MONDAY_10 + timedelta(minutes=30)
    case = machine.on_staff_reply(machine.on_resident_message(_case(), MONDAY_10), first)
    case = machine.on_resident_message(case, first + timedelta(hours=1))
    case = machine.on_staff_reply(case, first + timedelta(hours=2))
    assert case.first_staff_reply_at == first
    assert case.time_to_first_answer == timedelta(minutes=30)
    assert case.updated_at == first + timedelta(hours=2)


def test_asking_again_reuses_an_open_case_but_not_a_closed_one() -> None:
    case = machine.on_resident_message(_case(), MONDAY_10)
    later = MONDAY_10 + timedelta(hours=1)
    assert machine.reuse(case, later) == machine.touch(case, later)
    assert machine.reuse(machine.close(case, later), later) is None
    assert machine.reuse(None, later) is None


def test_a_note_changes_no_status() -> None:
    case = machine.on_resident_message(_case(), MONDAY_10)
    noted = machine.after_message(case, Direction.NOTE, MONDAY_10 + timedelta(minutes=5))
    assert noted.status is CaseStatus.WAITING_STAFF
    assert noted.updated_at == MONDAY_10 + timedelta(minutes=5)


def test_close_is_final_and_idempotent() -> None:
    closed = machine.close(_case(), MONDAY_10 + timedelta(hours=1))
    assert (closed.status, closed.closed_at) == (CaseStatus.CLOSED, MONDAY_10 + timedelta(hours=1))
    assert not closed.is_open
    assert machine.close(closed, MONDAY_10 + timedelta(hours=2)) == closed
    with pytest.raises(InvalidTransitionError, match="2026-0042 is closed"):
        machine.on_resident_message(closed, MONDAY_10)
    with pytest.raises(InvalidTransitionError):
        machine.on_staff_reply(closed, MONDAY_10)
    with pytest.raises(InvalidTransitionError):
        machine.transfer(closed, place_id="migration", staff_chat_id=-1002, now=MONDAY_10)


def test_transfer_to_another_group_needs_a_new_topic_and_keeps_the_rest() -> None:
    answered = machine.on_staff_reply(
        machine.with_topic(_case(), 555, MONDAY_10), MONDAY_10 + timedelta(minutes=3)
    )
    moved = machine.transfer(
        answered, place_id="migration", staff_chat_id=-1002, now=MONDAY_10 + timedelta(hours=1)
    )
    assert (moved.place_id, moved.staff_chat_id, moved.topic_id) == ("migration", -1002, None)
    assert moved.status is CaseStatus.WAITING_STAFF
    assert moved.first_staff_reply_at == answered.first_staff_reply_at
    assert (moved.id, moved.number, moved.answers) == (
        answered.id,
        answered.number,
        REQUEST.answers,
    )


def test_transfer_within_the_group_keeps_the_topic_and_an_open_case_stays_open() -> None:
    case = machine.with_topic(_case(), 555, MONDAY_10)
    moved = machine.transfer(case, place_id="nordtreff", staff_chat_id=-1001, now=MONDAY_10)
    assert (moved.topic_id, moved.status) == (555, CaseStatus.OPEN)


def test_times_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        machine.on_resident_message(_case(), datetime(2026, 11, 23, 10))  # noqa: DTZ001


def test_summary_counts_and_takes_the_median_first_answer() -> None:
    facts = [
        CaseFacts(place_id="kaisers", topic="letters", language="ar", time_to_first_answer=None),
        CaseFacts(
            place_id="kaisers", topic="debts", language="uk", time_to_first_answer=timedelta(0)
        ),
        CaseFacts(
            place_id=None, topic="letters", language="ar", time_to_first_answer=timedelta(hours=2)
        ),
        CaseFacts(
            place_id="migration",
            topic=None,
            language="de",
            time_to_first_answer=timedelta(hours=3),
        ),
    ]
    stats = machine.summarize(facts)
    assert stats.cases == 4
    assert stats.answered == 3
    assert stats.median_first_answer == timedelta(hours=2)
    assert stats.by_place == {"kaisers": 2, None: 1, "migration": 1}
    assert stats.by_topic == {"letters": 2, "debts": 1, None: 1}
    assert stats.by_language == {"ar": 2, "uk": 1, "de": 1}
    assert machine.summarize([]).median_first_answer is None
