"""Seeded crashes: ``kill -9`` at a point in time after an update arrives, restart, compare.

For each update kind a clean run gives the expected transcript of one resident. Then, per
kill point, a fresh resident is brought to the same point, does the kind's action, and the
bot is killed ``offset`` seconds after the update was queued (0-500 ms) or while the reply's
send is in flight (the fake Bot API holds its answer back). One ``kill -9`` serves several
residents at once, each at its own point (their updates are queued at staggered times before
the kill). After the restart each resident's transcript must equal the clean one. An extra
copy of a message is the documented at-least-once window only when Telegram executed the
call before the restart while its outbox row was still in the killed bot's database (the
answer was lost with the process); it is counted apart. Any other extra copy is a double.

Used by ``tests/e2e/test_crash_points.py`` (CI-sized) and ``bench/faults.py --crashes N``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.fake_bot_api import BotProcess, FakeBotApi
from tests.e2e.transcripts import Line, press, run_script, transcript

STAFF = -1009990001
STAFF_MEMBER = 777
STAFF_GROUPS = [{"chat_id": STAFF, "places": ["kaisers"], "fallback": True}]
TO_MENU = (("send", "/start"), ("press", "Deutsch"), ("press", "Einverstanden"))
SEND_HELD_S = 0.4
"""How long the fake holds back the answer to a send in the "during the send" kills."""
PER_KILL = 7
"""Residents crashed by one ``kill -9`` (each at its own point in time)."""


@dataclass
class Resident:
    """One resident's chat, and what a kind needs from its set-up."""

    chat: int
    thread: int | None = None
    edit_target: int | None = None


async def _to_menu(api: FakeBotApi, resident: Resident) -> None:
    await run_script(api, resident.chat, TO_MENU)
    await api.wait_idle(quiet=0.1)


async def _with_text(api: FakeBotApi, resident: Resident) -> None:
    await _to_menu(api, resident)
    await run_script(api, resident.chat, [("send", "xyz 0")])
    resident.edit_target = max(
        m["message_id"] for m in api.messages(resident.chat) if not m["from"].get("is_bot")
    )
    await api.wait_idle(quiet=0.1)


async def _in_handoff(api: FakeBotApi, resident: Resident) -> None:
    await _to_menu(api, resident)
    topics = len(api.calls("createForumTopic"))
    api.user_sends(resident.chat, "/human")
    await api.wait_until(lambda: len(api.calls("createForumTopic")) > topics, timeout=30)
    resident.thread = int(api.calls("createForumTopic")[-1].result["message_thread_id"])
    await api.wait_idle(quiet=0.3)


Setup = Callable[[FakeBotApi, Resident], Awaitable[None]]
Action = Callable[[FakeBotApi, Resident], int]


def _staff_says(text: str) -> Action:
    def says(api: FakeBotApi, resident: Resident) -> int:
        return api.group_message(
            STAFF,
            text,
            user_id=STAFF_MEMBER,
            message_thread_id=resident.thread,
            is_topic_message=True,
        )

    return says


def _edits(api: FakeBotApi, resident: Resident) -> int:
    assert resident.edit_target is not None
    return api.user_edits_message(resident.chat, resident.edit_target, "xyz edited")


KINDS: dict[str, tuple[Setup, Action]] = {
    "message": (_to_menu, lambda api, r: api.user_sends(r.chat, "xyz 1")),
    "edited message": (_with_text, _edits),
    "callback query": (_to_menu, lambda api, r: press(api, r.chat, "Geld & Essen")),
    "location": (_to_menu, lambda api, r: api.user_sends_location(r.chat, 52.1, 9.36)),
    "contact": (_to_menu, lambda api, r: api.user_sends_contact(r.chat)),
    "photo": (_to_menu, lambda api, r: api.user_sends_photo(r.chat)),
    "staff message in a topic": (_in_handoff, _staff_says("Guten Tag, wie kann ich helfen?")),
    "staff /close in a topic": (_in_handoff, _staff_says("/close")),
    "staff /transfer in a topic": (_in_handoff, _staff_says("/transfer tafel")),
}


@dataclass
class Tally:
    """Outcome of the kills, by kind."""

    kills: int = 0
    ok: int = 0
    lost: int = 0
    doubled: int = 0
    window: int = 0
    """Doubled only by a call Telegram executed whose answer the killed bot never got."""
    failures: list[str] = field(default_factory=list)


async def _complete(api: FakeBotApi, chat: int, size: int, patience: float) -> None:
    """Wait until the chat has ``size`` messages (or patience runs out)."""
    with contextlib.suppress(AssertionError):  # lost: the comparison reports it
        await api.wait_until(lambda: len(api.messages(chat)) >= size, timeout=patience)


def _bot_messages(api: FakeBotApi, chat: int) -> int:
    return sum(1 for m in api.messages(chat) if m.get("from", {}).get("is_bot"))


async def clean_runs(api: FakeBotApi, first_chat: int) -> dict[str, list[Line]]:
    """Each kind once without a fault: the transcripts every crashed run must give."""
    expected = {}
    for number, (kind, (setup, action)) in enumerate(KINDS.items()):
        resident = Resident(first_chat + number)
        await setup(api, resident)
        before = _bot_messages(api, resident.chat)
        action(api, resident)
        await api.wait_until(lambda r=resident, b=before: _bot_messages(api, r.chat) > b)
        await api.wait_idle(quiet=0.5)
        expected[kind] = transcript(api, resident.chat)
    return expected


def _unrecorded(database: Path | None) -> dict[int, set[str]]:
    """Texts of the calls still in the outbox of the killed bot, by chat.

    A call Telegram executed whose row is still there was made, but the bot never
    recorded it (its answer was lost with the process): the restart makes it again.
    """
    if database is None or not database.exists():
        return {}
    with contextlib.closing(sqlite3.connect(database)) as db:
        rows = db.execute("SELECT chat, payload FROM outbox").fetchall()
    texts: dict[int, set[str]] = {}
    for chat, payload in rows:
        with contextlib.suppress(ValueError, TypeError):
            params = json.loads(payload)
            text = params.get("text", params.get("caption"))
            if isinstance(text, str) and str(chat).lstrip("-").isdigit():
                texts.setdefault(int(chat), set()).add(text)
    return texts


def _judge(clean: list[Line], got: list[Line], window: set[str]) -> str:
    """``window``: bot texts Telegram executed before the restart whose outbox rows the
    killed bot had not yet deleted (the documented at-least-once window). The restart sends
    those rows again, in their order: one block of copies of messages already in the
    transcript. Anything else beyond the clean transcript is a double."""
    if got == clean:
        return "ok"
    if len(got) < len(clean):
        return "lost"
    extra = len(got) - len(clean)
    for start in range(1, len(got) - extra + 1):
        resent = got[start : start + extra]
        if (
            got[:start] + got[start + extra :] == clean
            and all(who == "bot" and text in window for who, text, _ in resent)
            and all(line in got[:start] for line in resent)
        ):
            return "window"
    return "doubled"


def _database(bot: BotProcess) -> Path | None:
    url = (bot.env or {}).get("DATABASE_URL", "")
    prefix = "sqlite+aiosqlite:///"
    return Path(url.removeprefix(prefix)) if url.startswith(prefix) else None


@dataclass
class Point:
    """One seeded kill point: a resident, the kind of its update and when the kill comes."""

    kind: str
    offset: float | None
    """Seconds after the update was queued, or None: while the reply's send is in flight."""
    resident: Resident

    def describe(self) -> str:
        when = "during the send" if self.offset is None else f"{self.offset * 1000:.0f} ms"
        return f"{self.kind} killed {when}"


async def _set_up(api: FakeBotApi, points: Sequence[Point]) -> None:
    """Bring every resident to its kind's starting point; handoffs one by one (each
    needs to know its own forum topic), the others at the same time."""
    handoffs = [p for p in points if KINDS[p.kind][0] is _in_handoff]
    others = [p for p in points if KINDS[p.kind][0] is not _in_handoff]
    await asyncio.gather(*(KINDS[p.kind][0](api, p.resident) for p in others))
    for point in handoffs:
        await _in_handoff(api, point.resident)
    await api.wait_idle(quiet=0.2, timeout=60)


async def crash_batch(
    api: FakeBotApi,
    bot: BotProcess,
    points: Sequence[Point],
    expected: dict[str, list[Line]],
    *,
    patience: float = 60.0,
) -> list[str]:
    """One ``kill -9`` for several residents at once: each one's update is queued
    ``offset`` before the kill (all offsets set in a batch), or all replies' sends are held
    in flight (all offsets None). Restart, wait, and judge each resident's transcript."""
    await _set_up(api, points)
    held = all(p.offset is None for p in points)
    if held:
        sends = {p.resident.chat: len(api.calls(None, chat_id=p.resident.chat)) for p in points}
        api.delay(None, SEND_HELD_S)
        for point in points:
            KINDS[point.kind][1](api, point.resident)
        for chat, before in sends.items():
            await api.wait_until(
                lambda c=chat, b=before: len(api.calls(None, chat_id=c)) > b, timeout=patience
            )
        await asyncio.sleep(SEND_HELD_S / 4)
    else:
        loop = asyncio.get_running_loop()
        kill_at = loop.time() + max(p.offset or 0.0 for p in points)
        for point in sorted(points, key=lambda p: -(p.offset or 0.0)):
            await asyncio.sleep(max(0.0, kill_at - (point.offset or 0.0) - loop.time()))
            KINDS[point.kind][1](api, point.resident)
        await asyncio.sleep(max(0.0, kill_at - loop.time()))
    await bot.kill()
    api.clear_faults()
    await api.wait_idle(quiet=0.05)  # the fake answers what the bot sent before it died
    unrecorded = _unrecorded(_database(bot))
    before_restart = {p.resident.chat: transcript(api, p.resident.chat) for p in points}
    await bot.start()
    for point in points:
        await _complete(api, point.resident.chat, len(expected[point.kind]), patience)
    await api.wait_idle(quiet=0.5, timeout=60)
    verdicts = []
    for point in points:
        chat = point.resident.chat
        executed = {text for who, text, _ in before_restart[chat] if who == "bot"}
        window = unrecorded.get(chat, set()) & executed
        verdicts.append(_judge(expected[point.kind], transcript(api, chat), window))
    return verdicts


def seeded_points(kills: int, seed: int, first_chat: int) -> list[Point]:
    """``kills`` points, the kinds in turn; a fifth of them during the send."""
    rng = random.Random(seed)  # noqa: S311 - reproducible kill points, not secrets
    kinds = list(KINDS)
    points = []
    for number in range(kills):
        offset = None if rng.random() < 0.2 else round(rng.uniform(0, 0.5), 3)
        points.append(Point(kinds[number % len(kinds)], offset, Resident(first_chat + number)))
    return points


async def crash_series(
    api: FakeBotApi,
    bot: BotProcess,
    *,
    kills: int,
    seed: int,
    first_chat: int,
    per_kill: int = PER_KILL,
) -> dict[str, Tally]:
    """``kills`` seeded kill points over every kind, ``per_kill`` residents per
    ``kill -9`` (one kind of timing per kill: offsets, or sends in flight); a tally per kind."""
    expected = await clean_runs(api, first_chat)
    points = seeded_points(kills, seed, first_chat + 100)
    timed = [p for p in points if p.offset is not None]
    held = [p for p in points if p.offset is None]
    batches = [
        group[i : i + per_kill] for group in (timed, held) for i in range(0, len(group), per_kill)
    ]
    tallies = {kind: Tally() for kind in KINDS}
    for batch in batches:
        verdicts = await crash_batch(api, bot, batch, expected)
        for point, verdict in zip(batch, verdicts, strict=True):
            tally = tallies[point.kind]
            tally.kills += 1
            setattr(tally, verdict, getattr(tally, verdict) + 1)
            if verdict in {"lost", "doubled"}:
                tally.failures.append(
                    f"{point.describe()}: {verdict} (chat {point.resident.chat})"
                )
    return tallies
