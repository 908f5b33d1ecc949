"""Faults injected into the fake Bot API while residents talk to Lotse: lost? doubled? late?

Each scenario starts Lotse as shipped (``python -m bot run``, a fresh SQLite file, the fake
Bot API on 127.0.0.1), brings the residents to the main menu, injects its fault and lets every
resident write texts Lotse does not understand ("xyz 3"), ``--gap`` seconds apart. Each such
text must be answered by exactly one message, "not understood" above the menu.

Per resident, the chat as the fake server holds it (so also a message whose call Telegram
executed but whose answer was lost) is read in order once the conversation has settled:
every menu (or error notice) is the answer to one update; a separate "not understood" (older
versions sent one before the menu) repeated before a menu is a repeated message; more
answers than texts sent are repeated answers. The k-th answer belongs to the k-th text (each
chat is handled in order), which gives the delay from the update being queued to its reply.

    python bench/faults.py                     # every scenario, 5 residents x 8 texts
    python bench/faults.py --only sigkill --residents 10 --messages 12 --json

Goal: 0 lost and 0 doubled in every scenario. One extra scenario, ``drop-after-send``, loses
the *answer* to a sendMessage Telegram did execute; no Bot API client can tell that apart from
a call that never arrived, so retrying it repeats the message (at-least-once). It is listed
for information: it shows what the outbox does, not a goal it can meet.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `python bench/faults.py` must find bench, tests

from bench.telegram import (  # noqa: E402
    bring_to_menu,
    lotse_command,
    lotse_env,
    not_understood,
    system_texts,
    write_config,
)
from tests.e2e.fake_bot_api import BotProcess, FakeBotApi  # noqa: E402

FIRST_CHAT = 5_000_001
SETTLE_PATIENCE_S = 90.0
"""After the last text: how long to wait for the missing answers before calling them lost."""
QUIET_S = 3.0
"""Silence that ends a scenario once all answers are in (late repeats still get counted)."""
KILL_AT_S = 3.0
DOWN_S = 2.0
OUTAGE_S = 30.0


@dataclass
class Context:
    """What a scenario's hooks may touch."""

    api: FakeBotApi
    bot: BotProcess
    messages: int
    gap: float
    background: asyncio.Task[None] | None = None
    """Something a hook started that must finish before the scenario settles."""


Hook = Callable[[Context], Awaitable[None]]


async def _nothing(ctx: Context) -> None:
    del ctx


@dataclass(frozen=True)
class Scenario:
    """A fault: what to do before the residents write, and halfway through."""

    name: str
    what: str
    before: Hook = _nothing
    midway: Hook = _nothing
    counts: frozenset[int] = frozenset()
    """HTTP statuses of the injected failures (0: dropped connection), to report hits."""
    goal: bool = True
    """False for a scenario no client can get right (listed for information)."""


async def _rate_limited(ctx: Context) -> None:
    ctx.api.fail_next("sendMessage", status=429, retry_after=1, count=5)


async def _server_errors(ctx: Context) -> None:
    ctx.api.fail_next("sendMessage", status=500, count=8)


async def _bad_gateway(ctx: Context) -> None:
    ctx.api.fail_next("getUpdates", status=502, count=2)


async def _slow(ctx: Context) -> None:
    ctx.api.delay(None, 0.4)  # every call but getUpdates answers 0.4 s late


async def _dropped(ctx: Context) -> None:
    ctx.api.drop_next("sendMessage", count=3)
    ctx.api.drop_next("getUpdates", count=2)


async def _dropped_after_send(ctx: Context) -> None:
    ctx.api.drop_next("sendMessage", count=3, executed=True)


async def _sigkill(ctx: Context) -> None:
    """Sends fail (never executed) while texts stream in, then SIGKILL, then a restart.

    Some texts are committed with their replies waiting in the outbox, some are handled by
    nobody yet, some arrive while the bot is down; after the restart all must be answered.
    """
    ctx.api.fail_next("sendMessage", status=500, count=10_000)

    async def crash() -> None:
        await asyncio.sleep(KILL_AT_S)
        await ctx.bot.kill()
        await asyncio.sleep(DOWN_S)
        ctx.api.clear_faults()
        await ctx.bot.start()

    ctx.background = asyncio.create_task(crash())


def _chaos(**mix: float) -> Hook:
    async def inject(ctx: Context) -> None:
        ctx.api.chaos(seed=12, **mix)

    return inject


async def _outage(ctx: Context) -> None:
    ctx.api.outage(OUTAGE_S)


ANY_FAULT = frozenset({0, 429, 500, 502})
EVERYTHING = {
    "p429": 0.3, "p500": 0.1, "p502_html": 0.1, "p_reset": 0.05, "p_slow": 0.1, "slow_max": 5.0,
}  # fmt: skip

SCENARIOS = (
    Scenario("none", "no fault (reference)"),
    Scenario(
        "mix-429", "30 % 429 retry_after=1 on every method", _chaos(p429=0.3), counts=ANY_FAULT
    ),
    Scenario(
        "mix-5xx-html",
        "10 % 500 + 10 % 502 with an HTML body on every method",
        _chaos(p500=0.1, p502_html=0.1),
        counts=ANY_FAULT,
    ),
    Scenario(
        "mix-reset-slow",
        "10 % connection resets, 20 % answers up to 5 s late",
        _chaos(p_reset=0.1, p_slow=0.2, slow_max=5.0),
        counts=ANY_FAULT,
    ),
    Scenario("outage", f"Bot API down for {OUTAGE_S:g} s (HTML 502)", _outage, counts=ANY_FAULT),
    Scenario(
        "mix-everything",
        "all of the above at once (outage midway)",
        _chaos(**EVERYTHING),
        _outage,
        counts=ANY_FAULT,
    ),
    Scenario(
        "429",
        "2 bursts of 5 x 429 retry_after=1 on sendMessage",
        _rate_limited,
        _rate_limited,
        frozenset({429}),
    ),
    Scenario("500", "8 x 500 on sendMessage", _server_errors, counts=frozenset({500})),
    Scenario(
        "502",
        "2 bursts of 2 x 502 on getUpdates",
        _bad_gateway,
        _bad_gateway,
        frozenset({502}),
    ),
    Scenario("slow", "every answer 0.4 s late", _slow),
    Scenario(
        "dropped",
        "3 sendMessage + 2 getUpdates connections closed unanswered",
        _dropped,
        counts=frozenset({0}),
    ),
    Scenario(
        "sigkill",
        f"500 on every send, SIGKILL at {KILL_AT_S:g} s, restart {DOWN_S:g} s later",
        _sigkill,
        counts=frozenset({500}),
    ),
    Scenario(
        "drop-after-send",
        "3 sendMessage executed, answer lost (at-least-once; info)",
        _dropped_after_send,
        counts=frozenset({0}),
        goal=False,
    ),
)


# -- analysis -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """Where a resident's part of the chat begins, and what Lotse's menu says."""

    last_message_id: dict[int, int]
    """Per chat, the newest message before the first text: later ones are the replies."""
    call_seq: int
    """The first Bot API call of the conversation (for counting injected faults)."""
    menu_text: str


def mark(api: FakeBotApi, chats: Sequence[int]) -> Mark:
    """Note where the conversation starts (call after :func:`bring_to_menu`)."""
    last = {chat: max((m["message_id"] for m in api.messages(chat)), default=0) for chat in chats}
    menu = api.messages(chats[0])[-1]
    return Mark(last, len(api.calls(None)) + len(api.calls("getUpdates")), menu.get("text", ""))


def kind_of(message: Mapping[str, Any], menu_text: str) -> str | None:
    """``menu``, ``not_understood``, ``error``, ``slow_down``, ``other``; None: not Lotse's."""
    if not message.get("from", {}).get("is_bot"):
        return None
    text = message.get("text", "")
    if text == menu_text or "inline_keyboard" in (message.get("reply_markup") or {}):
        return "menu"
    return next((kind for kind, known in system_texts().items() if text == known), "other")


@dataclass
class ChatTally:
    """One resident's replies, read in order."""

    answers: list[float | None]
    """When each answer's last message (menu or error notice) reached the fake server."""
    repeated_messages: int = 0
    errors: int = 0
    other: int = 0


def tally(api: FakeBotApi, chat: int, start: Mark) -> ChatTally:
    """What the resident sees after the mark: the chat itself, so a message whose call was
    executed but whose answer was lost counts too. Times come from the successful calls."""
    arrived = {
        call.result["message_id"]: call.at
        for call in api.calls("sendMessage", chat_id=chat)
        if call.ok and isinstance(call.result, dict)
    }
    result = ChatTally(answers=[])
    texts_open = 0  # "not understood" messages since the last menu
    for message in api.messages(chat):
        if message["message_id"] <= start.last_message_id[chat]:
            continue
        kind = kind_of(message, start.menu_text)
        if kind is None:
            continue  # the resident's own text
        if kind == "not_understood":
            if texts_open:
                result.repeated_messages += 1
            texts_open += 1
        elif kind == "menu":
            result.answers.append(arrived.get(message["message_id"]))
            texts_open = 0
        elif kind == "error":
            result.errors += 1
            result.answers.append(arrived.get(message["message_id"]))
            texts_open = 0
        else:
            result.other += 1
    return result


def evaluate(
    api: FakeBotApi, sent: Mapping[int, list[float]], start: Mark, statuses: frozenset[int]
) -> dict[str, Any]:
    """The scenario's row: sent, processed, lost, doubled, errors, longest delay."""
    processed = lost = doubled = errors = other = 0
    delays: list[float] = []
    for chat, queued in sent.items():
        chat_tally = tally(api, chat, start)
        answered = len(chat_tally.answers)
        processed += min(answered, len(queued))
        lost += max(0, len(queued) - answered)
        doubled += chat_tally.repeated_messages + max(0, answered - len(queued))
        errors += chat_tally.errors
        other += chat_tally.other
        for at, enqueued in zip(chat_tally.answers, queued, strict=False):
            if at is not None:
                delays.append(at - enqueued)
    calls = [c for c in api.calls(None) + api.calls("getUpdates") if c.seq >= start.call_seq]
    return {
        "sent": sum(len(q) for q in sent.values()),
        "processed": processed,
        "lost": lost,
        "doubled": doubled,
        "error_notices": errors,
        "other_messages": other,
        "faults_hit": sum(1 for c in calls if c.status in statuses),
        "median_delay_s": round(statistics.median(delays), 2) if delays else None,
        "longest_delay_s": round(max(delays), 2) if delays else None,
    }


async def settle(api: FakeBotApi, sent: Mapping[int, list[float]], start: Mark) -> bool:
    """Wait until every text has an answer (or patience runs out), then for quiet."""

    def answered() -> bool:
        return all(len(tally(api, c, start).answers) >= len(q) for c, q in sent.items())

    try:
        await api.wait_until(answered, timeout=SETTLE_PATIENCE_S, what="every answer")
        complete = True
    except AssertionError:
        complete = False
    await api.wait_idle(quiet=QUIET_S, timeout=120)
    return complete


# -- running ------------------------------------------------------------------------------


async def run_scenario(
    scenario: Scenario, *, residents: int, messages: int, gap: float
) -> dict[str, Any]:
    """Start Lotse, walk the residents to the menu, inject, converse, settle, evaluate."""
    chats = [FIRST_CHAT + i for i in range(residents)]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lotse-faults-") as tmp:
        folder = Path(tmp)
        cmd = lotse_command(_config(folder))
        async with FakeBotApi() as api:
            bot = BotProcess(api, cmd, env=lotse_env(folder), cwd=ROOT)
            async with bot:
                await bring_to_menu(api, chats)
                start = mark(api, chats)
                ctx = Context(api, bot, messages, gap)
                await scenario.before(ctx)
                sent: dict[int, list[float]] = {chat: [] for chat in chats}
                for index in range(messages):
                    if index == messages // 2:
                        await scenario.midway(ctx)
                    for chat in chats:
                        update_id = api.user_sends(chat, not_understood(chat, index))
                        sent[chat].append(api.enqueued_at(update_id))
                    await asyncio.sleep(gap)
                if ctx.background is not None:
                    await ctx.background
                settled = await settle(api, sent, start)
                row = evaluate(api, sent, start, scenario.counts)
            row["dead_lettered"] = _dead_letters(folder)
    row.update(
        scenario=scenario.name,
        what=scenario.what,
        goal=scenario.goal,
        settled=settled,
        wall_s=round(time.monotonic() - started, 1),
    )
    return row


def _config(folder: Path, **telegram: Any) -> Path:
    """bench.telegram's config, plus the engine's ``nlu`` folder when there is one."""
    import yaml

    path = write_config(folder, **telegram)
    if (ROOT / "nlu").is_dir():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["paths"]["nlu"] = str(ROOT / "nlu")
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _dead_letters(folder: Path) -> int:
    with sqlite3.connect(folder / "lotse.db") as db:
        return int(db.execute("SELECT count(*) FROM dead_letters").fetchone()[0])


async def run_crashes(kills: int, seed: int) -> dict[str, Any]:
    """``kills`` seeded kill -9s over every update kind (tests/e2e/crashes.py)."""
    from tests.e2e.crashes import STAFF_GROUPS, crash_series

    with tempfile.TemporaryDirectory(prefix="lotse-crashes-") as tmp:
        folder = Path(tmp)
        cmd = lotse_command(_config(folder, staff_groups=STAFF_GROUPS))
        async with FakeBotApi() as api:
            bot = BotProcess(api, cmd, env=lotse_env(folder), cwd=ROOT)
            async with bot:
                tallies = await crash_series(
                    api, bot, kills=kills, seed=seed, first_chat=FIRST_CHAT
                )
    return {kind: vars(tally) for kind, tally in tallies.items()}


HEADER = (
    f"{'fault':<16} {'what':<58} {'sent':>5} {'answered':>9} {'lost':>5} {'doubled':>7} "
    f"{'dead-lettered':>13} {'errors':>6} {'faults hit':>10} {'median delay s':>14} "
    f"{'longest delay s':>15}"
)


def row(result: Mapping[str, Any]) -> str:
    """One line of the table."""
    return (
        f"{result['scenario']:<16} {result['what']:<58} {result['sent']:>5} "
        f"{result['processed']:>9} {result['lost']:>5} {result['doubled']:>7} "
        f"{result['dead_lettered']:>13} {result['error_notices']:>6} {result['faults_hit']:>10} "
        f"{result['median_delay_s']:>14} "
        f"{result['longest_delay_s']:>15}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Run the chosen scenarios one after the other and print the table."""
    doc = __doc__ or ""
    parser = argparse.ArgumentParser(
        description=doc.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--residents", type=int, default=5)
    parser.add_argument("--messages", type=int, default=8, help="texts per resident")
    parser.add_argument(
        "--gap",
        type=float,
        default=2.0,
        help="seconds between a resident's texts (2 s: well within the 1/s chat limit)",
    )
    names = [s.name for s in SCENARIOS]
    parser.add_argument("--only", nargs="+", choices=names, help="run just these")
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    parser.add_argument(
        "--crashes", type=int, default=0, help="also N seeded kill -9s over every update kind"
    )
    args = parser.parse_args(argv)
    if args.crashes:
        tallies = asyncio.run(run_crashes(args.crashes, seed=12))
        print(
            f"{'update kind':<26} {'kills':>5} {'ok':>4} {'lost':>4} {'doubled':>7} {'window':>6}"
        )
        for kind, t in tallies.items():
            print(
                f"{kind:<26} {t['kills']:>5} {t['ok']:>4} {t['lost']:>4} {t['doubled']:>7} "
                f"{t['window']:>6}"
            )
        for t in tallies.values():
            for failure in t["failures"]:
                print("  " + failure)
    chosen = [s for s in SCENARIOS if not args.only or s.name in args.only]
    results = []
    for scenario in chosen:
        result = asyncio.run(
            run_scenario(scenario, residents=args.residents, messages=args.messages, gap=args.gap)
        )
        results.append(result)
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            print(f"  done: {scenario.name} in {result['wall_s']} s", flush=True)
    if args.json:
        return
    print()
    print(f"{args.residents} residents x {args.messages} texts, {args.gap:g} s apart")
    print(HEADER)
    for result in results:
        print(row(result))
    missed = [r["scenario"] for r in results if r["goal"] and (r["lost"] or r["doubled"])]
    print()
    print(
        "goal 0 lost / 0 doubled: "
        + (f"missed in {', '.join(missed)}" if missed else "met in every goal scenario")
    )


if __name__ == "__main__":
    main()
