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
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.channels.telegram.failures import Failure, Verdict
from bot.channels.telegram.metrics import Metrics
from bot.outbox_service import OutboxService, Queued, is_held

log = logging.getLogger("bot.telegram.delivery")
MAX_ATTEMPTS = 6
"""Tries to delete sent calls from the outbox (the database may be briefly unavailable)."""
RETRY_HORIZON_S = 600.0
"""How long a call is retried (with back-off) before it becomes a dead letter."""
FIRST_BACKOFF_S = 0.5
MAX_BACKOFF_S = 30.0
UNDELIVERED, REFUSED = "undelivered", "refused"
"""Verdicts of dead letters: retries exhausted (sent again later) or refused for good."""
SCAN_EVERY_S = 1.0
"""How often the outbox itself is read, for calls not announced to this process."""
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


def error_for(failure: Failure) -> Exception:
    """The outbox's exception for a classified failure (unknown answers are transient)."""
    if failure.verdict is Verdict.RETRY_AFTER:
        return RetryAfter(failure.retry_after)
    if failure.verdict is Verdict.PERMANENT:
        return PermanentError(failure.reason)
    return TransientError(f"{failure.verdict}: {failure.reason}")


Call = Callable[[str, dict[str, Any]], Awaitable[Any]]
Send = Callable[[str, str], Awaitable[None]]
"""Makes a Bot API call from its method and finished JSON payload."""


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
    """Sends what the outbox holds; one worker per chat keeps each chat's order.

    Calls arrive in memory the moment the transaction that queued them commits (the
    database announces them), so the outbox is read only at start-up and as a safety net
    every second. Sent calls are deleted in batches.
    """

    def __init__(
        self,
        outbox: OutboxService,
        send: Send,
        metrics: Metrics,
        limits: Limits | None = None,
        *,
        resolve: Call | None = None,
        refused: Call | None = None,
        retry_horizon: float = RETRY_HORIZON_S,
    ) -> None:
        self.outbox = outbox
        self.retry_horizon = retry_horizon
        self.send = send
        self.resolve = resolve
        """Carries out deferred calls (methods starting with ``_``), e.g. relays to staff."""
        self.refused = refused
        """Told about calls Telegram refused for good, e.g. into a deleted forum topic."""
        self.metrics = metrics
        self.limiter = Limiter(limits or Limits())
        self._open = False
        self._queues: dict[str, deque[Queued]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._known: set[int] = set()
        """Outbox ids queued here, being sent, or sent and not yet deleted."""
        self._sent: list[int] = []
        self._deleting: asyncio.Task[None] | None = None
        self._scans: list[set[int]] = []
        """Per outbox read in progress, the ids deleted meanwhile."""
        outbox.on_queued(self.accept)

    def accept(self, calls: Sequence[Queued]) -> None:
        """Calls just committed to the outbox: send them, in order per chat."""
        if not self._open:
            return  # not running: they stay in the outbox and go out after start-up
        for queued in calls:
            if queued.id in self._known or is_held(queued.chat):
                continue  # held calls are the web chat's to fetch, never Telegram's
            self._known.add(queued.id)
            queue = self._queues.setdefault(queued.chat, deque())
            queue.append(queued)
            if len(queue) > 1 and queue[-2].id > queued.id:  # found by a scan, out of order
                ordered = sorted(queue)
                queue.clear()
                queue.extend(ordered)
            if queued.chat not in self._workers:
                self._workers[queued.chat] = asyncio.create_task(self._deliver_chat(queued.chat))

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, then deliver what is left (briefly)."""
        self._open = True
        await self.resend_undelivered()
        while not stop.is_set():
            await self._scan()
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=SCAN_EVERY_S)
        await self.drain()
        self._open = False  # what is queued from now on goes out after the next start

    async def drain(self, grace: float = 15.0) -> None:
        """Deliver everything queued now, waiting at most ``grace`` seconds."""
        self._open = True
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            idle = not self._workers and not self._sent and self._deleting is None
            if idle and not await self._scan():
                return
            await asyncio.sleep(0.02)
        log.warning("shutting down with undelivered replies; they go out after restart")

    async def _scan(self) -> bool:
        """Pick up outbox calls not known here (left from before a restart); any found?"""
        deleted_meanwhile: set[int] = set()
        self._scans.append(deleted_meanwhile)
        try:
            rows = await self.outbox.pending()
        except Exception:  # the database may be briefly unavailable; the next scan retries
            log.exception("reading the outbox failed")
            return True
        finally:
            self._scans.remove(deleted_meanwhile)
        # A call deleted while the scan read may still be in what it read: not new.
        found = [r for r in rows if r.id not in self._known and r.id not in deleted_meanwhile]
        self.accept(found)
        return bool(found)

    async def resend_undelivered(self) -> int:
        """Put calls whose retries ran out back into the outbox (at start, or ``/resend``)."""
        try:
            calls = await self.outbox.requeue_dead_letters(UNDELIVERED, _now())
        except Exception:
            log.exception("dead letters could not be queued again")
            return 0
        if calls:
            self.metrics.resent.inc(len(calls))
            log.info("%d undelivered calls queued again", len(calls))
        return len(calls)

    async def _deliver_chat(self, chat: str) -> None:
        queue = self._queues[chat]
        try:
            while queue:
                queued = queue.popleft()
                if await self._deliver(chat, queued):
                    self._forget(queued.id)
        finally:
            del self._workers[chat]
            if not queue:
                self._queues.pop(chat, None)

    async def _deliver(self, chat: str, queued: Queued) -> bool:
        """Make the call, retrying until the horizon; False when it became a dead letter."""
        method, payload = queued.method, queued.payload
        delay = FIRST_BACKOFF_S
        attempts = 0
        deferred = method.startswith("_")
        give_up_at = time.monotonic() + self.retry_horizon
        while True:
            attempts += 1
            try:
                if deferred:
                    if self.resolve is not None:
                        await self.resolve(method, json.loads(payload))
                else:
                    await self.limiter.wait(chat, method)
                    await self.send(method, payload)
            except RetryAfter as exc:
                self.metrics.errors.labels(stage="rate_limited").inc()
                log.warning("%s: Telegram asks to wait %ss", method, exc.seconds)
                self.limiter.pause(exc.seconds)
                wait, limited = exc.seconds, True
                reason = f"429 retry after {exc.seconds:g}s"
            except PermanentError as exc:
                self.metrics.errors.labels(stage="send").inc()
                log.warning("%s refused by Telegram: %s", method, exc)
                await self._dead_letter(queued, REFUSED, str(exc), attempts)
                if self.refused is not None and not deferred:
                    await self._report_refusal(self.refused, method, json.loads(payload))
                return False
            except Exception as exc:
                stage = "deferred" if deferred else "send"
                self.metrics.errors.labels(stage=stage).inc()
                reason = str(exc) if isinstance(exc, TransientError) else type(exc).__name__
                if not isinstance(exc, TransientError):
                    log.warning("%s failed (%s), retried", method, reason, exc_info=True)
                wait, delay, limited = delay, min(delay * 2, MAX_BACKOFF_S), False
                log.warning("%s: %s, retry %d in %.1fs", method, reason, attempts, wait)
            else:
                return True
            if time.monotonic() + wait > give_up_at:
                log.error("%s: not delivered after %d attempts: %s", method, attempts, reason)
                await self._dead_letter(queued, UNDELIVERED, reason, attempts)
                return False
            if not limited:  # the limiter waits out a 429 before the next call
                await asyncio.sleep(wait)

    async def _dead_letter(self, queued: Queued, verdict: str, reason: str, attempts: int) -> None:
        """Move a call to the dead letters; if even that fails, the next scan retries it."""
        self.metrics.dead_letters.labels(verdict=verdict).inc()
        try:
            await self.outbox.dead_letter(
                queued, verdict=verdict, reason=reason, attempts=attempts, now=_now()
            )
        except Exception:
            log.exception("outbox: call %s could not be made a dead letter", queued.id)
        self._known.discard(queued.id)

    def _forget(self, outbox_id: int) -> None:
        """Delete a handled call from the outbox, batched with others."""
        self._sent.append(outbox_id)
        if self._deleting is None:
            self._deleting = asyncio.create_task(self._delete_sent())

    async def _delete_sent(self) -> None:
        """Delete sent calls; retried, because a call left in the outbox is sent again."""
        try:
            while self._sent:
                ids, self._sent = self._sent, []
                for attempt in range(1, MAX_ATTEMPTS + 1):
                    try:
                        await self.outbox.delivered(ids)
                    except Exception:  # noqa: BLE001 - retried, then reported below
                        log.warning("outbox: delete failed, retry %d", attempt)
                        await asyncio.sleep(0.2 * attempt)
                    else:
                        self._known.difference_update(ids)
                        for deleted_meanwhile in self._scans:
                            deleted_meanwhile.update(ids)
                        break
                else:
                    log.error("outbox: %d sent calls not deleted; restarts resend them", len(ids))
        finally:
            self._deleting = None

    @staticmethod
    async def _report_refusal(report: Call, method: str, params: dict[str, Any]) -> None:
        try:
            await report(method, params)
        except Exception:  # a failing report must not block the chat's queue
            log.exception("handling a refused %s failed", method)


def _now() -> datetime:
    return datetime.now(UTC)
