"""The library-neutral update pump over a scripted library and a real SQLite inbox: each
chat's updates in order, other chats concurrently, redeliveries recognised, and an update
whose handling failed kept for the next start (issue 14, point 2)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.channels.telegram.metrics import Metrics
from bot.channels.telegram.pump import UpdatePump
from bot.channels.telegram.updates import Incoming
from bot.service import ConversationService
from bot.storage import Database


class ScriptedLibrary:
    """Hands out prepared batches of updates, then waits; records every other call."""

    name = "scripted"

    def __init__(self, batches: Sequence[Sequence[tuple[int, int]]]) -> None:
        self.batches = [list(batch) for batch in batches]
        self.offsets: list[int | None] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def fetch(self, offset: int | None, poll_seconds: int) -> list[Incoming]:
        self.offsets.append(offset)
        if not self.batches:
            await asyncio.sleep(3600)
        return [self.parse(json.dumps([u, c])) for u, c in self.batches.pop(0)]

    def parse(self, raw: str | bytes) -> Incoming:
        update_id, chat_id = json.loads(raw)
        return Incoming(update_id, chat_id, None, lambda: json.dumps([update_id, chat_id]))

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        self.calls.append((method, params))

    async def send(self, method: str, payload: str) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        pass


def pump_for(library: ScriptedLibrary, db: Database, handle: Any) -> UpdatePump:
    service = ConversationService(engine=None, db=db)  # type: ignore[arg-type] # inbox only
    return UpdatePump(library, handle, service, Metrics(), lambda: datetime.now(UTC))


async def run_until(pump: UpdatePump, done: asyncio.Event) -> None:
    stop = asyncio.Event()
    polling = asyncio.create_task(pump.poll(stop))
    await asyncio.wait_for(done.wait(), timeout=10)
    stop.set()
    await asyncio.wait_for(polling, timeout=10)


async def test_one_chat_in_order_other_chats_meanwhile(db: Database) -> None:
    seen: list[int] = []
    done = asyncio.Event()
    first_may_finish = asyncio.Event()

    async def handle(update: Incoming) -> None:
        if update.update_id == 1:
            await first_may_finish.wait()  # chat 10's first update is slow
        seen.append(update.update_id)
        if update.update_id == 3:
            first_may_finish.set()  # chat 20 was not held up by chat 10
        if len(seen) == 4:
            done.set()

    library = ScriptedLibrary([[(1, 10), (2, 10), (3, 20)], [(2, 10), (4, 10)]])
    await run_until(pump_for(library, db, handle), done)
    assert seen == [3, 1, 2, 4]  # 2 came twice (a redelivery) and was handled once
    assert library.offsets[:2] == [None, 4]
    assert library.calls[-1] == ("getUpdates", {"timeout": 0, "limit": 1, "offset": 5})


async def test_a_failed_update_waits_in_the_inbox_for_the_next_start(db: Database) -> None:
    attempts: list[int] = []
    done = asyncio.Event()

    async def failing(update: Incoming) -> None:
        attempts.append(update.update_id)
        done.set()
        raise RuntimeError("database gone")

    await run_until(pump_for(ScriptedLibrary([[(7, 10)]]), db, failing), done)
    assert attempts == [7]

    handled: list[int] = []
    again = asyncio.Event()

    async def working(update: Incoming) -> None:
        handled.append(update.update_id)
        again.set()

    restarted = ScriptedLibrary([])
    await run_until(pump_for(restarted, db, working), again)
    assert handled == [7]  # from the inbox, before anything new was fetched
    service = ConversationService(engine=None, db=db)  # type: ignore[arg-type]
    assert await service.kept_updates() == []  # and taken out of it once handled
