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

from bot.app import App, ContentError, build_app
from bot.channels.web import WebChat, create_web_app
from bot.cli import EXIT_ERROR, EXIT_OK
from bot.config import Settings
from bot.maintenance import purge_regularly
from bot.storage import StorageError

log = logging.getLogger("bot.web")
SECRET_ENV = "WEB_SECRET"  # noqa: S105 - the variable's name, not a secret
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


async def start_web(
    app: App,
    settings: Settings,
    *,
    staff_desk: bool,
    clock: Callable[[], datetime] | None = None,
) -> web.AppRunner:
    """Start the web chat on ``web.host``:``web.port``; the runner stops it."""
    config = settings.web
    chat = WebChat(
        app.service,
        secret=web_secret(),
        outbox=app.outbox,
        staff_desk=staff_desk,
        secure=config.public_url.startswith("https://"),
        timezone=settings.timezone,
        default_language=settings.default_language,
        clock=clock,
    )
    runner = web.AppRunner(
        create_web_app(chat, embed_origins=config.embed_origins), access_log=None
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
