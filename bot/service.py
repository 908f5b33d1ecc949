"""The conversation service: load a session, let the engine answer, store the result.

This is the one place where the pure engine meets storage. Channels call
:meth:`ConversationService.handle` and show the replies; they never touch storage.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from bot.core.engine import Engine, Outcome
from bot.core.events import Event
from bot.core.replies import Analytics, EraseData
from bot.core.session import Session
from bot.report import FunderFigures
from bot.storage import Database
from bot.storage.store import SqlUnit

log = logging.getLogger("bot.service")
Deliver = Callable[[Outcome], Sequence[tuple[str, str]]]
"""Turns an outcome into channel calls (method, JSON payload) to queue in the outbox."""
Also = Callable[[SqlUnit], Awaitable[None]]
"""More work for the same transaction as an event's outcome (a staff command's case change)."""
MAX_LOCKS = 10_000


@dataclass
class _Job:
    """One event waiting for the next commit."""

    channel: str
    external_id: str
    event: Event
    update_id: int | None
    deliver: Deliver | None
    also: Also | None
    result: asyncio.Future[Outcome | None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    @property
    def resident(self) -> str:
        return f"{self.channel}:{self.external_id}"

    def fail(self, exc: Exception) -> None:
        if not self.result.done():
            self.result.set_exception(exc)


class ConversationService:
    """Serialises each resident's events; persists each outcome with its effects atomically.

    Outcomes of different residents that wait at the same moment share one transaction
    (group commit): under load that is one commit for many messages instead of one each.
    """

    def __init__(self, engine: Engine, db: Database) -> None:
        self.engine = engine
        """Replaceable at run time (hot reload); the next event uses the new engine."""
        self._db = db
        self._locks: OrderedDict[str, asyncio.Lock] = OrderedDict()
        self._waiting: list[_Job] = []
        self._committer: asyncio.Task[None] | None = None

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
        also: Also | None = None,
    ) -> Outcome | None:
        """Answer one event of one resident.

        The session change, the statistics, the claim on ``update_id``, the calls that
        ``deliver`` derives from the outcome and the work ``also`` does are committed
        together. Returns None when the update was already handled (a redelivery after a
        crash or a retried webhook).

        Events of different residents that arrive while a commit is under way are answered
        together in the next one (group commit): one transaction for many residents.
        """
        job = _Job(channel, external_id, event, update_id, deliver, also)
        async with self._resident_lock(job.resident):
            self._waiting.append(job)
            if self._committer is None:
                self._committer = asyncio.create_task(self._commit_waiting())
            return await job.result

    async def _commit_waiting(self) -> None:
        try:
            while self._waiting:
                jobs, self._waiting = self._waiting, []
                await self._commit_together(jobs)
        finally:
            self._committer = None
            for job in self._waiting:  # only when cancelled: nobody will commit them
                job.result.cancel()

    async def _commit_together(self, jobs: list[_Job]) -> None:
        try:
            await self._commit(jobs)
        except asyncio.CancelledError:
            for job in jobs:
                job.result.cancel()
            raise
        except Exception as exc:  # noqa: BLE001 - handed to the waiting caller
            if len(jobs) == 1:
                jobs[0].fail(exc)
                return
            # One resident's trouble must not fail the others: commit each on its own.
            for job in jobs:
                await self._commit_together([job])

    async def _commit(self, jobs: list[_Job]) -> None:
        answered: list[tuple[_Job, Outcome | None]] = []
        at = jobs[0].event.at
        async with self._db.unit() as unit:
            claims = [job.update_id for job in jobs if job.update_id is not None]
            claimed = await unit.claim_updates(claims, at)
            analytics: list[Analytics] = []
            calls: list[tuple[str, Sequence[tuple[str, str]]]] = []
            for channel in {job.channel for job in jobs}:
                mine = [job for job in jobs if job.channel == channel]
                stored = await unit.load_sessions(channel, [job.external_id for job in mine])
                saved = {}
                for job in mine:
                    if job.update_id is not None and job.update_id not in claimed:
                        log.info("update %s already handled; skipped", job.update_id)
                        answered.append((job, None))
                        continue
                    session = stored.get(job.external_id) or Session(resident=job.resident)
                    outcome = self.engine.handle(job.event, session)
                    if any(isinstance(reply, EraseData) for reply in outcome.replies):
                        await unit.erase(channel, job.external_id)
                        log.info("resident data erased on request (channel %s)", channel)
                    else:
                        saved[job.external_id] = outcome.session
                    analytics.extend(outcome.analytics)
                    if job.deliver is not None:
                        calls.append((job.external_id, job.deliver(outcome)))
                    if job.also is not None:
                        await job.also(unit)
                    answered.append((job, outcome))
                if saved:
                    await unit.save_sessions(channel, saved, at)
            await unit.record(analytics, at)
            await unit.enqueue_many(calls, at)
        for job, result in answered:
            job.result.set_result(result)

    async def enqueue(
        self,
        chat: str,
        calls: Sequence[tuple[str, str]],
        at: datetime,
        *,
        update_id: int | None = None,
    ) -> bool:
        """Queue calls outside the engine (errors, relays), claiming ``update_id`` if given."""
        async with self._db.unit() as unit:
            if update_id is not None and not await unit.claim_update(update_id, at):
                return False
            await unit.enqueue(chat, calls, at)
        return True

    async def keep_updates(
        self, fetched: Sequence[tuple[int, str]], handled: Sequence[int], at: datetime
    ) -> None:
        """Put fetched updates (id, JSON) into the inbox and take handled ones out."""
        async with self._db.unit() as unit:
            await unit.keep_updates(fetched, at)
            await unit.forget_updates(handled)

    async def kept_updates(self) -> list[tuple[int, str]]:
        """Updates fetched before a restart and not handled yet, oldest first."""
        async with self._db.unit() as unit:
            return await unit.kept_updates()

    async def session(self, channel: str, external_id: str) -> Session | None:
        """The stored session of a resident (for channels that need the language)."""
        async with self._db.unit() as unit:
            return await unit.load_session(channel, external_id)

    async def funder_figures(self, since: datetime, until: datetime) -> FunderFigures:
        """Anonymous counts of ``[since, until)`` for funders, from the statistics these
        conversations left (bounds in the bot's time zone)."""
        async with self._db.unit() as unit:
            return await unit.funder_figures(since, until)
