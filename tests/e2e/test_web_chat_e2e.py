"""Issue 16, point 3, end to end: the real ``python -m bot run`` with ``web.enabled``, a web
resident over real HTTP, and staff in the fake Bot API's forum topic."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, CookieJar

from bot.i18n import Catalogs
from tests.e2e.conftest import ROOT, BotFactory, free_port, write_config
from tests.e2e.fake_bot_api import ApiCall, FakeBotApi
from tests.e2e.test_handoff import GROUPS, STAFF, TUESDAY_MORNING, in_topic, staff_says

pytestmark = [pytest.mark.e2e]


class WebResident:
    """A browser without the page: the JSON API, its cookie kept."""

    def __init__(self, base: str, http: ClientSession) -> None:
        self.base = base
        self.http = http
        self.last = 0

    async def send(self, **event: Any) -> dict[str, Any]:
        async with self.http.post(f"{self.base}/api/event", json=event) as response:
            assert response.status == 200, await response.text()
            body: dict[str, Any] = await response.json()
            return body

    async def fetch(self) -> dict[str, Any]:
        """Long-poll the staff replies held for this resident."""
        url = f"{self.base}/api/messages?wait=1&after={self.last}"
        async with self.http.get(url) as response:
            body: dict[str, Any] = await response.json()
        self.last = body["last"]
        return body


@pytest.fixture
async def http() -> AsyncIterator[ClientSession]:
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as session:
        yield session


def web_on(port: int) -> dict[str, Any]:
    return {"web": {"enabled": True, "host": "127.0.0.1", "port": port}}


async def test_web_handoff_reaches_the_topic_and_staff_replies_reach_the_page(
    fake_api: FakeBotApi, lotse: BotFactory, http: ClientSession, texts: Catalogs
) -> None:
    port = free_port()
    env = {"LOTSE_NOW": TUESDAY_MORNING, "WEB_SECRET": "e2e secret"}
    async with lotse(staff_groups=GROUPS, env=env, top=web_on(port)):
        resident = WebResident(f"http://127.0.0.1:{port}", http)
        consent = await resident.send(type="start", payload="integrationsmanagement-de")
        step = next(m["step"] for m in consent["messages"] if m["kind"] == "ask")
        await resident.send(type="button", step=step, option="agree")
        await resident.send(type="command", name="human")
        topic: ApiCall = await fake_api.next_call("createForumTopic", timeout=15)
        card = await in_topic(fake_api, topic)
        await resident.send(type="text", text="Ich habe einen Brief vom Amt.")
        relayed = await in_topic(fake_api, topic)
        await staff_says(fake_api, topic, "Kommen Sie Dienstag vorbei.")
        replies: list[str] = []
        while not any("Dienstag" in text for text in replies):
            replies += [m["text"] for m in (await resident.fetch())["messages"]]
        await fake_api.wait_idle()
    assert topic.params["chat_id"] == STAFF
    assert "Fall #2026-0001" in card.params["text"]
    assert "Ich habe einen Brief vom Amt." in relayed.params["text"]
    assert replies[-1].startswith(texts.text("de", "handoff.staff_says"))
    assert replies[-1].endswith("Kommen Sie Dienstag vorbei.")
    chats = {c.params.get("chat_id") for c in fake_api.calls() if "chat_id" in c.params}
    assert chats <= {STAFF}  # nothing for the web resident went to Telegram


async def test_web_alone_without_bot_token(tmp_path: Path, http: ClientSession) -> None:
    """``python -m bot web`` serves the chat without Telegram and says so on start."""
    port = free_port()
    config = write_config(tmp_path, top=web_on(port))
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "WEB_SECRET")}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path}/lotse.db"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--config",
        str(config),
        "web",
        cwd=ROOT,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stderr is not None
        said = []
        while not any("web chat on" in line for line in said):
            line = await asyncio.wait_for(process.stderr.readline(), 30)
            assert line, "the web command ended early: " + "".join(said)
            said.append(line.decode())
        resident = WebResident(f"http://127.0.0.1:{port}", http)
        answer = await resident.send(type="start", payload="de")
    finally:
        process.terminate()
        code = await process.wait()
    assert any("BOT_TOKEN is not set" in line for line in said)
    assert any("WEB_SECRET is not set" in line for line in said)
    assert answer["lang"] == "de"
    assert code == 0
