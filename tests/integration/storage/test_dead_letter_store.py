"""Issue 12, point 1: dead letters (calls whose retries ran out, or that Telegram refused),
on SQLite and on PostgreSQL (the shared ``db`` fixture)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.storage import Database, Queued
from bot.storage.tables import DeadLetterRow

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def call(text: str) -> tuple[str, str]:
    return "sendMessage", json.dumps({"chat_id": 1, "text": text})


async def queue(db: Database, chat: str, *texts: str) -> list[Queued]:
    async with db.unit() as unit:
        return await unit.enqueue(chat, [call(t) for t in texts], NOW)


async def pending(db: Database) -> list[Queued]:
    async with db.unit() as unit:
        return await unit.pending()


async def rows(db: Database) -> list[DeadLetterRow]:
    async with db.unit() as unit:
        result = await unit.db.execute(select(DeadLetterRow).order_by(DeadLetterRow.id))
        return list(result.scalars())


async def test_a_dead_letter_leaves_the_outbox_with_its_reason(db: Database) -> None:
    first, second = await queue(db, "1", "eins", "zwei")
    async with db.unit() as unit:
        await unit.dead_letter(
            first, verdict="undelivered", reason="HTTP 502, not JSON body", attempts=9, now=NOW
        )
    assert [q.id for q in await pending(db)] == [second.id]
    [row] = await rows(db)
    assert (row.chat, row.method, row.payload) == ("1", "sendMessage", first.payload)
    assert (row.verdict, row.reason, row.attempts) == (
        "undelivered",
        "HTTP 502, not JSON body",
        9,
    )


async def test_a_long_reason_is_cut(db: Database) -> None:
    [queued] = await queue(db, "1", "eins")
    async with db.unit() as unit:
        await unit.dead_letter(queued, verdict="refused", reason="x" * 1000, attempts=1, now=NOW)
    [row] = await rows(db)
    assert len(row.reason) == 256


async def test_counts_by_verdict(db: Database) -> None:
    calls = await queue(db, "1", "a", "b", "c")
    async with db.unit() as unit:
        assert await unit.dead_letter_counts() == {}
        for queued, verdict in zip(calls, ["undelivered", "refused", "undelivered"], strict=True):
            await unit.dead_letter(queued, verdict=verdict, reason="r", attempts=1, now=NOW)
    async with db.unit() as unit:
        assert await unit.dead_letter_counts() == {"undelivered": 2, "refused": 1}


async def test_requeue_puts_undelivered_calls_back_in_order_and_keeps_refusals(
    db: Database,
) -> None:
    calls = await queue(db, "1", "a", "b", "c")
    later = await queue(db, "2", "d")
    async with db.unit() as unit:
        for queued, verdict in zip(calls, ["undelivered", "refused", "undelivered"], strict=True):
            await unit.dead_letter(queued, verdict=verdict, reason="r", attempts=3, now=NOW)
    async with db.unit() as unit:
        requeued = await unit.requeue_dead_letters("undelivered", NOW)
    assert [(q.chat, q.payload) for q in requeued] == [
        ("1", calls[0].payload),
        ("1", calls[2].payload),
    ]
    assert all(q.id > later[0].id for q in requeued)  # new outbox rows, after what waits
    assert [q.payload for q in await pending(db)] == [
        later[0].payload,
        calls[0].payload,
        calls[2].payload,
    ]
    assert [row.verdict for row in await rows(db)] == ["refused"]
    async with db.unit() as unit:
        assert await unit.requeue_dead_letters("undelivered", NOW) == []


async def test_purge_forgets_dead_letters_older_than_retention(db: Database) -> None:
    old, new = await queue(db, "1", "alt", "neu")
    async with db.unit() as unit:
        await unit.dead_letter(
            old, verdict="refused", reason="r", attempts=1, now=NOW - timedelta(days=40)
        )
        await unit.dead_letter(new, verdict="refused", reason="r", attempts=1, now=NOW)
    async with db.unit() as unit:
        assert await unit.purge_dead_letters(NOW - timedelta(days=30)) == 1
    assert [row.payload for row in await rows(db)] == [new.payload]


async def test_a_rollback_keeps_the_call_in_the_outbox(db: Database) -> None:
    [queued] = await queue(db, "1", "eins")
    try:
        async with db.unit() as unit:
            await unit.dead_letter(queued, verdict="undelivered", reason="r", attempts=1, now=NOW)
            raise RuntimeError
    except RuntimeError:
        pass
    assert await rows(db) == []
    assert [q.id for q in await pending(db)] == [queued.id]
