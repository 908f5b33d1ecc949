"""Issue 12, point 1: no call is dropped silently. A refusal is recorded with its reason; a
call whose retries run out becomes a dead letter, counted in /metrics, shown in /stats and
sent again on the next start or with /resend."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from aiohttp import ClientSession

from bot.i18n import Catalogs
from tests.e2e.conftest import BotFactory, free_port
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.test_telegram import ready

pytestmark = [pytest.mark.e2e]
RESIDENT, STAFF_USER = 9301, 4711
SHORT_HORIZON = {"LOTSE_RETRY_HORIZON_S": "2"}


def dead_letters(tmp_path: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(tmp_path / "lotse.db") as db:
        return db.execute("SELECT chat, method, verdict, reason FROM dead_letters").fetchall()


async def written(tmp_path: Path, count: int, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Wait until ``count`` dead letters are in the database (read every 50 ms: writing
    one makes no Bot API call that would wake the fake's waiters)."""
    async with asyncio.timeout(timeout):
        while len(dead_letters(tmp_path)) < count:  # noqa: ASYNC110 - a file, no event
            await asyncio.sleep(0.05)


async def metric(port: int, name: str) -> str:
    async with ClientSession() as http, http.get(f"http://127.0.0.1:{port}/metrics") as page:
        text = await page.text()
    return next(line for line in text.splitlines() if line.startswith(name))


async def test_refusals_and_undelivered_calls_become_dead_letters(
    fake_api: FakeBotApi, lotse: BotFactory, tmp_path: Path, texts: Catalogs
) -> None:
    """One bot: a refusal is recorded with its reason; then a call whose retries run out is
    counted, shown in /stats and sent again after a restart (the refusal is not)."""
    port = free_port()
    async with lotse(env=SHORT_HORIZON, metrics_port=port, staff_user_ids=[STAFF_USER]) as bot:
        await ready(fake_api, chat=RESIDENT)
        await fake_api.wait_idle()
        fake_api.fail_next("sendMessage", status=403, count=1)
        fake_api.user_sends(RESIDENT, "xyz")
        await written(tmp_path, 1)
        [(chat, method, verdict, reason)] = dead_letters(tmp_path)
        assert (chat, method, verdict) == (str(RESIDENT), "sendMessage", "refused")
        assert "blocked by the user" in reason

        fake_api.fail_next("sendMessage", status=502, count=10_000, raw_body="<html>502</html>")
        fake_api.user_sends(RESIDENT, "xyz")
        await written(tmp_path, 2)
        lost = fake_api.calls("sendMessage", chat_id=RESIDENT)[-1].params["text"]
        counted = await metric(port, 'lotse_dead_letters_total{verdict="undelivered"}')
        fake_api.clear_faults()
        fake_api.user_sends(STAFF_USER, "/stats")
        stats = await fake_api.next_call("sendMessage", chat_id=STAFF_USER, timeout=20)
        before = len(fake_api.sent_texts(RESIDENT))
        await bot.kill()
        await bot.start()
        await fake_api.wait_until(
            lambda: len(fake_api.sent_texts(RESIDENT)) > before, timeout=30, what="the resend"
        )
        await fake_api.wait_idle()
    assert counted.endswith(" 1.0")
    expected = texts.text("de", "admin.stats_dead_letters", undelivered=1, refused=1)
    assert expected in stats.params["text"]
    assert [row[2] for row in dead_letters(tmp_path)] == ["refused"]  # not sent again
    assert len(fake_api.sent_texts(RESIDENT)) == before + 1
    assert fake_api.sent_texts(RESIDENT)[-1] == lost
