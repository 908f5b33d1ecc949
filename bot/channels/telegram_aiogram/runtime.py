"""Running the aiogram bot: start-up, long polling or webhook, graceful shutdown.

Polling is Lotse's own loop rather than ``Dispatcher.start_polling``: it keeps each chat's
updates in order, and on SIGTERM it stops fetching, lets in-flight updates finish and only
then closes, so no resident is left without an answer.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any

import aiogram.methods
from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    AiogramError,
    ClientDecodeError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response
from aiogram.types import BotCommand, Update
from aiohttp import ClientError, ClientTimeout, web

from bot.channels.desk import ResidentDelivery
from bot.channels.telegram.admin import LoginLink, Reload, StaffAdmin
from bot.channels.telegram.delivery import (
    RETRY_HORIZON_S,
    Limits,
    OutboxSender,
    PermanentError,
    RetryAfter,
    TransientError,
    error_for,
)
from bot.channels.telegram.failures import classify_answer
from bot.channels.telegram.gateway import TelegramGateway
from bot.channels.telegram.metrics import Metrics, add_observability_routes
from bot.channels.telegram.staff import StaffDesk
from bot.channels.telegram_aiogram.identity import api_session
from bot.channels.telegram_aiogram.routes import build_router
from bot.config import Settings
from bot.handoff.translation import NoTranslator, Translator
from bot.handoff_service import HandoffService
from bot.i18n import Catalogs
from bot.outbox_service import OutboxService
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
COMMANDS = ("start", "language", "help", "human", "delete")
JSON = {"Content-Type": "application/json"}
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


class AiogramRuntime:
    """One bot: aiogram's Bot and Dispatcher wired to Lotse's gateway and outbox."""

    def __init__(
        self,
        service: ConversationService,
        settings: Settings,
        token: str,
        *,
        outbox: OutboxService,
        cases: HandoffService,
        translator: Translator | None = None,
        api_base: str | None = None,
        webhook_secret: str = "",
        reload: Reload | None = None,
        login_link: LoginLink | None = None,
        fixed_now: datetime | None = None,
        retry_horizon: float = RETRY_HORIZON_S,
        residents: Mapping[str, ResidentDelivery] | None = None,
    ) -> None:
        self.service = service
        self.settings = settings
        self.webhook_secret = webhook_secret
        session = api_session(api_base)
        self.http = session
        self.bot = Bot(token, session=session)
        _keep_response_type(GetUpdates)
        self.metrics = Metrics()
        configured = settings.telegram.limits
        self.sender = OutboxSender(
            outbox,
            self.send,
            self.metrics,
            Limits(
                global_rate=configured.per_second,
                global_burst=configured.per_second,
                chat_rate=configured.chat_per_second,
                chat_burst=configured.chat_burst,
                group_rate=configured.group_per_minute / 60,
            ),
            retry_horizon=retry_horizon,
        )
        self.gateway = TelegramGateway(
            service,
            self.metrics,
            timezone=settings.timezone,
            default_language=settings.default_language,
            fixed_now=fixed_now,
        )
        self.desk = None
        if service.engine.directory is not None:
            self.desk = StaffDesk(
                cases,
                translator=translator or NoTranslator(),
                call=self.call,
                now=self.gateway.now,
                residents=residents,
            )
            self.sender.resolve = self.desk.resolve
            self.sender.refused = self.desk.refused
        self.admin = None
        if reload is not None:
            self.admin = StaffAdmin(
                service,
                outbox,
                staff_chats=[g.chat_id for g in settings.telegram.staff_groups],
                staff_users=settings.telegram.staff_user_ids,
                reload=reload,
                login_link=login_link,
            )
        self.dispatcher = Dispatcher(disable_fsm=True)  # sessions are Lotse's own
        self.dispatcher.include_router(build_router(self.gateway, self.desk, self.admin))
        self._inflight: set[asyncio.Task[bool]] = set()
        self._chains: dict[int, asyncio.Task[bool]] = {}
        self._unfinished: set[int] = set()
        self._in_inbox: set[int] = set()
        self._handled: list[int] = []
        """Kept in the inbox and handled since: taken out of it with the next write."""
        self._unkept: list[Update] = []
        """Fetched, but a failed write did not keep them: kept with the next write."""
        self._recent: deque[int] = deque(maxlen=10_000)
        self._fetch_backoff = FETCH_BACKOFF_S
        self.running = False

    @property
    def texts(self) -> Catalogs:
        """The catalogues in use (they change with a hot reload)."""
        return self.service.engine.texts

    def __repr__(self) -> str:
        return f"AiogramRuntime(bot_id={self.bot.id}, token=<hidden>)"

    # -- calls -------------------------------------------------------------------------

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """Make one Bot API call; aiogram's errors become the outbox's retry categories."""
        with _outbox_errors():
            return await self.bot(_method(method, params))

    async def send(self, method: str, payload: str) -> None:
        """Post an outbox call, its JSON as written, through aiogram's HTTP session.

        Building aiogram's objects from the JSON only to serialise them again, and parsing
        the sent message back, cost half of every send. Errors are still read by aiogram.
        """
        session = self.http
        client = await session.create_session()
        url = session.api.api_url(token=self.bot.token, method=method)
        with _outbox_errors():
            try:
                async with client.post(
                    url, data=payload, headers=JSON, timeout=ClientTimeout(total=session.timeout)
                ) as response:
                    status, content = response.status, await response.text()
            except (TimeoutError, ClientError) as exc:
                raise TransientError(type(exc).__name__) from exc
            failure = classify_answer(status, content)
            if failure is not None:
                raise error_for(failure)

    # -- start-up ----------------------------------------------------------------------

    async def register_commands(self) -> None:
        """Command menus in every offered language, the default language for the rest."""
        for language in (None, *self.settings.languages):
            lang = language or self.settings.default_language
            commands = [
                BotCommand(command=c, description=self.texts.text(lang, f"commands.{c}"))
                for c in COMMANDS
            ]
            params: dict[str, Any] = {"commands": [c.model_dump() for c in commands]}
            if language:
                params["language_code"] = language
            try:
                await self.call("setMyCommands", params)
            except (RetryAfter, TransientError, PermanentError) as exc:
                log.warning("command menu for %s not registered: %s", lang, exc)

    # -- polling -----------------------------------------------------------------------

    async def run_polling(self, stop: asyncio.Event) -> None:
        """Fetch updates until ``stop`` is set, then finish what is in flight.

        Telegram is told that updates arrived (the next ``getUpdates`` offset) only once
        each is committed or kept in the inbox, so a crash loses none: on restart the inbox
        is handled before anything new. A redelivered update is recognised by its id.
        """
        await self.bot(aiogram.methods.DeleteWebhook(drop_pending_updates=False))
        await self.register_commands()
        sender = asyncio.create_task(self.sender.run(stop))
        self.running = True
        log.info("polling started")
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
            self.running = False
            await self._drain()
            with suppress(Exception):
                await self._keep([], stop)
                await self.bot(GetUpdates(offset=offset, timeout=0, limit=1))
            await sender
            log.info("polling stopped")

    def _known(self, update_id: int) -> bool:
        return update_id in self._unfinished or update_id in self._recent

    async def _keep(self, updates: list[Update], stop: asyncio.Event) -> bool:
        """Store unfinished updates in the inbox and forget handled ones; False on failure."""
        handled, self._handled = self._handled, []
        # Updates a failed write did not keep: still unfinished ones must be kept first.
        waiting = [u for u in self._unkept if u.update_id in self._unfinished]
        self._unkept = []
        if not updates and not handled and not waiting:
            return True
        rows = [
            (u.update_id, u.model_dump_json(by_alias=True, exclude_none=True))
            for u in (*waiting, *updates)
        ]
        self._in_inbox.update(update_id for update_id, _ in rows)  # before: it may finish now
        try:
            await self.service.keep_updates(rows, handled, self.gateway.now())
        except Exception as exc:  # noqa: BLE001 - the database may be briefly unavailable
            self._handled.extend(handled)
            self._unkept = [*waiting, *updates]
            self.metrics.errors.labels(stage="inbox").inc()
            log.warning("inbox unavailable (%s); fetching again shortly", type(exc).__name__)
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=2)
            return False
        return True

    async def _kept_updates(self) -> list[Update]:
        """Updates fetched before a crash and not handled: they come first."""
        updates = []
        for update_id, payload in await self.service.kept_updates():
            try:
                updates.append(Update.model_validate_json(payload, context={"bot": self.bot}))
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

    async def _fetch(self, offset: int | None, stop: asyncio.Event) -> list[Update]:
        request = asyncio.ensure_future(
            self.bot(
                GetUpdates(
                    offset=offset,
                    timeout=POLL_TIMEOUT_S,
                    allowed_updates=["message", "edited_message", "callback_query"],
                ),
                request_timeout=POLL_TIMEOUT_S + 10,
            )
        )
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
            if isinstance(exc, TelegramRetryAfter):
                wait = float(exc.retry_after)
            else:
                self._fetch_backoff = min(self._fetch_backoff * 2, FETCH_BACKOFF_MAX_S)
            log.warning("getUpdates failed: %s; retrying in %.2fs", type(exc).__name__, wait)
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)
            return []
        self._fetch_backoff = FETCH_BACKOFF_S
        return updates

    def _schedule(self, update: Update) -> asyncio.Task[bool]:
        """Handle updates of one chat in order, different chats concurrently."""
        chat = _chat_id(update)
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
            if finished.cancelled() or not finished.result():
                # Nothing was committed: the update stays unfinished, so it is kept in the
                # inbox (never confirmed without its effect) and handled after the next start.
                log.error("update %s kept in the inbox for the next start", update.update_id)
                if self._chains.get(chat) is finished:
                    del self._chains[chat]
                return
            self._unfinished.discard(update.update_id)
            self._recent.append(update.update_id)
            if update.update_id in self._in_inbox:
                self._in_inbox.discard(update.update_id)
                self._handled.append(update.update_id)
            if self._chains.get(chat) is finished:
                del self._chains[chat]

        task.add_done_callback(done)
        return task

    async def feed(self, update: Update) -> bool:
        """Run one update through the dispatcher; False (logged, never raised) on an error."""
        try:
            await self.dispatcher.feed_update(self.bot, update)
        except Exception:
            self.metrics.errors.labels(stage="dispatch").inc()
            log.exception("update %s: unhandled error", update.update_id)
            return False
        return True

    async def _drain(self) -> None:
        if self._inflight:
            log.info("finishing %d updates in flight", len(self._inflight))
            await asyncio.wait(set(self._inflight), timeout=SHUTDOWN_GRACE_S)

    # -- webhook -----------------------------------------------------------------------

    def webhook_app(self) -> web.Application:
        """The aiohttp app: the webhook route plus /healthz and /metrics."""
        app = web.Application()
        app.router.add_post(self.settings.telegram.webhook.path, self._webhook)
        add_observability_routes(app, self.metrics, lambda: True)
        return app

    async def _webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not self.webhook_secret or not hmac.compare_digest(given, self.webhook_secret):
            log.warning("webhook call with a wrong secret token rejected")
            return web.Response(status=401, text="unauthorized")
        try:
            update = Update.model_validate(await request.json(), context={"bot": self.bot})
        except Exception:  # noqa: BLE001 - any malformed body is the sender's problem
            log.warning("webhook: malformed update rejected")
            return web.Response(status=400, text="bad update")
        task = asyncio.create_task(self.feed(update))
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)
        if not await task:  # answer only when handled: Telegram retries what failed
            return web.Response(status=500, text="not handled")
        return web.Response(text="ok")

    async def run_webhook(self, stop: asyncio.Event) -> None:
        """Serve the webhook until ``stop`` is set; register it with Telegram first."""
        hook = self.settings.telegram.webhook
        await self.register_commands()
        await self.bot(
            aiogram.methods.SetWebhook(
                url=hook.public_url.rstrip("/") + hook.path,
                secret_token=self.webhook_secret,
                allowed_updates=["message", "edited_message", "callback_query"],
            )
        )
        runner = web.AppRunner(self.webhook_app())
        await runner.setup()
        site = web.TCPSite(runner, hook.host, hook.port)
        await site.start()
        sender = asyncio.create_task(self.sender.run(stop))
        self.running = True
        log.info("webhook listening on %s:%s%s", hook.host, hook.port, hook.path)
        try:
            await stop.wait()
        finally:
            self.running = False
            await self._drain()
            await sender
            await runner.cleanup()

    async def close(self) -> None:
        """Close the Bot API session."""
        await self.bot.session.close()


def _chat_id(update: Update) -> int:
    message = update.message or update.edited_message
    if message is not None:
        return message.chat.id
    if update.callback_query is not None:
        return update.callback_query.from_user.id
    return 0


@contextmanager
def _outbox_errors() -> Iterator[None]:
    """aiogram's exceptions as the outbox's retry categories.

    ``ClientDecodeError`` (an answer aiogram cannot decode, e.g. a proxy's HTML 502 page)
    and any error aiogram does not name are unknown: retried like a 5xx. Only Telegram's
    refusal of the call itself is permanent; 401 and 409 concern the bot, not the call.
    """
    try:
        yield
    except (RetryAfter, TransientError, PermanentError):
        raise
    except TelegramRetryAfter as exc:
        raise RetryAfter(float(exc.retry_after)) from exc
    except (TelegramUnauthorizedError, TelegramConflictError) as exc:
        raise TransientError(f"{type(exc).__name__}: {exc.message}") from exc
    except (TelegramBadRequest, TelegramForbiddenError, TelegramNotFound) as exc:
        raise PermanentError(f"{type(exc).__name__}: {exc.message}") from exc
    except TelegramEntityTooLarge as exc:
        raise PermanentError(f"{type(exc).__name__}: {exc.message}") from exc
    except (TimeoutError, ClientError, ClientDecodeError, AiogramError) as exc:
        raise TransientError(type(exc).__name__) from exc


def _method(method: str, params: dict[str, Any]) -> TelegramMethod[Any]:
    method_class = getattr(aiogram.methods, method[0].upper() + method[1:])
    _keep_response_type(method_class)
    return method_class.model_validate(params)  # type: ignore[no-any-return]


_RESPONSE_TYPES: dict[type[TelegramMethod[Any]], type[Response[Any]]] = {}


def _keep_response_type(method_class: type[TelegramMethod[Any]]) -> None:
    """Hold aiogram's ``Response[T]`` for a method, so that it is built only once.

    aiogram parses every answer as ``Response[T]``; pydantic caches that generic class only
    weakly, so without a reference it is rebuilt for each call (measured: a third of a send).
    """
    if method_class not in _RESPONSE_TYPES:
        _RESPONSE_TYPES[method_class] = Response[method_class.__returning__]  # type: ignore[name-defined]
