"""One Telegram bot, whatever its library: the composition of gateway, staff desk, admin,
outbox sender, metrics and update pump, and its life from start-up to a graceful stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.channels.desk import ResidentDelivery
from bot.channels.telegram.admin import LoginLink, Reload, StaffAdmin
from bot.channels.telegram.delivery import (
    RETRY_HORIZON_S,
    Limits,
    OutboxSender,
    PermanentError,
    RetryAfter,
    TransientError,
)
from bot.channels.telegram.gateway import TelegramGateway
from bot.channels.telegram.library import TelegramLibrary
from bot.channels.telegram.metrics import Metrics, add_observability_routes
from bot.channels.telegram.pump import UpdatePump
from bot.channels.telegram.router import Router
from bot.channels.telegram.staff import StaffDesk
from bot.channels.telegram.updates import ALLOWED_UPDATES
from bot.config import SendLimits, Settings
from bot.handoff.translation import NoTranslator, Translator
from bot.handoff_service import HandoffService
from bot.i18n import Catalogs
from bot.outbox_service import OutboxService
from bot.service import ConversationService

log = logging.getLogger("bot.telegram")
COMMANDS = ("start", "language", "help", "human", "delete")


class TelegramBot:
    """Lotse on Telegram through one library (see :class:`TelegramLibrary`)."""

    def __init__(
        self,
        library: TelegramLibrary,
        service: ConversationService,
        settings: Settings,
        *,
        outbox: OutboxService,
        cases: HandoffService,
        translator: Translator | None = None,
        webhook_secret: str = "",
        reload: Reload | None = None,
        login_link: LoginLink | None = None,
        fixed_now: datetime | None = None,
        retry_horizon: float = RETRY_HORIZON_S,
        residents: Mapping[str, ResidentDelivery] | None = None,
    ) -> None:
        self.library = library
        self.service = service
        self.settings = settings
        self.webhook_secret = webhook_secret
        self.metrics = Metrics()
        self.sender = OutboxSender(
            outbox,
            library.send,
            self.metrics,
            _limits(settings.telegram.limits),
            retry_horizon=retry_horizon,
        )
        self.gateway = TelegramGateway(
            service,
            self.metrics,
            timezone=settings.timezone,
            default_language=settings.default_language,
            fixed_now=fixed_now,
        )
        desk = None
        if service.engine.directory is not None:
            desk = StaffDesk(
                cases,
                translator=translator or NoTranslator(),
                call=library.call,
                now=self.gateway.now,
                residents=residents,
            )
            self.sender.resolve = desk.resolve
            self.sender.refused = desk.refused
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
        router = Router(self.gateway, desk, self.admin)
        self.pump = UpdatePump(library, router.route, service, self.metrics, self.gateway.now)
        self.running = False

    @property
    def texts(self) -> Catalogs:
        """The catalogues in use (they change with a hot reload)."""
        return self.service.engine.texts

    def __repr__(self) -> str:
        return f"TelegramBot(library={self.library.name}, token=<hidden>)"

    async def register_commands(self) -> None:
        """Command menus in every offered language, the default language for the rest."""
        for language in (None, *self.settings.languages):
            lang = language or self.settings.default_language
            params: dict[str, Any] = {
                "commands": [
                    {"command": c, "description": self.texts.text(lang, f"commands.{c}")}
                    for c in COMMANDS
                ]
            }
            if language:
                params["language_code"] = language
            try:
                await self.library.call("setMyCommands", params)
            except (RetryAfter, TransientError, PermanentError) as exc:
                log.warning("command menu for %s not registered: %s", lang, exc)

    async def run_polling(self, stop: asyncio.Event) -> None:
        """Long polling until ``stop`` is set; in-flight updates finish first."""
        await self.library.call("deleteWebhook", {"drop_pending_updates": False})
        await self.register_commands()
        sender = asyncio.create_task(self.sender.run(stop))
        self.running = True
        log.info("polling started (%s)", self.library.name)
        try:
            await self.pump.poll(stop)
        finally:
            self.running = False
            await sender
            log.info("polling stopped")

    def webhook_app(self) -> web.Application:
        """The aiohttp app: the webhook route plus /healthz and /metrics."""
        app = web.Application()
        app.router.add_post(
            self.settings.telegram.webhook.path, self.pump.webhook_route(self.webhook_secret)
        )
        add_observability_routes(app, self.metrics, lambda: True)
        return app

    async def run_webhook(self, stop: asyncio.Event) -> None:
        """Serve the webhook until ``stop`` is set; register it with Telegram first."""
        hook = self.settings.telegram.webhook
        await self.register_commands()
        await self.library.call(
            "setWebhook",
            {
                "url": hook.public_url.rstrip("/") + hook.path,
                "secret_token": self.webhook_secret,
                "allowed_updates": list(ALLOWED_UPDATES),
            },
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
            await self.pump.drain()
            await sender
            await runner.cleanup()

    async def close(self) -> None:
        """Close the library's HTTP session."""
        await self.library.close()


def _limits(configured: SendLimits) -> Limits:
    return Limits(
        global_rate=configured.per_second,
        global_burst=configured.per_second,
        chat_rate=configured.chat_per_second,
        chat_burst=configured.chat_burst,
        group_rate=configured.group_per_minute / 60,
    )
