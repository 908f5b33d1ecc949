"""Storage on a real SQLite file, and on PostgreSQL when it answers on 127.0.0.1:5432."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pytest
from fakes import MONDAY_10, make_engine
from sqlalchemy import func, select, text

from bot.core.events import Button, Start
from bot.core.replies import Analytics
from bot.core.session import Session
from bot.service import ConversationService
from bot.storage import Database, StorageError, open_database
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


async def test_migrations_are_idempotent(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/twice.db"
    first = await open_database(url)
    await first.close()
    second = await open_database(url)
    async with second.engine.connect() as conn:
        version = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    await second.close()
    assert version == "0003"


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
