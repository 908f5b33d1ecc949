"""Held outbox chats (the web chat's staff replies) on SQLite and PostgreSQL: never pending
for Telegram, fetched in order, forgotten once fetched, erased and purged."""

from __future__ import annotations

from datetime import timedelta

from fakes import MONDAY_10

from bot.core.session import Session
from bot.outbox_service import held_chat
from bot.storage import Database

RESIDENT = "0123456789abcdef0123456789abcdef"


async def test_held_calls_wait_for_their_channel(db: Database) -> None:
    chat = held_chat("web", RESIDENT)
    async with db.unit() as unit:
        await unit.enqueue("4711", [("sendMessage", "{}")], MONDAY_10)
        await unit.enqueue(chat, [("show", '{"n":1}'), ("show", '{"n":2}')], MONDAY_10)
    async with db.unit() as unit:
        pending = await unit.pending()
        first = await unit.take_held(chat, 0)
    async with db.unit() as unit:
        after_first = await unit.take_held(chat, first[0].id)
    async with db.unit() as unit:
        left = await unit.take_held(chat, 0)
    assert [q.chat for q in pending] == ["4711"]
    assert [q.payload for q in first] == ['{"n":1}', '{"n":2}']
    assert [q.payload for q in after_first] == ['{"n":2}']
    assert [q.payload for q in left] == ['{"n":2}']  # only what was fetched is forgotten


async def test_erase_and_purge_forget_held_calls(db: Database) -> None:
    chat = held_chat("web", RESIDENT)
    async with db.unit() as unit:
        await unit.save_session("web", RESIDENT, Session(resident=f"web:{RESIDENT}"), MONDAY_10)
        await unit.enqueue(chat, [("show", "{}")], MONDAY_10)
        await unit.enqueue(held_chat("web", "f" * 32), [("show", "{}")], MONDAY_10)
    async with db.unit() as unit:
        assert await unit.erase("web", RESIDENT)
    async with db.unit() as unit:
        erased = await unit.take_held(chat, 0)
        kept = await unit.purge_held(MONDAY_10)
        purged = await unit.purge_held(MONDAY_10 + timedelta(seconds=1))
    assert erased == []
    assert kept == 0
    assert purged == 1
