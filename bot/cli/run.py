"""``python -m bot run``: the Telegram bot (polling or webhook), with health and metrics."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import socket
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from aiohttp import web

from bot.app import ContentError, build_app, reload_content
from bot.cli import EXIT_ERROR, EXIT_OK
from bot.cli.web import WebPortError, start_web, web_url
from bot.config import Settings
from bot.console.deps import login_links
from bot.handoff.translate import LibreTranslate
from bot.handoff.translation import NoTranslator, Translator
from bot.maintenance import purge_regularly, watch_content
from bot.source import IssueList
from bot.storage import StorageError

if TYPE_CHECKING:
    from bot.channels.telegram.bot import TelegramBot
    from bot.channels.telegram.library import TelegramLibrary

log = logging.getLogger("bot.run")
METRICS_PORT_ENV = "LOTSE_METRICS_PORT"

# Instructions for operators, not a secret.
SETUP_HELP = """\
BOT_TOKEN is not set, so Lotse cannot connect to Telegram.

  1. Talk to @BotFather in Telegram, create a bot and copy its token.
  2. Start Lotse with the token in the environment:
       BOT_TOKEN=123456:ABC... python -m bot run
     (with Docker: docker run -e BOT_TOKEN=... lotse)

To try Lotse without Telegram, chat with it in this terminal:
       python -m bot chat
"""


def run(settings: Settings) -> int:
    """Run until SIGTERM/SIGINT; exit 0 after a graceful stop."""
    token = os.environ.get("BOT_TOKEN", "").strip()
    if not token:
        print(SETUP_HELP, file=sys.stderr)
        return EXIT_ERROR
    secret = os.environ.get("WEBHOOK_SECRET", "")
    if settings.telegram.mode == "webhook" and (
        not secret or not settings.telegram.webhook.public_url
    ):
        print(
            "webhook mode needs WEBHOOK_SECRET in the environment and "
            "telegram.webhook.public_url in config.yaml",
            file=sys.stderr,
        )
        return EXIT_ERROR
    try:
        library = settings.telegram_library()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        asyncio.run(_run(settings, token, secret, library))
    except (ContentError, StorageError, PortInUseError, WebPortError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def telegram_library(name: str, token: str, api_base: str | None) -> TelegramLibrary:
    """The chosen library's primitives; only that library is imported."""
    if name == "ptb":
        from bot.channels.telegram_ptb import PtbLibrary  # noqa: PLC0415

        return PtbLibrary(token, api_base)
    from bot.channels.telegram_aiogram import AiogramLibrary  # noqa: PLC0415

    return AiogramLibrary(token, api_base)


async def _run(settings: Settings, token: str, secret: str, library: str) -> None:
    from bot.channels.telegram.bot import TelegramBot  # noqa: PLC0415
    from bot.channels.web import WebResidents  # noqa: PLC0415

    port = metrics_port(settings)
    if settings.telegram.mode != "webhook":
        _check_free(settings.telegram.metrics_host, port)  # before anything starts
    app = await build_app(settings)
    translator = _translator(settings)
    lock = asyncio.Lock()

    async def reload() -> IssueList:
        async with lock:  # a save that touches several files reloads once at a time
            return reload_content(app)

    runtime = TelegramBot(
        telegram_library(library, token, settings.api_base()),
        app.service,
        settings,
        outbox=app.outbox,
        cases=app.cases,
        translator=translator,
        webhook_secret=secret,
        reload=reload,
        login_link=login_links(app, web_url(settings)) if _serves_console(settings) else None,
        fixed_now=_fixed_now(),
        retry_horizon=_retry_horizon(),
        residents={"web": WebResidents(app.service)},
    )

    async def reload_and_report() -> None:
        issues = await reload()
        if issues.errors and runtime.admin is not None:
            await runtime.admin.notify(runtime.admin.problems(issues.errors))

    # Content, language models and dictionaries live as long as the process: keep them out
    # of the cyclic garbage collector, whose full passes over them stalled replies.
    gc.freeze()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    jobs = [
        loop.create_task(purge_regularly(app.db, settings, stop)),
        loop.create_task(watch_content(settings, reload_and_report, stop)),
    ]
    loop.add_signal_handler(
        signal.SIGHUP, lambda: jobs.append(loop.create_task(reload_and_report()))
    )
    side: web.AppRunner | None = None
    chat: web.AppRunner | None = None
    try:
        if settings.web.enabled:
            chat = await start_web(
                app, settings, staff_desk=True, clock=runtime.gateway.now, reload=reload
            )
        if settings.telegram.mode == "webhook":
            await runtime.run_webhook(stop)
        else:
            side = await _side_server(settings, runtime, port)
            await runtime.run_polling(stop)
    finally:
        stop.set()
        await asyncio.gather(*jobs, return_exceptions=True)
        if side is not None:
            await side.cleanup()
        if chat is not None:
            await chat.cleanup()
        await runtime.close()
        if isinstance(translator, LibreTranslate):
            await translator.close()
        await app.close()
        log.info("Lotse stopped")


def _serves_console(settings: Settings) -> bool:
    """/login can send a link when the console is served here or at a public address."""
    return settings.web.enabled or bool(settings.web.public_url)


def _fixed_now() -> datetime | None:
    """LOTSE_NOW (ISO 8601 with offset) freezes the clock, to preview or test opening hours."""
    value = os.environ.get("LOTSE_NOW", "").strip()
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        msg = f"LOTSE_NOW={value!r} needs a UTC offset, e.g. 2026-11-28T22:00:00+01:00"
        raise ValueError(msg)
    log.warning("the clock is frozen at %s (LOTSE_NOW)", moment.isoformat())
    return moment


def _retry_horizon() -> float:
    """LOTSE_RETRY_HORIZON_S: how long a failing call is retried before it is a dead letter."""
    from bot.channels.telegram.delivery import RETRY_HORIZON_S  # noqa: PLC0415

    value = os.environ.get("LOTSE_RETRY_HORIZON_S", "").strip()
    return float(value) if value else RETRY_HORIZON_S


def _translator(settings: Settings) -> Translator:
    """LibreTranslate when configured (key from HANDOFF_TRANSLATE_API_KEY), else none."""
    url = settings.handoff.translate_url
    if not url:
        return NoTranslator()
    key = os.environ.get("HANDOFF_TRANSLATE_API_KEY") or None
    return LibreTranslate(url, key, timeout=settings.handoff.translate_timeout)


class PortInUseError(Exception):
    """The metrics port cannot be opened (e.g. a second instance on the same machine)."""


def metrics_port(settings: Settings) -> int:
    """LOTSE_METRICS_PORT wins over telegram.metrics_port (a second instance needs its own)."""
    value = os.environ.get(METRICS_PORT_ENV, "").strip()
    if not value:
        return settings.telegram.metrics_port
    if not value.isdigit() or int(value) > 65535:
        msg = f"{METRICS_PORT_ENV}={value!r} is not a port number (0-65535; 0 = off)"
        raise PortInUseError(msg)
    return int(value)


def _port_message(host: str, port: int, exc: OSError) -> str:
    return (
        f"cannot serve /healthz and /metrics on {host}:{port} ({exc.strerror or exc}); is "
        f"another instance running? Set telegram.metrics_port in config.yaml or "
        f"{METRICS_PORT_ENV} (0 = off)"
    )


def _check_free(host: str, port: int) -> None:
    """Fail with one line, before the slow start-up, when the metrics port is taken."""
    if not port:
        return
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise PortInUseError(_port_message(host, port, exc)) from exc


async def _side_server(
    settings: Settings, runtime: TelegramBot, port: int
) -> web.AppRunner | None:
    """/healthz and /metrics beside polling (off when the port is 0)."""
    from bot.channels.telegram.metrics import add_observability_routes  # noqa: PLC0415

    if not port:
        return None
    app = web.Application()
    add_observability_routes(app, runtime.metrics, lambda: runtime.running)
    runner = web.AppRunner(app)
    await runner.setup()
    host = settings.telegram.metrics_host
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:  # taken in the meantime
        await runner.cleanup()
        raise PortInUseError(_port_message(host, port, exc)) from exc
    log.info("health and metrics on http://%s:%s", settings.telegram.metrics_host, port)
    return runner
