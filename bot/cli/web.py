"""``python -m bot web``: the web chat for residents (and ``run`` with ``web.enabled``)."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
import sys
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from bot.app import App, ContentError, build_app, reload_content
from bot.channels.web import WebChat, create_web_app
from bot.cli import EXIT_ERROR, EXIT_OK
from bot.config import Settings
from bot.console import ConsoleDeps, create_console
from bot.console.deps import Reload
from bot.console.membership import bot_api_member_check
from bot.maintenance import purge_regularly
from bot.source import IssueList
from bot.storage import StorageError

log = logging.getLogger("bot.web")
SECRET_ENV = "WEB_SECRET"  # noqa: S105 - the variable's name, not a secret
MIN_SECRET_BYTES = 16
"""The console signs staff sessions with WEB_SECRET; a shorter one is refused."""
NO_TELEGRAM = (
    "BOT_TOKEN is not set: the web chat runs without a staff group, so 'talk to a person' "
    "tells residents kindly that nobody reads the chat. Start `python -m bot run` with "
    "BOT_TOKEN and web.enabled: true to relay web chats to staff."
)


class WebPortError(Exception):
    """The web chat's port cannot be opened."""


def web_secret() -> bytes:
    """WEB_SECRET from the environment; without it a random one for this process only
    (residents' cookies then end with every restart)."""
    value = os.environ.get(SECRET_ENV, "")
    if value:
        return value.encode()
    log.warning(
        "%s is not set: using a random secret, so web residents start over after a restart",
        SECRET_ENV,
    )
    return secrets.token_bytes(32)


def serve(settings: Settings) -> int:
    """Serve the web chat until SIGTERM/SIGINT (with Telegram only through ``run``)."""
    if not os.environ.get("BOT_TOKEN", "").strip():
        print(NO_TELEGRAM, file=sys.stderr)
    try:
        asyncio.run(_serve(settings))
    except (ContentError, StorageError, WebPortError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


async def _serve(settings: Settings) -> None:
    app = await build_app(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    purging = loop.create_task(purge_regularly(app.db, settings, stop))
    runner = None
    try:
        runner = await start_web(app, settings, staff_desk=False)
        await stop.wait()
    finally:
        stop.set()
        await purging
        if runner is not None:
            await runner.cleanup()
        await app.close()


def web_url(settings: Settings) -> str:
    """Where the web chat and the console are reached: ``web.public_url``, else host:port."""
    config = settings.web
    return config.public_url.rstrip("/") or f"http://{config.host}:{config.port}"


def _console(
    app: App, settings: Settings, secret: bytes, reload: Reload | None
) -> web.Application | None:
    """The staff console, when BOT_TOKEN is set (its logins are checked with the bot)."""
    token = os.environ.get("BOT_TOKEN", "").strip()
    if not token:
        log.warning("BOT_TOKEN is not set: no staff console at /staff (its login needs the bot)")
        return None

    if len(secret) < MIN_SECRET_BYTES:
        log.error("WEB_SECRET is shorter than 16 characters: no staff console at /staff")
        return None

    async def reload_here() -> IssueList:
        return reload_content(app)

    deps = ConsoleDeps(
        app=app,
        reload=reload or reload_here,
        bot_token=token,
        web_secret=secret.hex(),
        is_member=bot_api_member_check(token, settings.api_base()),
        public_url=settings.web.public_url,
    )
    return create_console(deps)


async def start_web(
    app: App,
    settings: Settings,
    *,
    staff_desk: bool,
    clock: Callable[[], datetime] | None = None,
    reload: Reload | None = None,
) -> web.AppRunner:
    """Start the web chat (and the staff console at /staff) on ``web.host``:``web.port``;
    the runner stops it."""
    config = settings.web
    secret = web_secret()
    chat = WebChat(
        app.service,
        secret=secret,
        outbox=app.outbox,
        staff_desk=staff_desk,
        secure=config.public_url.startswith("https://"),
        timezone=settings.timezone,
        default_language=settings.default_language,
        clock=clock,
        new_per_minute=config.new_per_minute,
    )
    console = _console(app, settings, secret, reload)
    subapps = {"/staff": console} if console is not None else {}
    runner = web.AppRunner(
        create_web_app(chat, subapps=subapps, embed_origins=config.embed_origins),
        access_log=None,
    )
    await runner.setup()
    try:
        await web.TCPSite(runner, config.host, config.port).start()
    except OSError as exc:
        await runner.cleanup()
        msg = (
            f"cannot serve the web chat on {config.host}:{config.port} "
            f"({exc.strerror or exc}); set web.port in config.yaml"
        )
        raise WebPortError(msg) from exc
    log.info("web chat on http://%s:%s/", config.host, config.port)
    return runner
