"""Background jobs of a running bot: retention purges and watching content for edits."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.storage import Database
from bot.storage.cases import CaseStore

log = logging.getLogger("bot.maintenance")
PURGE_EVERY_S = 6 * 3600
WATCH_EVERY_S = 2.0
PROCESSED_KEEP = timedelta(days=2)
"""Telegram keeps undelivered updates for 24 h; ids older than that cannot come back."""


async def purge(db: Database, settings: Settings, now: datetime | None = None) -> dict[str, int]:
    """Delete what the retention period no longer allows; anonymous counts stay."""
    now = now or datetime.now(UTC)
    before = now - timedelta(days=settings.privacy.retention_days)
    async with db.unit() as unit:
        counts = {
            "residents": await unit.purge_sessions(before),
            "cases": await CaseStore(unit.db).purge_closed(before),
            "update_ids": await unit.purge_processed(now - PROCESSED_KEEP),
            "dead_letters": await unit.purge_dead_letters(before),
            "held_messages": await unit.purge_held(before),
        }
    log.info("retention purge: %s", ", ".join(f"{k}={v}" for k, v in counts.items()))
    return counts


async def purge_regularly(db: Database, settings: Settings, stop: asyncio.Event) -> None:
    """Purge now and then every few hours until ``stop`` is set."""
    while not stop.is_set():
        try:
            await purge(db, settings)
        except Exception:
            log.exception("retention purge failed")
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=PURGE_EVERY_S)


def fingerprint(settings: Settings) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every content file."""
    found = []
    for name in (settings.paths.flows, settings.paths.locales, settings.paths.places):
        folder = settings.path(name)
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            stat = path.stat()
            found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


async def watch_content(
    settings: Settings,
    on_change: Callable[[], Awaitable[None]],
    stop: asyncio.Event,
    every: float = WATCH_EVERY_S,
) -> None:
    """Call ``on_change`` when staff save a flow, locale or place file."""
    last = fingerprint(settings)
    while not stop.is_set():
        with suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)
        current = fingerprint(settings)
        if current != last:
            last = current
            log.info("content files changed; reloading")
            await on_change()
