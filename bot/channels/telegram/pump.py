"""The update pump: long polling or a webhook, each chat's updates in order, nothing lost.

Library-neutral: the library fetches and parses (:class:`TelegramLibrary`), the pump decides
when an update is handled, kept in the inbox and confirmed to Telegram. On SIGTERM it stops
fetching, lets in-flight updates finish and only then returns, so no resident is left
without an answer.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import datetime

from aiohttp import web

from bot.channels.telegram.delivery import RetryAfter
from bot.channels.telegram.library import TelegramLibrary
from bot.channels.telegram.metrics import Metrics
from bot.channels.telegram.updates import Incoming
from bot.service import ConversationService

log = logging.getLogger("bot.telegram")
POLL_TIMEOUT_S = 25
SHUTDOWN_GRACE_S = 20
KEEP_AFTER_S = 0.02
"""Fetched updates not committed after this long are kept in the inbox."""
FETCH_BACKOFF_S, FETCH_BACKOFF_MAX_S = 0.25, 2.0
"""Waits after a failed getUpdates (doubling while it keeps failing)."""
MAX_IN_FLIGHT = 1000
"""Updates handled at once; beyond this, fetching waits (the inbox stays small)."""
RECENT_KEPT = 10_000
"""Handled update ids remembered to recognise a redelivery without the database."""
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name

Handle = Callable[[Incoming], Awaitable[None]]


class UpdatePump:
    """Feeds updates from a library to a handler: ordered per chat, kept until committed."""

    def __init__(
        self,
        library: TelegramLibrary,
        handle: Handle,
        service: ConversationService,
        metrics: Metrics,
        now: Callable[[], datetime],
    ) -> None:
        self.library = library
        self.handle = handle
        self.service = service
        """The inbox: updates fetched but not yet committed survive a crash there."""
        self.metrics = metrics
        self.now = now
        self._inflight: set[asyncio.Task[bool]] = set()
        self._chains: dict[int, asyncio.Task[bool]] = {}
        self._unfinished: set[int] = set()
        self._in_inbox: set[int] = set()
        self._handled: list[int] = []
        """Kept in the inbox and handled since: taken out of it with the next write."""
        self._unkept: list[Incoming] = []
        """Fetched, but a failed write did not keep them: kept with the next write."""
        self._recent: dict[int, None] = {}
        """Ids of recently handled updates, oldest first (a dict: looked up per update)."""
        self._fetch_backoff = FETCH_BACKOFF_S

    # -- polling -----------------------------------------------------------------------

    async def poll(self, stop: asyncio.Event) -> None:
        """Fetch updates until ``stop`` is set, then finish what is in flight.

        Telegram is told that updates arrived (the next ``getUpdates`` offset) only once
        each is committed or kept in the inbox, so a crash loses none: on restart the inbox
        is handled before anything new. A redelivered update is recognised by its id.
        """
        for update in await self._kept_updates():
            self._schedule(update)
        offset: int | None = None
        try:
            while not stop.is_set():
                updates = await self._fetch(offset, stop)
                fresh = [u for u in updates if not self._known(u.update_id)]
                # Handling starts at once. When Lotse is not busy, what is committed within
                # KEEP_AFTER_S needs no inbox; the rest is kept there before Telegram is
                # told that it arrived. When busy, fetching must not wait: all is kept.
                tasks = [self._schedule(update) for update in fresh]
                if tasks and len(self._inflight) <= len(tasks):
                    await asyncio.wait(tasks, timeout=KEEP_AFTER_S)
                unfinished = [u for u in fresh if u.update_id in self._unfinished]
                if await self._keep(unfinished, stop) and updates:
                    offset = updates[-1].update_id + 1
                if len(self._inflight) >= MAX_IN_FLIGHT:
                    await self._progress(stop)
        finally:
            await self.drain()
            with suppress(Exception):
                await self._keep([], stop)
                await self.library.call("getUpdates", _confirming(offset))

    def _known(self, update_id: int) -> bool:
        return update_id in self._unfinished or update_id in self._recent

    async def _keep(self, updates: list[Incoming], stop: asyncio.Event) -> bool:
        """Store unfinished updates in the inbox and forget handled ones; False on failure."""
        handled, self._handled = self._handled, []
        # Updates a failed write did not keep: still unfinished ones must be kept first.
        waiting = [u for u in self._unkept if u.update_id in self._unfinished]
        self._unkept = []
        if not updates and not handled and not waiting:
            return True
        rows = [(u.update_id, u.to_json()) for u in (*waiting, *updates)]
        self._in_inbox.update(update_id for update_id, _ in rows)  # before: it may finish now
        try:
            await self.service.keep_updates(rows, handled, self.now())
        except Exception as exc:  # noqa: BLE001 - the database may be briefly unavailable
            self._handled.extend(handled)
            self._unkept = [*waiting, *updates]
            self.metrics.errors.labels(stage="inbox").inc()
            log.warning("inbox unavailable (%s); fetching again shortly", type(exc).__name__)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=2)
            return False
        return True

    async def _kept_updates(self) -> list[Incoming]:
        """Updates fetched before a crash and not handled: they come first."""
        updates = []
        for update_id, payload in await self.service.kept_updates():
            try:
                updates.append(self.library.parse(payload))
                self._in_inbox.add(update_id)
            except ValueError:
                log.warning("inbox: update %s unreadable, dropped", update_id)
                self._handled.append(update_id)
        if updates:
            log.info("handling %d updates kept from before the restart", len(updates))
        return updates

    async def _progress(self, stop: asyncio.Event) -> None:
        """Wait until an update in flight finishes (or one second, or ``stop``)."""
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait(
            {stopping, *self._inflight}, timeout=1.0, return_when=asyncio.FIRST_COMPLETED
        )
        stopping.cancel()

    async def _fetch(self, offset: int | None, stop: asyncio.Event) -> list[Incoming]:
        request = asyncio.ensure_future(self.library.fetch(offset, POLL_TIMEOUT_S))
        stopping = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait({request, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if request not in done:
            request.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await request
            return []
        stopping.cancel()
        try:
            updates = list(request.result())
        except Exception as exc:  # noqa: BLE001 - keep polling through network trouble
            self.metrics.errors.labels(stage="fetch").inc()
            # A 429 says how long to wait; other failures back off from 0.25 s to 2 s, so
            # a single bad answer from a proxy costs a quarter of a second, an outage
            # is polled every 2 s.
            wait = self._fetch_backoff
            if isinstance(exc, RetryAfter):
                wait = exc.seconds
            else:
                self._fetch_backoff = min(self._fetch_backoff * 2, FETCH_BACKOFF_MAX_S)
            log.warning("getUpdates failed: %s; retrying in %.2fs", type(exc).__name__, wait)
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)
            return []
        self._fetch_backoff = FETCH_BACKOFF_S
        return updates

    def _schedule(self, update: Incoming) -> asyncio.Task[bool]:
        """Handle updates of one chat in order, different chats concurrently."""
        chat = update.chat_id
        previous = self._chains.get(chat)
        self._unfinished.add(update.update_id)

        async def handle() -> bool:
            if previous is not None:
                with suppress(Exception):
                    await previous
            return await self.feed(update)

        task = asyncio.create_task(handle())
        self._chains[chat] = task
        self._inflight.add(task)

        def done(finished: asyncio.Task[bool]) -> None:
            self._inflight.discard(finished)
            if self._chains.get(chat) is finished:
                del self._chains[chat]
            if finished.cancelled() or not finished.result():
                # Nothing was committed: the update stays unfinished, so it is kept in the
                # inbox (never confirmed without its effect) and handled after the next start.
                log.error("update %s kept in the inbox for the next start", update.update_id)
                return
            self._unfinished.discard(update.update_id)
            self._recent[update.update_id] = None
            if len(self._recent) > RECENT_KEPT:
                del self._recent[next(iter(self._recent))]
            if update.update_id in self._in_inbox:
                self._in_inbox.discard(update.update_id)
                self._handled.append(update.update_id)

        task.add_done_callback(done)
        return task

    async def feed(self, update: Incoming) -> bool:
        """Handle one update; False (logged, never raised) on an error."""
        try:
            await self.handle(update)
        except Exception:
            self.metrics.errors.labels(stage="dispatch").inc()
            log.exception("update %s: unhandled error", update.update_id)
            return False
        return True

    async def drain(self) -> None:
        """Wait (up to the shutdown grace) for the updates in flight."""
        if self._inflight:
            log.info("finishing %d updates in flight", len(self._inflight))
            await asyncio.wait(set(self._inflight), timeout=SHUTDOWN_GRACE_S)

    # -- webhook -----------------------------------------------------------------------

    def webhook_route(self, secret: str) -> Callable[[web.Request], Awaitable[web.Response]]:
        """The aiohttp handler for Telegram's webhook calls, checking the secret token."""

        async def webhook(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "")
            if not secret or not hmac.compare_digest(given, secret):
                log.warning("webhook call with a wrong secret token rejected")
                return web.Response(status=401, text="unauthorized")
            try:
                update = self.library.parse(await request.read())
            except Exception:  # noqa: BLE001 - any malformed body is the sender's problem
                log.warning("webhook: malformed update rejected")
                return web.Response(status=400, text="bad update")
            task = asyncio.create_task(self.feed(update))
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)
            if not await task:  # answer only when handled: Telegram retries what failed
                return web.Response(status=500, text="not handled")
            return web.Response(text="ok")

        return webhook


def _confirming(offset: int | None) -> dict[str, int]:
    """A last getUpdates that tells Telegram which updates arrived (offset), fetching none."""
    return {"timeout": 0, "limit": 1} | ({} if offset is None else {"offset": offset})
