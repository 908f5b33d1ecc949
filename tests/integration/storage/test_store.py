"""Storage on a real SQLite file, and on PostgreSQL when it answers on 127.0.0.1:5432."""

from __future__ import annotations

import asyncio
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes import MONDAY_10, make_engine
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Connection

from bot.core.events import Button, Event, Start
from bot.core.replies import Analytics
from bot.core.session import Session
from bot.service import ConversationService
from bot.storage import Database, Queued, StorageError, open_database
from bot.storage.tables import EventRow, Resident, SessionRow


class TestSessions:
    async def test_save_and_load_round_trip(self, db: Database) -> None:
        session = Session(
            resident="t:1", language="ar", flow="main", step="menu", vars={"quarter": "kuckuck"}
        )
        async with db.unit() as unit:
            await unit.save_session("telegram", "1", session, MONDAY_10)
        async with db.unit() as unit:
            assert await unit.load_session("telegram", "1") == session
            assert await unit.load_session("telegram", "2") is None

    async def test_update_overwrites(self, db: Database) -> None:
        async with db.unit() as unit:
            await unit.save_session("telegram", "1", Session(language="de"), MONDAY_10)
        async with db.unit() as unit:
            await unit.save_session("telegram", "1", Session(language="uk"), MONDAY_10)
        async with db.unit() as unit:
            loaded = await unit.load_session("telegram", "1")
        assert loaded is not None
        assert loaded.language == "uk"

    async def test_a_failed_unit_changes_nothing(self, db: Database) -> None:
        async def save_then_fail() -> None:
            async with db.unit() as unit:
                await unit.save_session("telegram", "9", Session(language="de"), MONDAY_10)
                raise RuntimeError

        with pytest.raises(RuntimeError):
            await save_then_fail()
        async with db.unit() as unit:
            assert await unit.load_session("telegram", "9") is None

    async def test_erase_removes_resident_but_keeps_anonymous_counts(self, db: Database) -> None:
        async with db.unit() as unit:
            await unit.save_session("telegram", "1", Session(language="de"), MONDAY_10)
            await unit.record([Analytics(kind="refer", topic="letters")], MONDAY_10)
        async with db.unit() as unit:
            assert await unit.erase("telegram", "1")
        async with db.unit() as unit:
            assert await unit.load_session("telegram", "1") is None
            residents = await unit.db.scalar(select(func.count()).select_from(Resident))
            sessions = await unit.db.scalar(select(func.count()).select_from(SessionRow))
            events = await unit.db.scalar(select(func.count()).select_from(EventRow))
        assert (residents, sessions, events) == (0, 0, 1)

    async def test_events_are_anonymous_and_cut_to_the_hour(self, db: Database) -> None:
        async with db.unit() as unit:
            await unit.record(
                [
                    Analytics(
                        kind="refer",
                        topic="debts",
                        quarter="nordstadt",
                        language="ar",
                        extra={"count": "2"},
                    )
                ],
                MONDAY_10 + timedelta(minutes=37, seconds=5),
            )
        async with db.unit() as unit:
            row = (await unit.db.execute(select(EventRow))).scalar_one()
        assert (row.kind, row.topic, row.quarter, row.language, row.detail) == (
            "refer",
            "debts",
            "nordstadt",
            "ar",
            "count=2",
        )
        assert row.at.minute == 0
        assert row.at.second == 0

    async def test_purge_deletes_residents_not_seen_for_long(self, db: Database) -> None:
        async with db.unit() as unit:
            await unit.save_session("telegram", "old", Session(), MONDAY_10 - timedelta(days=91))
            await unit.save_session("telegram", "new", Session(), MONDAY_10)
        async with db.unit() as unit:
            assert await unit.purge_sessions(MONDAY_10 - timedelta(days=90)) == 1
        async with db.unit() as unit:
            assert await unit.load_session("telegram", "old") is None
            assert await unit.load_session("telegram", "new") is not None

    async def test_export_lists_everything_stored(self, db: Database) -> None:
        async with db.unit() as unit:
            await unit.save_session("telegram", "5", Session(language="ro"), MONDAY_10)
        async with db.unit() as unit:
            data = await unit.export("telegram", "5")
        assert data is not None
        assert data["external_id"] == "5"
        assert data["session"]["language"] == "ro"


async def test_service_persists_each_outcome(db: Database) -> None:
    service = ConversationService(make_engine(), db)
    await service.handle("terminal", "a", Start(at=MONDAY_10, language_hint="de"))
    await service.handle("terminal", "a", Button(at=MONDAY_10, step="_lang", option="de"))
    stored = await service.session("terminal", "a")
    assert stored is not None
    assert stored.language_chosen
    assert stored.mode.value == "consent"


class TestManyAtOnce:
    async def test_save_sessions_creates_new_and_updates_known_residents(
        self, db: Database
    ) -> None:
        async with db.unit() as unit:
            await unit.save_session("telegram", "1", Session(language="de"), MONDAY_10)
        later = MONDAY_10 + timedelta(hours=1)
        async with db.unit() as unit:
            await unit.save_sessions(
                "telegram", {"1": Session(language="uk"), "2": Session(language="ar")}, later
            )
        async with db.unit() as unit:
            loaded = await unit.load_sessions("telegram", ["1", "2", "3"])
            seen = dict(
                (await unit.db.execute(select(Resident.external_id, Resident.last_seen_at))).all()
            )
        assert {key: s.language for key, s in loaded.items()} == {"1": "uk", "2": "ar"}
        assert set(seen) == {"1", "2"}
        # SQLite gives the wall-clock time back without its zone, PostgreSQL in UTC.
        assert all(when in (later, later.replace(tzinfo=None)) for when in seen.values())

    async def test_last_seen_is_kept_to_the_hour(self, db: Database) -> None:
        async def save_and_read(at: datetime) -> datetime:
            async with db.unit() as unit:
                await unit.save_session("telegram", "1", Session(language="de"), at)
            async with db.unit() as unit:
                seen = (await unit.db.execute(select(Resident.last_seen_at))).scalar_one()
            return seen.astimezone(UTC) if seen.tzinfo else seen.replace(tzinfo=at.tzinfo)

        assert await save_and_read(MONDAY_10) == MONDAY_10
        within = MONDAY_10 + timedelta(minutes=59)
        assert await save_and_read(within) == MONDAY_10  # not written again within the hour
        later = MONDAY_10 + timedelta(hours=1, minutes=5)
        assert await save_and_read(later) == later

    async def test_a_session_saved_in_a_unit_loads_in_the_same_unit(self, db: Database) -> None:
        async with db.unit() as unit:
            await unit.save_session("telegram", "1", Session(language="ro"), MONDAY_10)
            loaded = await unit.load_session("telegram", "1")
        assert loaded is not None
        assert loaded.language == "ro"

    async def test_claim_updates_returns_only_those_not_handled_before(self, db: Database) -> None:
        async with db.unit() as unit:
            assert await unit.claim_updates([1, 2], MONDAY_10) == {1, 2}
        async with db.unit() as unit:
            assert await unit.claim_updates([2, 3], MONDAY_10) == {3}
            assert not await unit.claim_update(1, MONDAY_10)

    async def test_inbox_keeps_updates_in_order_until_forgotten(self, db: Database) -> None:
        async with db.unit() as unit:
            await unit.keep_updates([(7, '{"update_id": 7}'), (5, '{"update_id": 5}')], MONDAY_10)
        async with db.unit() as unit:  # fetched again (not yet confirmed): kept once
            await unit.keep_updates([(7, '{"update_id": 7}')], MONDAY_10)
        async with db.unit() as unit:
            assert [update_id for update_id, _ in await unit.kept_updates()] == [5, 7]
            await unit.forget_updates([5])
        async with db.unit() as unit:
            assert await unit.kept_updates() == [(7, '{"update_id": 7}')]

    async def test_queued_calls_are_announced_only_once_committed(self, db: Database) -> None:
        announced: list[list[Queued]] = []
        db.on_queued(lambda calls: announced.append(list(calls)))

        async def queue_then_fail() -> None:
            async with db.unit() as unit:
                await unit.enqueue("9", [("sendMessage", "{}")], MONDAY_10)
                raise RuntimeError

        with pytest.raises(RuntimeError):
            await queue_then_fail()
        assert announced == []
        async with db.unit() as unit:
            queued = await unit.enqueue(
                "9", [("sendMessage", "{}"), ("sendPhoto", "{}")], MONDAY_10
            )
            assert announced == []
        assert announced == [queued]
        assert [q.method for q in queued] == ["sendMessage", "sendPhoto"]
        assert queued[0].id < queued[1].id
        async with db.unit() as unit:
            assert await unit.pending() == queued
            await unit.delivered([q.id for q in queued])
        async with db.unit() as unit:
            assert await unit.pending() == []


class TestGroupCommit:
    async def test_residents_writing_at_once_share_transactions(
        self, db: Database, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        service = ConversationService(make_engine(), db)
        units = 0
        open_unit = db.unit

        def counting_unit() -> Any:
            nonlocal units
            units += 1
            return open_unit()

        monkeypatch.setattr(db, "unit", counting_unit)
        residents = [str(n) for n in range(30)]
        await asyncio.gather(
            *(
                service.handle("t", r, Start(at=MONDAY_10, language_hint="de"), update_id=n)
                for n, r in enumerate(residents)
            )
        )
        assert units < len(residents)
        async with open_unit() as unit:
            assert set(await unit.load_sessions("t", residents)) == set(residents)
            assert await unit.claim_updates(list(range(30)), MONDAY_10) == set()

    async def test_one_failing_event_does_not_fail_the_others(self, db: Database) -> None:
        service = ConversationService(make_engine(), db)
        handle = service.engine.handle

        def fragile(event: Event, session: Session) -> Any:
            if session.resident == "t:bad":
                raise ValueError("broken flow")
            return handle(event, session)

        service.engine.handle = fragile  # type: ignore[method-assign]
        results = await asyncio.gather(
            *(
                service.handle("t", r, Start(at=MONDAY_10, language_hint="de"))
                for r in ("a", "bad", "b")
            ),
            return_exceptions=True,
        )
        assert isinstance(results[1], ValueError)
        assert results[0] is not None
        assert results[2] is not None
        assert await service.session("t", "a") is not None
        assert await service.session("t", "bad") is None

    async def test_a_redelivered_update_is_skipped(self, db: Database) -> None:
        service = ConversationService(make_engine(), db)
        start = Start(at=MONDAY_10, language_hint="de")
        assert await service.handle("t", "a", start, update_id=41) is not None
        assert await service.handle("t", "a", start, update_id=41) is None


async def test_migrations_are_idempotent(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/twice.db"
    first = await open_database(url)
    await first.close()
    second = await open_database(url)
    async with second.engine.connect() as conn:
        version = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    await second.close()
    assert version == "0007"


async def test_the_migrations_build_exactly_the_tables(db: Database) -> None:
    """Every table, column, index and constraint of the models, and nothing else (the
    unused ``bot_state`` table of 0002 is dropped by 0006)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import bot.storage.case_tables  # registers the case tables
    import bot.storage.staff_tables  # noqa: F401 - and the console's
    from bot.storage.tables import Base

    def diff(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with db.engine.connect() as conn:
        assert await conn.run_sync(diff) == []
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    assert "bot_state" not in tables


async def test_sqlite_file_is_owner_only(tmp_path: Path) -> None:
    db = await open_database(f"sqlite+aiosqlite:///{tmp_path}/private/lotse.db")
    await db.close()
    mode = stat.S_IMODE((tmp_path / "private" / "lotse.db").stat().st_mode)
    assert mode == 0o600


async def test_unwritable_path_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="cannot create the database file"):
        await open_database(f"sqlite+aiosqlite:///{blocker}/lotse.db")


async def test_bad_url_is_a_clear_error() -> None:
    with pytest.raises(StorageError, match="database URL is not valid"):
        await open_database("not a url")
