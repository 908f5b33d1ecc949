"""Opening the database, migrating it, and units of work over it."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from bot.storage.errors import StorageError
from bot.storage.store import Queued, SqlUnit

log = logging.getLogger("bot.storage")
MIGRATIONS = Path(__file__).parent / "migrations"


class Database:
    """An async SQLAlchemy engine with Lotse's schema; hands out units of work."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._queued_listeners: list[Callable[[Sequence[Queued]], None]] = []

    def on_queued(self, listener: Callable[[Sequence[Queued]], None]) -> None:
        """Tell ``listener`` about outbox calls as soon as the unit adding them commits."""
        self._queued_listeners.append(listener)

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[SqlUnit]:
        """A transaction: everything done in it is committed together or not at all."""
        async with self._sessions() as session:
            async with session.begin():
                unit = SqlUnit(session)
                yield unit
            if unit.queued:
                for listener in self._queued_listeners:
                    listener(unit.queued)

    async def migrate(self) -> None:
        """Bring the schema to the newest version (Alembic ``upgrade head``)."""
        try:
            async with self.engine.begin() as conn:
                await conn.run_sync(_upgrade)
        except (OperationalError, DBAPIError, OSError) as exc:
            msg = f"cannot open or migrate the database: {exc.__class__.__name__}: {exc}"
            raise StorageError(msg) from exc

    async def close(self) -> None:
        """Close every connection."""
        await self.engine.dispose()


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def open_database(url: str) -> Database:
    """Create the engine, prepare an SQLite file safely, and migrate.

    Raises :class:`StorageError` with an actionable message when the URL is wrong or the
    file cannot be created.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        msg = f"database URL is not valid: {exc}; example: sqlite+aiosqlite:///data/lotse.db"
        raise StorageError(msg) from exc
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _prepare_sqlite_file(Path(parsed.database))
        # SQLite has one writer. One connection, handed out in turn, queues the units here
        # (first come, first served) instead of in SQLite's busy handler, which sleeps up to
        # 100 ms between tries; the timeout covers another process writing (the CLI).
        kwargs["connect_args"] = {"timeout": 30}
        # Every unit ends in a commit or a rollback, and a closed connection rolls back what
        # it began; the pool's extra rollback would cost a thread hop per unit.
        kwargs["pool_reset_on_return"] = None
        if parsed.database and parsed.database != ":memory:":  # memory: one StaticPool link
            kwargs["pool_size"] = 1
            kwargs["max_overflow"] = 0
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_async_engine(url, **kwargs)
    except (ArgumentError, ImportError) as exc:
        msg = (
            f"cannot use database URL ({exc}); SQLite needs sqlite+aiosqlite://, "
            "PostgreSQL postgresql+asyncpg://"
        )
        raise StorageError(msg) from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    db = Database(engine)
    try:
        await db.migrate()
    except StorageError:
        await db.close()
        raise
    return db


def _prepare_sqlite_file(path: Path) -> None:
    """Create the folder and an owner-only (0600) database file before SQLite does."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        if not os.access(path, os.R_OK | os.W_OK):
            msg = f"the database file {path} is not readable and writable for this user"
            raise StorageError(msg)
    except OSError as exc:
        msg = (
            f"cannot create the database file {path}: {exc.strerror}; check database.url "
            "in config.yaml or DATABASE_URL"
        )
        raise StorageError(msg) from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
