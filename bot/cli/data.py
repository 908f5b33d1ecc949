"""``export-data`` (a resident's data access request) and ``purge`` (retention, now)."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable

from bot import maintenance
from bot.cli import EXIT_ERROR, EXIT_OK
from bot.config import Settings
from bot.storage import Database, StorageError, open_database


def export_data(settings: Settings, resident: str) -> int:
    """Print everything stored about ``channel:id`` as JSON."""
    channel, _, external_id = resident.partition(":")
    if not external_id:
        print("name the resident as channel:id, e.g. telegram:123456789", file=sys.stderr)
        return EXIT_ERROR

    async def export(db: Database) -> int:
        async with db.unit() as unit:
            data = await unit.export(channel, external_id)
        if data is None:
            print(f"nothing is stored about {resident}", file=sys.stderr)
            return EXIT_ERROR
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK

    return with_database(settings, export)


def purge(settings: Settings) -> int:
    """Delete residents not seen within the retention period."""
    days = settings.privacy.retention_days

    async def run_purge(db: Database) -> int:
        counts = await maintenance.purge(db, settings)
        print(
            f"retention {days} days: deleted {counts['residents']} residents, anonymised "
            f"{counts['cases']} closed cases, forgot {counts['update_ids']} update ids"
        )
        return EXIT_OK

    return with_database(settings, run_purge)


def with_database(settings: Settings, job: Callable[[Database], Awaitable[int]]) -> int:
    async def main() -> int:
        db = await open_database(settings.database_url())
        try:
            return await job(db)
        finally:
            await db.close()

    try:
        return asyncio.run(main())
    except StorageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
