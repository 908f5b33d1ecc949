"""Issue 12, point 2, for staff commands in a forum topic: ``/close`` and ``/transfer``
change the case in the transaction that claims the update, so a crash before the commit
leaves everything to the redelivery, which then answers exactly like a clean run (real
SQLite, the outbox read back)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_engine
from bot.channels.telegram.staff import TRANSFER_IN, StaffDesk
from bot.config import StaffGroup, load_settings
from bot.content import load_content
from bot.handoff.cases import CaseRequest, ResidentKey
from bot.handoff.translation import NoTranslator
from bot.handoff_service import HandoffService
from bot.service import ConversationService
from bot.storage import Database
from bot.storage.cases import CaseStore
from bot.storage.store import SqlUnit

ROOT = Path(__file__).resolve().parents[3]
AT = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
STAFF, THREAD, RESIDENT = -1001, 42, 5555


class Crash(Exception):
    """The process dies before the transaction commits."""


@pytest.fixture(scope="module")
def engine() -> Any:
    settings, _ = load_settings(ROOT / "config.yaml")
    assert settings is not None
    return build_engine(settings, load_content(settings))


@pytest.fixture
async def desk(engine: Any, db: Database) -> StaffDesk:
    async def call(method: str, params: dict[str, Any]) -> dict[str, Any]:
        return {"message_thread_id": THREAD + 1}

    groups = [StaffGroup(chat_id=STAFF, fallback=True)]
    desk = StaffDesk(
        HandoffService(ConversationService(engine, db), db, groups),
        translator=NoTranslator(),
        call=call,
        now=lambda: AT,
    )
    request = CaseRequest(
        resident=ResidentKey("telegram", str(RESIDENT)),
        language="ar",
        quarter=None,
        topic="letters",
        place_id="kaisers",
        staff_chat_id=STAFF,
    )
    async with db.unit() as unit:
        cases = CaseStore(unit.db)
        case, _ = await cases.open_or_reuse(request, AT)
        await cases.set_topic(case.id, THREAD, AT)
    return desk


async def staff_says(desk: StaffDesk, text: str, update_id: int = 7) -> None:
    await desk.on_staff_message(
        update_id=update_id,
        chat_id=STAFF,
        thread_id=THREAD,
        message_id=100,
        text=text,
        media=False,
        from_bot=False,
    )


async def outbox(db: Database) -> list[tuple[str, str, dict[str, Any]]]:
    async with db.unit() as unit:
        return [(q.chat, q.method, json.loads(q.payload)) for q in await unit.pending()]


async def crash_then_redeliver(
    desk: StaffDesk, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first attempt dies at its transaction's last write; Telegram redelivers."""
    original = SqlUnit.enqueue_many

    async def dies(self: SqlUnit, *args: Any, **kwargs: Any) -> None:
        raise Crash

    monkeypatch.setattr(SqlUnit, "enqueue_many", dies)
    with pytest.raises(Crash):
        await staff_says(desk, text)
    monkeypatch.setattr(SqlUnit, "enqueue_many", original)
    await staff_says(desk, text)


@pytest.mark.parametrize("crash", [False, True], ids=["clean", "crash before the commit"])
async def test_close_is_answered_the_same_after_a_crash(
    desk: StaffDesk, db: Database, monkeypatch: pytest.MonkeyPatch, crash: bool
) -> None:
    if crash:
        await crash_then_redeliver(desk, "/close", monkeypatch)
    else:
        await staff_says(desk, "/close")
    await staff_says(desk, "/close")  # a second redelivery changes nothing
    calls = await outbox(db)
    staff = [(method, p.get("text", "")) for chat, method, p in calls if chat == str(STAFF)]
    resident = [p["text"] for chat, _, p in calls if chat == str(RESIDENT)]
    assert [method for method, _ in staff] == ["sendMessage", "closeForumTopic"]
    assert "geschlossen" in staff[0][1]
    assert resident[-1] == desk.texts.text("ar", "handoff.closed")
    async with db.unit() as unit:
        case = await CaseStore(unit.db).get(1)
    assert case is not None
    assert not case.is_open


@pytest.mark.parametrize("crash", [False, True], ids=["clean", "crash before the commit"])
async def test_transfer_is_answered_the_same_after_a_crash(
    desk: StaffDesk, db: Database, monkeypatch: pytest.MonkeyPatch, crash: bool
) -> None:
    if crash:
        await crash_then_redeliver(desk, "/transfer tafel", monkeypatch)
    else:
        await staff_says(desk, "/transfer tafel")
    calls = await outbox(db)
    staff = [method for chat, method, _ in calls if chat == str(STAFF)]
    resident = [p["text"] for chat, _, p in calls if chat == str(RESIDENT)]
    assert staff == ["sendMessage", "closeForumTopic", TRANSFER_IN]
    assert resident == [
        desk.texts.text("ar", "handoff.transferred", place=desk._place_name("tafel"))
    ]
    async with db.unit() as unit:
        case = await CaseStore(unit.db).get(1)
    assert case is not None
    assert case.place_id == "tafel"
    # The deferred call opens the new topic once, even when it is made again after a crash.
    [payload] = [p for chat, method, p in calls if method == TRANSFER_IN]
    await desk.resolve(TRANSFER_IN, payload)
    await desk.resolve(TRANSFER_IN, payload)
    async with db.unit() as unit:
        case = await CaseStore(unit.db).get(1)
    assert case is not None
    assert case.topic_id == THREAD + 1
    topics = [p for chat, method, p in await outbox(db) if "Fall" in str(p.get("text", ""))]
    assert len([p for p in topics if p.get("message_thread_id") == THREAD + 1]) >= 1
