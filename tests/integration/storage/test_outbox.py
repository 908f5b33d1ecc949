"""The outbox sender over a real database: in order per chat, once each, deleted when sent."""

from __future__ import annotations

import asyncio
import json

import pytest
from fakes import MONDAY_10

from bot.channels.telegram import delivery
from bot.channels.telegram.delivery import (
    Limits,
    OutboxSender,
    PermanentError,
    TransientError,
)
from bot.channels.telegram.metrics import Metrics
from bot.outbox_service import OutboxService
from bot.storage import Database

UNPACED = Limits(global_rate=1e9, global_burst=1e9, chat_rate=1e9, chat_burst=1e9)


class Telegram:
    """Records sent texts; answers chosen texts with errors first."""

    def __init__(self, errors: dict[str, list[Exception]] | None = None) -> None:
        self.sent: list[tuple[int, str]] = []
        self.errors = errors or {}
        self.arrived = asyncio.Event()

    async def __call__(self, method: str, payload: str) -> None:
        params = json.loads(payload)
        pending = self.errors.get(params["text"])
        if pending:
            raise pending.pop(0)
        self.sent.append((params["chat_id"], params["text"]))
        self.arrived.set()


async def queue(db: Database, chat: int, *texts: str) -> None:
    calls = [("sendMessage", json.dumps({"chat_id": chat, "text": text})) for text in texts]
    async with db.unit() as unit:
        await unit.enqueue(str(chat), calls, MONDAY_10)


async def outbox(db: Database) -> list[str]:
    async with db.unit() as unit:
        return [json.loads(call.payload)["text"] for call in await unit.pending()]


async def test_calls_left_from_before_go_out_once_in_order(db: Database) -> None:
    await queue(db, 1, "a", "b")
    await queue(db, 2, "c")
    await queue(db, 1, "d")
    telegram = Telegram()
    await OutboxSender(OutboxService(db), telegram, Metrics(), UNPACED).drain(grace=10)
    assert [text for chat, text in telegram.sent if chat == 1] == ["a", "b", "d"]
    assert sorted(telegram.sent) == [(1, "a"), (1, "b"), (1, "d"), (2, "c")]
    assert await outbox(db) == []


async def test_committed_calls_go_out_without_reading_the_outbox(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "SCAN_EVERY_S", 3600.0)  # only the start-up read
    telegram = Telegram()
    sender = OutboxSender(OutboxService(db), telegram, Metrics(), UNPACED)
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run(stop))
    await asyncio.sleep(0.2)
    await queue(db, 3, "x", "y")
    async with asyncio.timeout(10):
        while len(telegram.sent) < 2:
            telegram.arrived.clear()
            await telegram.arrived.wait()
    stop.set()
    await running
    assert telegram.sent == [(3, "x"), (3, "y")]
    assert await outbox(db) == []


async def test_transient_errors_are_retried_and_refused_calls_dropped(db: Database) -> None:
    telegram = Telegram({"x": [TransientError("502")], "y": [PermanentError("400")]})
    await queue(db, 4, "x", "y", "z")
    await OutboxSender(OutboxService(db), telegram, Metrics(), UNPACED).drain(grace=10)
    assert telegram.sent == [(4, "x"), (4, "z")]
    assert await outbox(db) == []
