"""Issue 16, point 3, inside one process: a web resident's handoff opens a case through the
staff desk, and staff replies are held in the outbox for the page, never sent to Telegram
(real SQLite, the desk's deferred rows carried out as the outbox sender does)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from bot.channels.telegram.delivery import OutboxSender
from bot.channels.telegram.metrics import Metrics
from bot.channels.telegram.staff import StaffDesk
from bot.channels.web import WebChat, WebResidents
from bot.channels.web.identity import Signer
from bot.config import StaffGroup
from bot.core.engine import Engine
from bot.handoff.translation import NoTranslator
from bot.handoff_service import HandoffService
from bot.outbox_service import OutboxService, Queued, held_chat
from bot.storage import Database
from bot.storage.cases import CaseStore
from tests.unit.channels.web_helpers import AT, SECRET, agreed, post, serve, shipped_engine

STAFF, THREAD = -1001, 42
pytestmark = pytest.mark.usefixtures("engine")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return shipped_engine()


class Desk:
    """The staff desk as the Telegram runtime wires it, with a recorded Bot API."""

    def __init__(self, chat: WebChat, db: Database) -> None:
        self.made: list[tuple[str, dict[str, Any]]] = []
        self.outbox = OutboxService(db)

        async def call(method: str, params: dict[str, Any]) -> dict[str, Any]:
            self.made.append((method, params))
            return {"message_thread_id": THREAD}

        self.desk = StaffDesk(
            HandoffService(chat.service, db, [StaffGroup(chat_id=STAFF, fallback=True)]),
            translator=NoTranslator(),
            call=call,
            now=lambda: AT,
            residents={"web": WebResidents(chat.service)},
        )

    async def work(self) -> list[Queued]:
        """Carry out deferred rows; return the Bot API calls waiting to be sent."""
        while True:
            pending = await self.outbox.pending()
            deferred = [q for q in pending if q.method.startswith("_")]
            if not deferred:
                return pending
            for queued in deferred:
                await self.desk.resolve(queued.method, json.loads(queued.payload))
                await self.outbox.delivered([queued.id])

    async def staff_says(self, text: str, update_id: int) -> None:
        await self.desk.on_staff_message(
            update_id=update_id,
            chat_id=STAFF,
            thread_id=THREAD,
            message_id=500 + update_id,
            text=text,
            media=False,
            from_bot=False,
        )


def resident_of(client: Any) -> str:
    cookies = client.session.cookie_jar.filter_cookies(client.make_url("/"))
    resident = Signer(SECRET).check(cookies["lotse_web"].value)
    assert resident is not None
    return resident


async def test_case_topic_words_both_ways_and_close(engine: Engine, db: Database) -> None:
    async with serve(engine, db, staff_desk=True) as (client, chat):
        desk = Desk(chat, db)
        await agreed(client)
        resident = resident_of(client)
        asked = await post(client, type="command", name="human")
        await desk.work()
        said = await post(client, type="text", text="Ich habe einen Brief <b>bekommen</b>")
        to_send = await desk.work()
        await desk.staff_says("Kommen Sie Dienstag vorbei.", update_id=1)
        to_send_after_reply = await desk.work()
        fetched = await (await client.get("/api/messages?after=0")).json()
        again = await (await client.get(f"/api/messages?after={fetched['last']}")).json()
        await desk.staff_says("/close", update_id=2)
        closed = await (await client.get(f"/api/messages?after={fetched['last']}")).json()
        async with db.unit() as unit:
            case = await CaseStore(unit.db).get_by_topic(STAFF, THREAD)
    assert asked["handoff"] is True
    assert desk.made[0][0] == "createForumTopic"
    assert case is not None
    assert case.resident.channel == "web"
    assert case.resident.chat_id == resident
    assert said["messages"] == []  # the words go to staff, Lotse stays quiet
    topic_texts = [json.loads(q.payload)["text"] for q in to_send if q.chat == str(STAFF)]
    assert any("Fall #" in text for text in topic_texts)  # the case card
    assert any("&lt;b&gt;bekommen&lt;/b&gt;" in text for text in topic_texts)
    assert all(q.chat == str(STAFF) for q in to_send + to_send_after_reply)
    assert [m["text"] for m in fetched["messages"]][-1].endswith("Kommen Sie Dienstag vorbei.")
    assert fetched["handoff"] is True
    assert again["messages"] == []
    assert chat.texts.text("de", "handoff.closed") in [m.get("text") for m in closed["messages"]]
    assert any(m["kind"] == "ask" for m in closed["messages"])  # back at the menu
    assert closed["handoff"] is False


async def test_held_messages_are_never_for_the_telegram_sender(
    engine: Engine, db: Database
) -> None:
    async with serve(engine, db, staff_desk=True) as (client, chat):
        desk = Desk(chat, db)
        await agreed(client)
        await post(client, type="command", name="human")
        await desk.work()
        await desk.staff_says("Hallo!", update_id=1)
        sent: list[str] = []

        async def send(method: str, payload: str) -> None:
            sent.append(payload)

        sender = OutboxSender(desk.outbox, send, Metrics())
        async with db.unit() as unit:
            held = [q for q in await unit.take_held(held_chat("web", resident_of(client)), 0)]
        sender._open = True  # as while running: announced calls are accepted
        sender.accept(held)
        await sender.drain(grace=1.0)
    assert held
    assert not any("Hallo!" in payload for payload in sent)


async def test_delete_and_retention_forget_held_messages(engine: Engine, db: Database) -> None:
    async with serve(engine, db, staff_desk=True) as (client, chat):
        desk = Desk(chat, db)
        await agreed(client)
        resident = resident_of(client)
        await post(client, type="command", name="human")
        await desk.work()
        await desk.staff_says("Eins", update_id=1)
        await desk.staff_says("Zwei", update_id=2)
        async with db.unit() as unit:
            kept = await unit.take_held(held_chat("web", resident), 0)
            purged_early = await unit.purge_held(AT - timedelta(days=1))
            purged = await unit.purge_held(AT + timedelta(seconds=1))
        await desk.staff_says("Drei", update_id=3)
        async with db.unit() as unit:
            before_delete = await unit.take_held(held_chat("web", resident), 0)
        await post(client, type="command", name="bot")
        confirm = await post(client, type="command", name="delete")
        step = [m for m in confirm["messages"] if m["kind"] == "ask"][-1]["step"]
        await post(client, type="button", step=step, option="yes")
        async with db.unit() as unit:
            after_delete = await unit.take_held(held_chat("web", resident), 0)
    assert len(kept) == 2
    assert purged_early == 0
    assert purged == 2
    assert len(before_delete) == 1
    assert after_delete == []
