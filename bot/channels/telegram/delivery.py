"""Delivering queued Bot API calls: in order per chat, within Telegram's limits, retried.

Replies are written to the outbox in the same transaction as the session change that
caused them, so a crash between deciding and sending loses nothing: on restart the outbox
is delivered. A call is deleted from the outbox as soon as Telegram accepted it.

Limits (Telegram does not publish exact numbers): about 30 messages per second overall,
about one per second per private chat with short bursts, 20 per minute into a group.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.channels.telegram.metrics import Metrics
from bot.storage import Database

log = logging.getLogger("bot.telegram.delivery")
MAX_ATTEMPTS = 6
IDLE_POLL_S = 1.0
UNLIMITED = frozenset({"answerCallbackQuery", "setMyCommands", "deleteMyCommands"})
"""Calls that are not messages and need no pacing."""
NOT_MESSAGES = frozenset({"editMessageReplyMarkup", "editMessageText", "closeForumTopic"})
"""Changes to what is there: they count overall but not against a chat's message pace."""


class RetryAfter(Exception):
    """Telegram said 429: wait ``seconds`` before any further call."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class TransientError(Exception):
    """A network error or a 5xx: the same call may succeed later."""


class PermanentError(Exception):
    """Telegram refused the call (400, 403): retrying cannot help."""


Call = Callable[[str, dict[str, Any]], Awaitable[Any]]


@dataclass
class TokenBucket:
    """``capacity`` calls at once, refilled at ``rate`` per second."""

    capacity: float
    rate: float
    tokens: float = -1.0
    updated: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.capacity

    def delay(self) -> float:
        """Take a token; return how long to wait before using it (0 when available)."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


@dataclass(frozen=True)
class Limits:
    """Send limits; the defaults stay below what Telegram tolerates."""

    global_rate: float = 25.0
    global_burst: float = 25.0
    chat_rate: float = 1.0
    chat_burst: float = 8.0
    group_rate: float = 18 / 60
    group_burst: float = 3.0


class Limiter:
    """A global bucket and one bucket per chat (groups are slower than private chats)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.global_bucket = TokenBucket(limits.global_burst, limits.global_rate)
        self.chats: dict[str, TokenBucket] = {}
        self.paused_until = 0.0

    def _chat_bucket(self, chat: str) -> TokenBucket:
        bucket = self.chats.get(chat)
        if bucket is None:
            group = chat.startswith("-")
            rate = self.limits.group_rate if group else self.limits.chat_rate
            burst = self.limits.group_burst if group else self.limits.chat_burst
            bucket = self.chats[chat] = TokenBucket(burst, rate)
            if len(self.chats) > 50_000:
                self.chats.pop(next(iter(self.chats)))
        return bucket

    async def wait(self, chat: str, method: str) -> None:
        """Sleep until a call to ``chat`` is within every limit."""
        pause = self.paused_until - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)
        if method in UNLIMITED:
            return
        chat_delay = 0.0 if method in NOT_MESSAGES else self._chat_bucket(chat).delay()
        delay = max(chat_delay, self.global_bucket.delay())
        if delay > 0:
            await asyncio.sleep(delay)

    def pause(self, seconds: float) -> None:
        """Stop all calls for ``seconds`` (after a 429)."""
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)


class OutboxSender:
    """Sends what the outbox holds; one worker per chat keeps each chat's order."""

    def __init__(
        self,
        db: Database,
        call: Call,
        metrics: Metrics,
        limits: Limits | None = None,
        *,
        resolve: Call | None = None,
        refused: Call | None = None,
    ) -> None:
        self.db = db
        self.call = call
        self.resolve = resolve
        """Carries out deferred calls (methods starting with ``_``), e.g. relays to staff."""
        self.refused = refused
        """Told about calls Telegram refused for good, e.g. into a deleted forum topic."""
        self.metrics = metrics
        self.limiter = Limiter(limits or Limits())
        self._wake = asyncio.Event()
        self._busy: dict[str, asyncio.Task[None]] = {}
        self._done_upto: dict[str, int] = {}
        """Per chat, the highest outbox id handled: a read that raced a delivery skips it."""

    def kick(self) -> None:
        """Something new is in the outbox."""
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, then deliver what is left (briefly)."""
        while not stop.is_set():
            await self._dispatch()
            self._wake.clear()
            waiter = asyncio.ensure_future(self._wake.wait())
            stopper = asyncio.ensure_future(stop.wait())
            await asyncio.wait(
                {waiter, stopper}, timeout=IDLE_POLL_S, return_when=asyncio.FIRST_COMPLETED
            )
            waiter.cancel()
            stopper.cancel()
        await self.drain()

    async def drain(self, grace: float = 15.0) -> None:
        """Deliver everything queued now, waiting at most ``grace`` seconds."""
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            await self._dispatch()
            if not self._busy:
                async with self.db.unit() as unit:
                    if not await unit.pending(limit=1):
                        return
            await asyncio.sleep(0.02)
        log.warning("shutting down with undelivered replies; they go out after restart")

    async def _dispatch(self) -> None:
        async with self.db.unit() as unit:
            rows = await unit.pending()
        by_chat: dict[str, list[tuple[int, str, str]]] = {}
        for outbox_id, chat, method, payload in rows:
            if outbox_id > self._done_upto.get(chat, 0):
                by_chat.setdefault(chat, []).append((outbox_id, method, payload))
        for chat, items in by_chat.items():
            if chat not in self._busy:
                self._busy[chat] = asyncio.create_task(self._deliver_chat(chat, items))

    async def _deliver_chat(self, chat: str, items: list[tuple[int, str, str]]) -> None:
        try:
            for outbox_id, method, payload in items:
                await self._deliver(chat, outbox_id, method, json.loads(payload))
                self._done_upto[chat] = outbox_id
        finally:
            self._busy.pop(chat, None)
            self._wake.set()  # the chat may have more queued meanwhile

    async def _deliver(
        self, chat: str, outbox_id: int, method: str, params: dict[str, Any]
    ) -> None:
        delay = 0.5
        deferred = method.startswith("_")
        while True:
            try:
                if deferred:
                    if self.resolve is not None:
                        await self.resolve(method, params)
                else:
                    await self.limiter.wait(chat, method)
                    await self.call(method, params)
            except RetryAfter as exc:
                self.metrics.errors.labels(stage="rate_limited").inc()
                log.warning("%s: Telegram asks to wait %ss", method, exc.seconds)
                self.limiter.pause(exc.seconds)
                continue
            except TransientError as exc:
                async with self.db.unit() as unit:
                    attempts = await unit.failed_attempt(outbox_id)
                if attempts < MAX_ATTEMPTS:
                    log.warning("%s: %s, retry %d in %.1fs", method, exc, attempts, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 30.0)
                    continue
                self.metrics.errors.labels(stage="send").inc()
                log.error("%s: giving up after %d attempts", method, attempts)
            except PermanentError as exc:
                self.metrics.errors.labels(stage="send").inc()
                log.warning("%s refused by Telegram: %s", method, exc)
                if self.refused is not None and not deferred:
                    await self._report_refusal(self.refused, method, params)
            except Exception:  # a bug in a deferred call must not block the chat's queue
                if not deferred:
                    raise
                self.metrics.errors.labels(stage="deferred").inc()
                log.exception("deferred %s failed", method)
            await self._forget(outbox_id)
            return

    async def _forget(self, outbox_id: int) -> None:
        """Delete a handled call; retried, because sending it again would double it."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                async with self.db.unit() as unit:
                    await unit.delivered(outbox_id)
            except Exception:
                if attempt == MAX_ATTEMPTS:
                    raise
                log.warning("outbox %s: delete failed, retry %d", outbox_id, attempt)
                await asyncio.sleep(0.2 * attempt)
            else:
                return

    @staticmethod
    async def _report_refusal(report: Call, method: str, params: dict[str, Any]) -> None:
        try:
            await report(method, params)
        except Exception:  # a failing report must not block the chat's queue
            log.exception("handling a refused %s failed", method)
