"""The handoff use cases over a real database: routing and reuse, both relay directions, a
staff update claimed once with its effects, transfer, topic bookkeeping and close."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fakes import MONDAY_10, make_engine

from bot.config import StaffGroup
from bot.core.engine import Outcome
from bot.core.replies import HandOff
from bot.handoff.cases import Case, CaseStatus, MessageKind, ResidentKey
from bot.handoff_service import HandoffService
from bot.outbox_service import OutboxService
from bot.service import ConversationService
from bot.storage import Database

AMINA = ResidentKey("telegram", "1001")
TREFF_TEAM, OFFICE_TEAM = -1001, -1002
GROUPS = [
    StaffGroup(chat_id=TREFF_TEAM, places=["treff"]),
    StaffGroup(chat_id=OFFICE_TEAM, places=["office"]),
]
ASKS = HandOff(place_id="treff", topic="letters", answers=(("quarter", "suedstadt"),))
LATER = MONDAY_10 + timedelta(minutes=5)


def _service(db: Database, groups: list[StaffGroup] = GROUPS) -> HandoffService:
    return HandoffService(ConversationService(make_engine(), db), db, groups)


def _reply(text: str) -> list[tuple[str, str]]:
    return [("sendMessage", json.dumps({"text": text}))]


async def _opened_with_topic(cases: HandoffService, topic_id: int = 42) -> Case:
    case, _ = await cases.open(AMINA, ASKS, language="ar", quarter=None, at=MONDAY_10)
    return await cases.set_topic(case.id, topic_id, MONDAY_10)


async def _outbox(db: Database) -> list[tuple[str, str, str | None]]:
    calls = await OutboxService(db).pending()
    return [(q.chat, q.method, json.loads(q.payload).get("text")) for q in calls]


class TestResidentSide:
    async def test_a_handoff_is_routed_then_its_case_reused(self, db: Database) -> None:
        cases = _service(db)
        first, opened = await cases.open(AMINA, ASKS, language="ar", quarter=None, at=MONDAY_10)
        again, reopened = await cases.open(AMINA, ASKS, language="ar", quarter=None, at=LATER)
        assert (opened, reopened) == (True, False)
        assert (first.place_id, first.staff_chat_id, first.quarter) == (
            "treff",
            TREFF_TEAM,
            "suedstadt",
        )
        assert (again.id, again.updated_at) == (first.id, LATER)

    async def test_a_message_is_kept_only_with_an_open_case(self, db: Database) -> None:
        cases = _service(db)
        photo = {"kind": MessageKind.PHOTO, "text": None, "message_id": 5}
        assert await cases.relay_to_staff(AMINA, **photo, at=LATER) is None
        await cases.open(AMINA, ASKS, language="ar", quarter=None, at=MONDAY_10)
        case = await cases.relay_to_staff(AMINA, **photo, at=LATER)
        assert case is not None
        assert case.status is CaseStatus.WAITING_STAFF


class TestStaffSide:
    async def test_a_staff_update_is_answered_once_with_its_effects(self, db: Database) -> None:
        cases = _service(db)
        case = await _opened_with_topic(cases)
        staff = [(str(TREFF_TEAM), _reply("gespeichert"))]
        assert await cases.note(case, "ruft an", update_id=7, at=LATER, replies=staff)
        assert not await cases.note(case, "ruft an", update_id=7, at=LATER, replies=staff)
        assert await cases.case_in_topic(TREFF_TEAM, 42, update_id=7) is None  # handled
        to_resident = [(AMINA.chat_id, _reply("Guten Tag"))]
        assert await cases.relay_to_resident(
            case, "Guten Tag", staff_message_id=9, update_id=8, at=LATER, replies=to_resident
        )
        answered = await cases.case_in_topic(TREFF_TEAM, 42, update_id=9)
        assert answered is not None
        assert (answered.status, answered.first_staff_reply_at) == (
            CaseStatus.WAITING_RESIDENT,
            LATER,
        )
        assert await _outbox(db) == [
            (str(TREFF_TEAM), "sendMessage", "gespeichert"),
            (AMINA.chat_id, "sendMessage", "Guten Tag"),
        ]

    @pytest.mark.parametrize(
        ("groups", "then_to"),
        [(GROUPS, str(OFFICE_TEAM)), (GROUPS[:1], None)],
        ids=["to a place with a group", "to a place without one"],
    )
    async def test_a_transfer_calls_the_new_group_only_when_there_is_one(
        self, db: Database, groups: list[StaffGroup], then_to: str | None
    ) -> None:
        cases = _service(db, groups)
        case = await _opened_with_topic(cases)
        replies = [(str(TREFF_TEAM), _reply("weitergegeben"))]
        then = [("_transfer", json.dumps({"case_id": case.id}))]
        assert await cases.transfer(
            case, "office", update_id=7, at=LATER, replies=replies, then=then
        )
        queued = [(chat, method) for chat, method, _ in await _outbox(db)]
        expected = [(str(TREFF_TEAM), "sendMessage")]
        assert queued == expected + ([(then_to, "_transfer")] if then_to else [])
        moved = await cases.moved_case(case.id, from_topic=(TREFF_TEAM, 42))
        if then_to:  # its topic in the new group is still to be opened
            assert moved is not None
            assert (moved.place_id, moved.staff_chat_id, moved.topic_id) == (
                "office",
                OFFICE_TEAM,
                None,
            )
        else:
            assert moved is None

    async def test_a_refused_topic_is_forgotten_once(self, db: Database) -> None:
        cases = _service(db)
        case = await _opened_with_topic(cases)
        forgotten = await cases.forget_topic(TREFF_TEAM, 42)
        assert forgotten is not None
        assert (forgotten.id, forgotten.topic_id, forgotten.is_open) == (case.id, None, True)
        assert await cases.forget_topic(TREFF_TEAM, 42) is None

    async def test_close_brings_the_resident_back_in_the_same_commit(self, db: Database) -> None:
        cases = _service(db)
        case = await _opened_with_topic(cases)

        def deliver(outcome: Outcome) -> tuple[str, list[tuple[str, str]]]:
            return AMINA.chat_id, _reply(f"{len(outcome.replies)} replies")

        await cases.close(
            case,
            update_id=7,
            at=LATER,
            replies=(str(TREFF_TEAM), _reply("geschlossen")),
            deliver=deliver,
        )
        closed = await cases.case_in_topic(TREFF_TEAM, 42, update_id=8)
        assert closed is not None
        assert (closed.is_open, closed.closed_at) == (False, LATER)
        assert [chat for chat, _, _ in await _outbox(db)] == [str(TREFF_TEAM), AMINA.chat_id]
        assert await cases.moved_case(case.id, from_topic=(TREFF_TEAM, 42)) is None
