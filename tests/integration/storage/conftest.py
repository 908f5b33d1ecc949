"""Storage fixtures: every test runs on a real SQLite file and, when it answers, on a fresh
PostgreSQL database on 127.0.0.1:5432 (skipped with the reason otherwise)."""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Database, open_database

PG_HOST, PG_PORT = "127.0.0.1", 5432


def postgres_answers() -> bool:
    """True when a PostgreSQL server listens on 127.0.0.1:5432."""
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database: SQLite, then PostgreSQL (a database of its own per test)."""
    if request.param == "sqlite":
        database = await open_database(f"sqlite+aiosqlite:///{tmp_path}/lotse.db")
        yield database
        await database.close()
        return
    if not postgres_answers():
        pytest.skip(f"PostgreSQL does not answer on {PG_HOST}:{PG_PORT}")
    import asyncpg

    name = f"lotse_test_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(host=PG_HOST, port=PG_PORT, user="postgres", database="test")
    await admin.execute(f"CREATE DATABASE {name}")
    try:
        database = await open_database(f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/{name}")
        yield database
        await database.close()
    finally:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()
