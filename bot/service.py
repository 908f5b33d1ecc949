"""The conversation service: load a session, let the engine answer, store the result.

This is the one place where the pure engine meets storage. Channels call
:meth:`ConversationService.handle` and show the replies; they never touch storage.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.core.engine import Engine, Outcome
from bot.core.events import Event
from bot.core.replies import EraseData
from bot.core.session import Session
from bot.storage import Database

log = logging.getLogger("bot.service")
MAX_LOCKS = 10_000


class ConversationService:
    """Serialises each resident's events and persists every outcome in one transaction."""

    def __init__(self, engine: Engine, db: Database) -> None:
        self.engine = engine
        """Replaceable at run time (hot reload); the next event uses the new engine."""
        self.db = db
        self._locks: OrderedDict[str, asyncio.Lock] = OrderedDict()

    @asynccontextmanager
    async def _resident_lock(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
            while len(self._locks) > MAX_LOCKS:
                oldest, old_lock = next(iter(self._locks.items()))
                if old_lock.locked():
                    break
                del self._locks[oldest]
        self._locks.move_to_end(key)
        async with lock:
            yield

    async def handle(self, channel: str, external_id: str, event: Event) -> Outcome:
        """Answer one event of one resident; the session change and statistics are atomic."""
        async with self._resident_lock(f"{channel}:{external_id}"), self.db.unit() as unit:
            session = await unit.load_session(channel, external_id) or Session(
                resident=f"{channel}:{external_id}"
            )
            outcome = self.engine.handle(event, session)
            if any(isinstance(reply, EraseData) for reply in outcome.replies):
                await unit.erase(channel, external_id)
                log.info("resident data erased on request (channel %s)", channel)
            else:
                await unit.save_session(channel, external_id, outcome.session, event.at)
            await unit.record(outcome.analytics, event.at)
        return outcome

    async def session(self, channel: str, external_id: str) -> Session | None:
        """The stored session of a resident (for channels that need the language)."""
        async with self.db.unit() as unit:
            return await unit.load_session(channel, external_id)
