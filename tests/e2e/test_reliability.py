"""Faults injected into the fake Bot API: nothing lost, nothing doubled.

Every resident message at the main menu that Lotse does not understand gets exactly one
message back (the kind "not understood" above the menu), so counting successful
``sendMessage`` calls per chat tells whether a message went unanswered or was answered
twice.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.storage import open_database
from tests.e2e.conftest import BotFactory
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.test_telegram import question, ready

pytestmark = [pytest.mark.e2e]
RESIDENTS = (5001, 5002, 5003)
REPLIES_PER_MESSAGE = 1


def answered(api: FakeBotApi, chat: int) -> int:
    return sum(1 for call in api.calls("sendMessage", chat_id=chat) if call.status == 200)


async def prepare(api: FakeBotApi) -> dict[int, int]:
    """Bring every resident to the main menu; returns their reply counts so far."""
    for chat in RESIDENTS:
        await ready(api, chat=chat)
    await api.wait_idle()
    return {chat: answered(api, chat) for chat in RESIDENTS}


async def converse(api: FakeBotApi, messages: int, gap: float = 0.05) -> None:
    for n in range(messages):
        for chat in RESIDENTS:
            api.user_sends(chat, f"xyz {n}")
        await asyncio.sleep(gap)


async def settle(
    api: FakeBotApi, before: dict[int, int], messages: int, patience: float = 60.0
) -> dict[int, int]:
    """Wait until every message is answered (or ``patience`` runs out); return the surplus."""

    def complete() -> bool:
        return all(
            answered(api, c) >= before[c] + messages * REPLIES_PER_MESSAGE for c in RESIDENTS
        )

    await api.wait_until(complete, timeout=patience, what="all replies")
    await api.wait_idle(quiet=1.0, timeout=30)
    return {c: answered(api, c) - before[c] - messages * REPLIES_PER_MESSAGE for c in RESIDENTS}


class TestFaults:
    async def test_429_bursts_are_waited_out(
        self, fake_api: FakeBotApi, lotse: BotFactory
    ) -> None:
        async with lotse():
            before = await prepare(fake_api)
            fake_api.fail_next("sendMessage", status=429, retry_after=1, count=4)
            await converse(fake_api, 4)
            surplus = await settle(fake_api, before, 4)
        assert surplus == dict.fromkeys(RESIDENTS, 0)
        rate_limited = [c for c in fake_api.calls("sendMessage") if c.status == 429]
        assert len(rate_limited) == 4

    async def test_server_errors_are_retried(
        self, fake_api: FakeBotApi, lotse: BotFactory
    ) -> None:
        async with lotse():
            before = await prepare(fake_api)
            fake_api.fail_next("sendMessage", status=500, count=5)
            fake_api.fail_next("getUpdates", status=502, count=2)
            await converse(fake_api, 4)
            surplus = await settle(fake_api, before, 4)
        assert surplus == dict.fromkeys(RESIDENTS, 0)

    async def test_slow_answers(self, fake_api: FakeBotApi, lotse: BotFactory) -> None:
        async with lotse():
            before = await prepare(fake_api)
            fake_api.delay("sendMessage", 0.4)
            await converse(fake_api, 3)
            surplus = await settle(fake_api, before, 3)
        assert surplus == dict.fromkeys(RESIDENTS, 0)

    async def test_dropped_connections(self, fake_api: FakeBotApi, lotse: BotFactory) -> None:
        async with lotse():
            before = await prepare(fake_api)
            fake_api.drop_next("sendMessage", count=3)
            fake_api.drop_next("getUpdates", count=1)
            await converse(fake_api, 3)
            surplus = await settle(fake_api, before, 3)
        assert surplus == dict.fromkeys(RESIDENTS, 0)

    async def test_sigkill_and_restart_mid_conversation(
        self, fake_api: FakeBotApi, lotse: BotFactory
    ) -> None:
        async with lotse() as bot:
            before = await prepare(fake_api)
            # Sends fail (never executed) while messages stream in: some updates are
            # committed with replies waiting in the outbox, others not yet handled.
            fake_api.fail_next("sendMessage", status=500, count=10_000)
            streaming = asyncio.create_task(converse(fake_api, 6, gap=0.15))
            await asyncio.sleep(0.5)
            await bot.kill()
            await streaming
            fake_api.clear_faults()
            await bot.start()
            surplus = await settle(fake_api, before, 6)
        assert surplus == dict.fromkeys(RESIDENTS, 0)

    async def test_session_continues_after_crash(
        self, fake_api: FakeBotApi, lotse: BotFactory
    ) -> None:
        async with lotse() as bot:
            menu = await ready(fake_api)
            data = next(
                d
                for row in menu.params["reply_markup"]["inline_keyboard"]
                for d in [row[0]["callback_data"]]
                if d.endswith("|letter")
            )
            # Killed while idle: a kill between Telegram accepting a message and the outbox
            # forgetting it would send that one message again (the documented window).
            await fake_api.wait_idle()
            await bot.kill()
            fake_api.user_clicks(4242, data, message_id=int(menu.result["message_id"]))
            await bot.start()
            office = await question(fake_api)
        assert "callback_data" in str(office.params["reply_markup"])
        assert any(
            d.startswith("letters.which_office|")
            for row in office.params["reply_markup"]["inline_keyboard"]
            for d in [row[0]["callback_data"]]
        )


async def test_flood_gets_one_kind_warning_and_nothing_twice(
    fake_api: FakeBotApi, lotse: BotFactory
) -> None:
    async with lotse():
        await ready(fake_api, chat=6001)
        await fake_api.wait_idle()
        before = answered(fake_api, 6001)
        for n in range(30):
            fake_api.user_sends(6001, f"xyz {n}")
        await fake_api.wait_idle(quiet=1.5, timeout=60)
        texts = [c.params["text"] for c in fake_api.calls("sendMessage", chat_id=6001)]
    replies = answered(fake_api, 6001) - before
    setup = 3  # /start and two button presses count towards the 20 messages in 10 s
    assert replies == (20 - setup) * REPLIES_PER_MESSAGE + 1
    assert sum("schnell" in t for t in texts) == 1


async def test_an_update_kept_in_the_inbox_is_answered_after_a_crash(
    fake_api: FakeBotApi, lotse: BotFactory, tmp_path: Path
) -> None:
    """A crash right after the inbox was written: Telegram counts the update as delivered
    and will not send it again, so the inbox alone must bring it back."""
    async with lotse():
        await ready(fake_api, chat=7001)
        await fake_api.wait_idle()
    update = {
        "update_id": 990_001,
        "message": {
            "message_id": 990_001,
            "date": int(time.time()),
            "chat": {"id": 7001, "type": "private", "first_name": "Test"},
            "from": {"id": 7001, "is_bot": False, "first_name": "Test", "language_code": "de"},
            "text": "xyz kept",
        },
    }
    db = await open_database(f"sqlite+aiosqlite:///{tmp_path}/lotse.db")
    try:
        async with db.unit() as unit:
            await unit.keep_updates([(990_001, json.dumps(update))], datetime.now(UTC))
        before = answered(fake_api, 7001)
        async with lotse():
            await fake_api.wait_until(
                lambda: answered(fake_api, 7001) >= before + REPLIES_PER_MESSAGE,
                timeout=30,
                what="the kept update answered",
            )
            await fake_api.wait_idle()
        assert answered(fake_api, 7001) == before + REPLIES_PER_MESSAGE
        async with db.unit() as unit:
            assert await unit.kept_updates() == []
    finally:
        await db.close()
