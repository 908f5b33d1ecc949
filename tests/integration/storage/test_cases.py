"""Handoff cases on a real SQLite file, and on PostgreSQL when it answers on 127.0.0.1:5432."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.handoff.cases import (
    CaseRequest,
    CaseStatus,
    Direction,
    InvalidTransitionError,
    MessageKind,
    ResidentKey,
)
from bot.storage import Database
from bot.storage.case_tables import CaseMessageRow, CaseRow
from bot.storage.cases import CaseNotFoundError, CaseStore

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)
AMINA = ResidentKey("telegram", "1001")
OLEH = ResidentKey("telegram", "1002")


def _request(resident: ResidentKey = AMINA, **changes: Any) -> CaseRequest:
    values: dict[str, Any] = {
        "resident": resident,
        "language": "ar",
        "quarter": "suedstadt",
        "topic": "letters",
        "place_id": "kaisers",
        "staff_chat_id": -1001,
        "answers": (("office", "jobcenter"), ("street", "Kaiserstraße")),
    }
    return CaseRequest(**{**values, **changes})


async def _open(db: Database, request: CaseRequest, at: datetime = MONDAY_10) -> int:
    async with db.unit() as unit:
        case, created = await CaseStore(unit.db).open_or_reuse(request, at)
    assert created
    return case.id


async def _messages(db: Database, case_id: int) -> list[CaseMessageRow]:
    """A case's stored messages, oldest first (only retention and erasure read them)."""
    query = select(CaseMessageRow).where(CaseMessageRow.case_id == case_id)
    async with db.unit() as unit:
        return list((await unit.db.execute(query.order_by(CaseMessageRow.id))).scalars())


class TestOpening:
    async def test_open_then_reuse_while_open(self, db: Database) -> None:
        async with db.unit() as unit:
            first, created = await CaseStore(unit.db).open_or_reuse(_request(), MONDAY_10)
        assert created
        assert (first.number, first.status) == ("2026-0001", CaseStatus.OPEN)
        later = MONDAY_10 + timedelta(minutes=5)
        async with db.unit() as unit:
            again, created = await CaseStore(unit.db).open_or_reuse(_request(topic="debts"), later)
        assert not created
        assert (again.id, again.number, again.topic, again.updated_at) == (
            first.id,
            "2026-0001",
            "letters",
            later,
        )

    async def test_round_trip_keeps_every_field_and_aware_times(self, db: Database) -> None:
        case_id = await _open(db, _request())
        async with db.unit() as unit:
            case = await CaseStore(unit.db).get(case_id)
        assert case is not None
        assert case.resident == AMINA
        assert (case.language, case.quarter, case.topic, case.place_id) == (
            "ar",
            "suedstadt",
            "letters",
            "kaisers",
        )
        assert (case.staff_chat_id, case.topic_id) == (-1001, None)
        assert case.answers == (("office", "jobcenter"), ("street", "Kaiserstraße"))
        assert case.created_at == MONDAY_10
        assert case.created_at.tzinfo is not None

    async def test_numbers_count_per_year(self, db: Database) -> None:
        await _open(db, _request(AMINA))
        await _open(db, _request(OLEH))
        new_year = datetime(2027, 1, 1, 0, 30, tzinfo=BERLIN)  # still 2026 in UTC
        third = await _open(db, _request(ResidentKey("telegram", "3")), new_year)
        async with db.unit() as unit:
            store = CaseStore(unit.db)
            cases = [await store.get(i) for i in (1, 2, third)]
        assert [c.number if c else None for c in cases] == ["2026-0001", "2026-0002", "2027-0001"]

    async def test_a_closed_case_is_not_reused(self, db: Database) -> None:
        first = await _open(db, _request())
        async with db.unit() as unit:
            await CaseStore(unit.db).close(first, MONDAY_10 + timedelta(hours=1))
        async with db.unit() as unit:
            store = CaseStore(unit.db)
            assert await store.get_open_for_resident(AMINA) is None
            second, created = await store.open_or_reuse(_request(), MONDAY_10 + timedelta(hours=2))
        assert created
        assert second.id != first
        assert second.number == "2026-0002"

    async def test_unknown_ids(self, db: Database) -> None:
        async with db.unit() as unit:
            store = CaseStore(unit.db)
            assert await store.get(404) is None
            with pytest.raises(CaseNotFoundError):
                await store.close(404, MONDAY_10)


class TestTopicsAndMessages:
    async def test_find_a_case_by_its_forum_topic(self, db: Database) -> None:
        case_id = await _open(db, _request())
        await _open(db, _request(OLEH))
        async with db.unit() as unit:
            with_topic = await CaseStore(unit.db).set_topic(case_id, 77, MONDAY_10)
        assert with_topic.topic_id == 77
        async with db.unit() as unit:
            store = CaseStore(unit.db)
            found = await store.get_by_topic(-1001, 77)
            assert found is not None
            assert found.id == case_id
            assert await store.get_by_topic(-1002, 77) is None
            assert await store.get_by_topic(-1001, 78) is None

    async def test_messages_drive_the_status_and_the_first_answer(self, db: Database) -> None:
        case_id = await _open(db, _request())
        first_answer = MONDAY_10 + timedelta(minutes=20)
        async with db.unit() as unit:
            store = CaseStore(unit.db)
            case = await store.add_message(
                case_id,
                direction=Direction.TO_STAFF,
                text="مرحبا",
                resident_message_id=5,
                now=MONDAY_10 + timedelta(minutes=1),
            )
            assert case.status is CaseStatus.WAITING_STAFF
            await store.add_message(
                case_id,
                direction=Direction.TO_RESIDENT,
                text="Guten Tag",
                staff_message_id=901,
                now=first_answer,
            )
            await store.add_message(
                case_id, direction=Direction.NOTE, text="ruft an", now=first_answer
            )
            await store.add_message(
                case_id,
                direction=Direction.TO_STAFF,
                kind=MessageKind.PHOTO,
                now=first_answer + timedelta(minutes=1),
            )
            await store.add_message(
                case_id,
                direction=Direction.TO_RESIDENT,
                text="Danke",
                now=first_answer + timedelta(minutes=2),
            )
        async with db.unit() as unit:
            stored = await CaseStore(unit.db).get(case_id)
        messages = await _messages(db, case_id)
        assert stored is not None
        assert stored.status is CaseStatus.WAITING_RESIDENT
        assert stored.first_staff_reply_at == first_answer
        assert [(m.direction, m.kind, m.text) for m in messages] == [
            (Direction.TO_STAFF, MessageKind.TEXT, "مرحبا"),
            (Direction.TO_RESIDENT, MessageKind.TEXT, "Guten Tag"),
            (Direction.NOTE, MessageKind.TEXT, "ruft an"),
            (Direction.TO_STAFF, MessageKind.PHOTO, None),
            (Direction.TO_RESIDENT, MessageKind.TEXT, "Danke"),
        ]
        assert (messages[0].resident_message_id, messages[1].staff_message_id) == (5, 901)

    async def test_no_relay_into_a_closed_case(self, db: Database) -> None:
        case_id = await _open(db, _request())
        async with db.unit() as unit:
            store = CaseStore(unit.db)
            await store.close(case_id, MONDAY_10)
            with pytest.raises(InvalidTransitionError):
                await store.add_message(case_id, direction=Direction.TO_RESIDENT, now=MONDAY_10)


class TestTransferAndClose:
    async def test_transfer_moves_the_case_with_its_history(self, db: Database) -> None:
        case_id = await _open(db, _request())
        async with db.unit() as unit:
            store = CaseStore(unit.db)
            await store.set_topic(case_id, 77, MONDAY_10)
            await store.add_message(case_id, direction=Direction.TO_STAFF, text="a", now=MONDAY_10)
        async with db.unit() as unit:
            moved = await CaseStore(unit.db).transfer(
                case_id, place_id="migration", staff_chat_id=-1002, now=MONDAY_10
            )
        assert (moved.place_id, moved.staff_chat_id, moved.topic_id) == ("migration", -1002, None)
        async with db.unit() as unit:
            store = CaseStore(unit.db)
            await store.set_topic(case_id, 5, MONDAY_10)
            found = await store.get_by_topic(-1002, 5)
            assert await store.get_by_topic(-1001, 77) is None
        assert [m.text for m in await _messages(db, case_id)] == ["a"]
        assert found is not None
        assert found.id == case_id

    async def test_close_records_when(self, db: Database) -> None:
        case_id = await _open(db, _request())
        closed_at = MONDAY_10 + timedelta(hours=3)
        async with db.unit() as unit:
            await CaseStore(unit.db).close(case_id, closed_at)
        async with db.unit() as unit:
            case = await CaseStore(unit.db).get(case_id)
        assert case is not None
        assert (case.status, case.closed_at) == (CaseStatus.CLOSED, closed_at)


async def _count(db: Database, table: type[CaseRow] | type[CaseMessageRow]) -> int:
    async with db.unit() as unit:
        return int(await unit.db.scalar(select(func.count()).select_from(table)) or 0)


class TestPrivacy:
    async def test_erase_removes_contents_but_keeps_counts(self, db: Database) -> None:
        case_id = await _open(db, _request())
        other = await _open(db, _request(OLEH, language="uk"))
        opened = MONDAY_10 + timedelta(minutes=17)  # not on the hour: erasure cuts it
        async with db.unit() as unit:
            store = CaseStore(unit.db)
            case = await store.get(case_id)
            assert case is not None
            await store.update_status(replace(case, created_at=opened))
            await store.set_topic(case_id, 77, opened)
            await store.add_message(case_id, direction=Direction.TO_STAFF, text="x", now=opened)
            await store.add_message(
                case_id,
                direction=Direction.TO_RESIDENT,
                text="y",
                now=opened + timedelta(minutes=25),
            )
            await store.add_message(other, direction=Direction.TO_STAFF, text="z", now=opened)
        async with db.unit() as unit:
            erased = await CaseStore(unit.db).erase_resident("telegram", AMINA.chat_id, MONDAY_10)
        assert [(c.id, c.topic_id, c.staff_chat_id) for c in erased] == [(case_id, 77, -1001)]
        async with db.unit() as unit:
            store = CaseStore(unit.db)
            assert await store.get(case_id) is None
            assert await store.get_open_for_resident(AMINA) is None
            assert await store.get_by_topic(-1001, 77) is None
            row = await unit.db.get(CaseRow, case_id)
            stats = await store.stats(MONDAY_10 - timedelta(days=1), MONDAY_10 + timedelta(days=1))
        assert [m.text for m in await _messages(db, case_id)] == []
        assert [m.text for m in await _messages(db, other)] == ["z"]
        assert row is not None
        assert (row.resident_channel, row.resident_chat, row.answers, row.topic_id) == (
            None,
            None,
            None,
            None,
        )
        assert row.status == CaseStatus.CLOSED.value
        assert row.created_at == MONDAY_10  # cut to the hour
        assert stats.cases == 2
        assert stats.by_language == {"ar": 1, "uk": 1}
        assert stats.median_first_answer == timedelta(minutes=25)  # kept exact
        async with db.unit() as unit:
            assert (
                await CaseStore(unit.db).erase_resident("telegram", AMINA.chat_id, MONDAY_10) == []
            )

    async def test_purge_anonymises_only_cases_closed_long_ago(self, db: Database) -> None:
        old = await _open(db, _request(AMINA), MONDAY_10 - timedelta(days=100))
        recent = await _open(db, _request(OLEH), MONDAY_10 - timedelta(days=10))
        still_open = await _open(db, _request(ResidentKey("telegram", "3")), MONDAY_10)
        async with db.unit() as unit:
            store = CaseStore(unit.db)
            for case_id, at in ((old, 100), (recent, 10)):
                moment = MONDAY_10 - timedelta(days=at)
                await store.add_message(
                    case_id, direction=Direction.TO_STAFF, text="t", now=moment
                )
                await store.close(case_id, moment + timedelta(hours=1))
        async with db.unit() as unit:
            assert await CaseStore(unit.db).purge_closed(MONDAY_10 - timedelta(days=90)) == 1
        async with db.unit() as unit:
            store = CaseStore(unit.db)
            assert await store.get(old) is None
            assert await store.get(recent) is not None
            assert await store.get(still_open) is not None
            assert await store.purge_closed(MONDAY_10 - timedelta(days=90)) == 0
        assert await _count(db, CaseRow) == 3
        assert await _count(db, CaseMessageRow) == 1


async def test_stats_count_by_place_topic_and_language(db: Database) -> None:
    ids = [
        await _open(db, _request(ResidentKey("t", "1"))),
        await _open(db, _request(ResidentKey("t", "2"), topic="debts", language="uk")),
        await _open(db, _request(ResidentKey("t", "3"), place_id=None, staff_chat_id=-1009)),
    ]
    await _open(db, _request(ResidentKey("t", "4")), MONDAY_10 + timedelta(days=40))
    async with db.unit() as unit:
        store = CaseStore(unit.db)
        for case_id, minutes in zip(ids[:2], (10, 30), strict=True):
            await store.add_message(
                case_id,
                direction=Direction.TO_RESIDENT,
                text="x",
                now=MONDAY_10 + timedelta(minutes=minutes),
            )
        stats = await store.stats(
            datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
        )
    assert stats.cases == 3
    assert stats.by_place == {"kaisers": 2, None: 1}
    assert stats.by_topic == {"letters": 2, "debts": 1}
    assert stats.by_language == {"ar": 2, "uk": 1}
    assert stats.answered == 2
    assert stats.median_first_answer == timedelta(minutes=20)
