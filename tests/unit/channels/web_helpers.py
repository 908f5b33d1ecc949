"""A web chat over the real engine and a real SQLite file, served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import ClientResponse, CookieJar
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_engine
from bot.channels.web import WebChat, create_web_app
from bot.config import load_settings
from bot.content import load_content
from bot.core.engine import Engine
from bot.outbox_service import OutboxService
from bot.service import ConversationService
from bot.storage import Database

ROOT = Path(__file__).resolve().parents[3]
AT = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
SECRET = b"test secret"


def shipped_engine() -> Engine:
    settings, _ = load_settings(ROOT / "config.yaml")
    assert settings is not None
    return build_engine(settings, load_content(settings))


@asynccontextmanager
async def serve(
    engine: Engine, db: Database, **options: Any
) -> AsyncIterator[tuple[TestClient[Any, Any], WebChat]]:
    """A client (with a cookie jar that keeps 127.0.0.1's cookies) of a served web chat."""
    service = ConversationService(engine, db)
    options.setdefault("outbox", OutboxService(db))
    embed = options.pop("embed_origins", ())
    chat = WebChat(service, secret=SECRET, clock=lambda: AT, **options)
    server = TestServer(create_web_app(chat, embed_origins=embed), host="127.0.0.1")
    async with TestClient(server, cookie_jar=CookieJar(unsafe=True)) as client:
        yield client, chat


async def post(client: TestClient[Any, Any], **event: Any) -> dict[str, Any]:
    response = await client.post("/api/event", json=event)
    assert response.status == 200, await response.text()
    body: dict[str, Any] = await response.json()
    return body


def asked(body: dict[str, Any]) -> dict[str, Any]:
    """The last question of an answer."""
    return [m for m in body["messages"] if m["kind"] == "ask"][-1]


async def agreed(client: TestClient[Any, Any], payload: str = "de") -> dict[str, Any]:
    """Deep-link start in a language, agree: returns the main menu's answer."""
    consent = asked(await post(client, type="start", payload=payload))
    return await post(client, type="button", step=consent["step"], option="agree")


async def status_and_json(response: ClientResponse) -> tuple[int, dict[str, Any]]:
    return response.status, await response.json()
