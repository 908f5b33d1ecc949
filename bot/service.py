"""The conversation service: load a session, let the engine answer, store the result.

This is the one place where the pure engine meets storage. Channels call
:meth:`ConversationService.handle` and show the replies; they never touch storage.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

from bot.core.engine import Engine, Outcome
from bot.core.events import Event
from bot.core.replies import EraseData
from bot.core.session import Session
from bot.storage import Database

log = logging.getLogger("bot.service")
Deliver = Callable[[Outcome], Sequence[tuple[str, str]]]
"""Turns an outcome into channel calls (method, JSON payload) to queue in the outbox."""
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

    async def handle(
        self,
        channel: str,
        external_id: str,
        event: Event,
        *,
        update_id: int | None = None,
        deliver: Deliver | None = None,
    ) -> Outcome | None:
        """Answer one event of one resident.

        The session change, the statistics, the claim on ``update_id`` and the calls that
        ``deliver`` derives from the outcome are committed together. Returns None when the
        update was already handled (a redelivery after a crash or a retried webhook).
        """
        async with self._resident_lock(f"{channel}:{external_id}"), self.db.unit() as unit:
            if update_id is not None and not await unit.claim_update(update_id, event.at):
                log.info("update %s already handled; skipped", update_id)
                return None
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
            if deliver is not None:
                await unit.enqueue(external_id, deliver(outcome), event.at)
        return outcome

    async def enqueue(
        self,
        chat: str,
        calls: Sequence[tuple[str, str]],
        at: datetime,
        *,
        update_id: int | None = None,
    ) -> bool:
        """Queue calls outside the engine (errors, relays), claiming ``update_id`` if given."""
        async with self.db.unit() as unit:
            if update_id is not None and not await unit.claim_update(update_id, at):
                return False
            await unit.enqueue(chat, calls, at)
        return True

    async def session(self, channel: str, external_id: str) -> Session | None:
        """The stored session of a resident (for channels that need the language)."""
        async with self.db.unit() as unit:
            return await unit.load_session(channel, external_id)
