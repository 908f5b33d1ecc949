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
from contextlib import suppress
from datetime import datetime
from typing import Any

import aiogram.methods
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.types import BotCommand, Update
from aiohttp import web

from bot.channels.telegram.admin import Reload, StaffAdmin
from bot.channels.telegram.delivery import (
    Limits,
    OutboxSender,
    PermanentError,
    RetryAfter,
    TransientError,
)
from bot.channels.telegram.gateway import TelegramGateway
from bot.channels.telegram.metrics import Metrics, add_observability_routes
from bot.channels.telegram.staff import StaffDesk
from bot.channels.telegram_aiogram.routes import build_router
from bot.config import Settings
from bot.handoff.translation import NoTranslator, Translator
from bot.i18n import Catalogs
from bot.service import ConversationService

log = logging.getLogger("bot.telegram")
POLL_TIMEOUT_S = 25
SHUTDOWN_GRACE_S = 20
REFETCH_S = 0.05
"""Shortest pause between two fetches while updates are still in flight."""
COMMANDS = ("start", "language", "help", "human", "delete")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


class AiogramRuntime:
    """One bot: aiogram's Bot and Dispatcher wired to Lotse's gateway and outbox."""

    def __init__(
        self,
        service: ConversationService,
        settings: Settings,
        token: str,
        *,
        translator: Translator | None = None,
        api_base: str | None = None,
        webhook_secret: str = "",
        reload: Reload | None = None,
        fixed_now: datetime | None = None,
    ) -> None:
        self.service = service
        self.settings = settings
        self.webhook_secret = webhook_secret
        session = (
            AiohttpSession(api=TelegramAPIServer.from_base(api_base))
            if api_base
            else AiohttpSession()
        )
        self.bot = Bot(token, session=session)
        self.metrics = Metrics()
        configured = settings.telegram.limits
        self.sender = OutboxSender(
            service.db,
            self.call,
            self.metrics,
            Limits(
                global_rate=configured.per_second,
                global_burst=configured.per_second,
                chat_rate=configured.chat_per_second,
                chat_burst=configured.chat_burst,
                group_rate=configured.group_per_minute / 60,
            ),
        )
        self.gateway = TelegramGateway(
            service,
            self.metrics,
            kick=self.sender.kick,
            timezone=settings.timezone,
            default_language=settings.default_language,
            fixed_now=fixed_now,
        )
        self.desk = None
        if service.engine.directory is not None:
            self.desk = StaffDesk(
                service,
                settings.telegram.staff_groups,
                translator=translator or NoTranslator(),
                call=self.call,
                now=self.gateway.now,
                kick=self.sender.kick,
            )
            self.sender.resolve = self.desk.resolve
            self.sender.refused = self.desk.refused
        self.admin = None
        if reload is not None:
            self.admin = StaffAdmin(
                service,
                staff_chats=[g.chat_id for g in settings.telegram.staff_groups],
                staff_users=settings.telegram.staff_user_ids,
                reload=reload,
                kick=self.sender.kick,
            )
        self.dispatcher = Dispatcher()
        self.dispatcher.include_router(build_router(self.gateway, self.desk, self.admin))
        self._inflight: set[asyncio.Task[None]] = set()
        self._chains: dict[int, asyncio.Task[None]] = {}
        self._unfinished: set[int] = set()
        self._recent: deque[int] = deque(maxlen=10_000)
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
        request = _method(method, params)
        try:
            return await self.bot(request)
        except TelegramRetryAfter as exc:
            raise RetryAfter(float(exc.retry_after)) from exc
        except (TimeoutError, TelegramNetworkError, TelegramServerError) as exc:
            raise TransientError(type(exc).__name__) from exc
        except TelegramAPIError as exc:
            raise PermanentError(f"{type(exc).__name__}: {exc.message}") from exc

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

        Telegram is told an update was handled (the ``offset``) only once its effects are
        committed; a redelivered update is recognised by its id and skipped.
        """
        await self.bot(aiogram.methods.DeleteWebhook(drop_pending_updates=False))
        await self.register_commands()
        sender = asyncio.create_task(self.sender.run(stop))
        self.running = True
        log.info("polling started")
        offset: int | None = None
        try:
            while not stop.is_set():
                fresh = 0
                for update in await self._fetch(offset, stop):
                    if update.update_id in self._unfinished or update.update_id in self._recent:
                        continue
                    self._schedule(update)
                    fresh += 1
                offset = self._offset(offset)
                if not fresh and self._unfinished:
                    # Telegram answers at once while unconfirmed updates exist: wait for one
                    # of them to finish instead of asking again in a tight loop.
                    await self._progress(stop)
        finally:
            self.running = False
            await self._drain()
            with suppress(Exception):
                await self.bot(GetUpdates(offset=self._offset(offset), timeout=0, limit=1))
            await sender
            log.info("polling stopped")

    async def _progress(self, stop: asyncio.Event) -> None:
        """Wait until an update in flight finishes (at least REFETCH_S), or ``stop``."""
        waiters = {asyncio.ensure_future(stop.wait()), *self._inflight}
        await asyncio.wait(waiters, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            if waiter not in self._inflight:
                waiter.cancel()
        await asyncio.sleep(REFETCH_S)

    def _offset(self, previous: int | None) -> int | None:
        """The first update id not yet committed (everything below is confirmed)."""
        if self._unfinished:
            return min(self._unfinished)
        if self._recent:
            return max(self._recent) + 1
        return previous

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
            return list(request.result())
        except Exception as exc:  # noqa: BLE001 - keep polling through network trouble
            self.metrics.errors.labels(stage="fetch").inc()
            log.warning("getUpdates failed: %s; retrying", type(exc).__name__)
            with suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=2)
            return []

    def _schedule(self, update: Update) -> None:
        """Handle updates of one chat in order, different chats concurrently."""
        chat = _chat_id(update)
        previous = self._chains.get(chat)
        self._unfinished.add(update.update_id)

        async def handle() -> None:
            if previous is not None:
                with suppress(Exception):
                    await previous
            await self.feed(update)

        task = asyncio.create_task(handle())
        self._chains[chat] = task
        self._inflight.add(task)

        def done(finished: asyncio.Task[None]) -> None:
            self._inflight.discard(finished)
            self._unfinished.discard(update.update_id)
            self._recent.append(update.update_id)
            if self._chains.get(chat) is finished:
                del self._chains[chat]

        task.add_done_callback(done)

    async def feed(self, update: Update) -> None:
        """Run one update through the dispatcher; errors are logged, never raised."""
        try:
            await self.dispatcher.feed_update(self.bot, update)
        except Exception:
            self.metrics.errors.labels(stage="dispatch").inc()
            log.exception("update %s: unhandled error", update.update_id)

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
        await task  # answer only when handled: Telegram retries what failed
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


def _method(method: str, params: dict[str, Any]) -> TelegramMethod[Any]:
    method_class = getattr(aiogram.methods, method[0].upper() + method[1:])
    return method_class.model_validate(params)  # type: ignore[no-any-return]
