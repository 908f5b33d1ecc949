"""Load driver: the fake Bot API in-process, the bot under test as a subprocess.

Residents are private chats. Closed loop (default): every resident sends its next message only
after the bot answered the previous one, like a person. Open loop (``rate``): messages go out
at a fixed total rate whatever the bot does. Latency runs from the moment the update is queued
to the moment the bot's answering request for that chat reaches the fake server.

    python bench/tgload.py                               # echo-bot baseline, both loops
    python bench/tgload.py --mode open --rate 200 -- python -m bot run

The bot command must exec the bot itself (not a shell wrapper): CPU and peak RSS are read
from /proc/<pid> of that process just before it is stopped with SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `python bench/tgload.py` must find tests.e2e

from tests.e2e.fake_bot_api import ApiCall, BotProcess, FakeBotApi  # noqa: E402

__all__ = ["REPLY_METHODS", "default_reply_predicate", "proc_stats", "run_load"]

REPLY_METHODS = frozenset(
    {
        "sendMessage", "editMessageText", "copyMessage", "forwardMessage", "sendPhoto",
        "sendDocument", "sendVoice", "sendLocation",
    }
)  # fmt: skip
FIRST_CHAT_ID = 1_000_000
_CLK_TCK = os.sysconf("SC_CLK_TCK")


def default_reply_predicate(call: ApiCall) -> bool:
    """A successful message-producing call counts as the answer."""
    return call.ok and call.method in REPLY_METHODS


def proc_stats(pid: int) -> tuple[float, int]:
    """(CPU seconds user+system incl. reaped children, peak RSS in kB) from /proc."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # Fields after the parenthesised command name (which may contain spaces): state is #3,
    # utime/stime/cutime/cstime are #14-#17 in proc(5) numbering.
    fields = stat.rsplit(")", 1)[1].split()
    cpu = sum(int(v) for v in fields[11:15]) / _CLK_TCK
    peak_kb = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak_kb = int(line.split()[1])
    return cpu, peak_kb


def _percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an ascending sequence."""
    if not ordered:
        return float("nan")
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


class _ReplyTracker:
    """Matches the bot's answering calls to sent messages, FIFO per chat."""

    def __init__(self, predicate: Callable[[ApiCall], bool]) -> None:
        self.predicate = predicate
        self.outstanding: dict[int, deque[float]] = {}
        self.waiters: dict[int, asyncio.Future[None]] = {}
        self.latencies: list[float] = []
        self.unmatched = 0
        self.last_reply_at = 0.0
        self._open = 0
        self._drained = asyncio.Event()

    def sent(self, chat_id: int, at: float) -> None:
        self.outstanding.setdefault(chat_id, deque()).append(at)
        self._open += 1
        self._drained.clear()

    def expect(self, chat_id: int) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters[chat_id] = future
        return future

    def __call__(self, call: ApiCall) -> None:
        chat_id = call.chat_id
        if not isinstance(chat_id, int) or chat_id not in self.outstanding:
            return
        if not self.predicate(call):
            return
        queue = self.outstanding[chat_id]
        if not queue:
            self.unmatched += 1  # an extra message for an already answered one
            return
        self.latencies.append(call.at - queue.popleft())
        self.last_reply_at = call.at
        self._open -= 1
        if self._open == 0:
            self._drained.set()
        waiter = self.waiters.pop(chat_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def drained(self, seconds: float) -> None:
        """Wait up to ``seconds`` for every sent message to be answered; the rest is lost."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._drained.wait(), seconds if self._open else 0)


def _default_text(chat_id: int, index: int) -> str:
    return f"Nachricht {index} von {chat_id}"


async def _closed_loop(
    *,
    api: FakeBotApi,
    tracker: _ReplyTracker,
    chats: Sequence[int],
    messages: int,
    text: Callable[[int, int], str],
    reply_timeout: float,
    send_window: float | None = None,
) -> None:
    deadline = None if send_window is None else time.monotonic() + send_window

    async def resident(chat_id: int) -> None:
        for index in range(messages):
            if deadline is not None and time.monotonic() > deadline:
                return  # the time budget is spent; what was sent is still measured
            answered = tracker.expect(chat_id)
            update_id = api.user_sends(chat_id, text(chat_id, index))
            tracker.sent(chat_id, api.enqueued_at(update_id))
            try:
                await asyncio.wait_for(answered, reply_timeout)
            except TimeoutError:
                return  # a person would give up here; the rest counts as not sent

    await asyncio.gather(*(resident(chat_id) for chat_id in chats))


async def _open_loop(
    *,
    api: FakeBotApi,
    tracker: _ReplyTracker,
    chats: Sequence[int],
    messages: int,
    rate: float,
    text: Callable[[int, int], str],
) -> None:
    start = time.monotonic()
    for index in range(len(chats) * messages):
        # Sleep only when ahead of schedule, so timer granularity cannot lower the rate.
        ahead = start + index / rate - time.monotonic()
        if ahead > 0:
            await asyncio.sleep(ahead)
        chat_id = chats[index % len(chats)]
        update_id = api.user_sends(chat_id, text(chat_id, index // len(chats)))
        tracker.sent(chat_id, api.enqueued_at(update_id))


async def run_load(
    cmd: Sequence[str],
    *,
    residents: int = 200,
    messages: int = 20,
    rate: float | None = None,
    env: Mapping[str, str] | None = None,
    reply_predicate: Callable[[ApiCall], bool] | None = None,
    text: Callable[[int, int], str] | None = None,
    startup_timeout: float = 30.0,
    reply_timeout: float = 30.0,
    prepare: Callable[[FakeBotApi, Sequence[int]], Awaitable[None]] | None = None,
    send_window: float | None = None,
) -> dict[str, Any]:
    """Drive the bot started by ``cmd`` and return the figures (see ``__main__`` output).

    ``rate`` (messages/s over all residents) switches to the open loop. ``reply_predicate``
    picks the call that counts as the answer (default: any successful message-producing call
    to that chat); ``text(chat_id, index)`` what residents write. ``prepare(api, chats)``
    runs once the bot polls and before anything is measured (e.g. to bring every resident
    to a menu); its time and the bot's CPU during it are not counted. ``send_window``
    (closed loop) stops residents from writing after that many seconds, so a slow bot's run
    stays bounded; ``sent`` then counts what actually went out.
    """
    predicate = reply_predicate or default_reply_predicate
    say = text or _default_text
    chats = [FIRST_CHAT_ID + i for i in range(residents)]
    async with FakeBotApi() as api:
        bot = BotProcess(api, cmd, env=env, cwd=ROOT, startup_timeout=startup_timeout)
        t_launch = time.monotonic()
        async with bot:
            startup_s = time.monotonic() - t_launch
            if prepare is not None:
                await prepare(api, chats)
            cpu_ready, _ = proc_stats(bot.pid)
            tracker = _ReplyTracker(predicate)
            remove_listener = api.add_listener(tracker)
            driver_cpu = time.process_time()
            t_start = time.monotonic()
            if rate is None:
                await _closed_loop(
                    api=api,
                    tracker=tracker,
                    chats=chats,
                    messages=messages,
                    text=say,
                    reply_timeout=reply_timeout,
                    send_window=send_window,
                )
                send_end = t_start
            else:
                await _open_loop(
                    api=api, tracker=tracker, chats=chats, messages=messages, rate=rate, text=say
                )
                send_end = time.monotonic()
                await tracker.drained(reply_timeout)
            driver_cpu = time.process_time() - driver_cpu
            remove_listener()
            cpu_end, peak_kb = proc_stats(bot.pid)  # /proc/<pid> vanishes once it exits
            t_stop = time.monotonic()
        shutdown_s = time.monotonic() - t_stop

    sent = sum(len(q) for q in tracker.outstanding.values()) + len(tracker.latencies)
    replied = len(tracker.latencies)
    duration = max(tracker.last_reply_at - t_start, 1e-9)
    ordered = sorted(tracker.latencies)
    methods = Counter(c.method for c in api.calls(None))
    return {
        "mode": "closed" if rate is None else "open",
        "residents": residents,
        "messages_per_resident": messages,
        "rate": rate,
        "sent": sent,
        "replied": replied,
        "lost": sent - replied,
        "unmatched_replies": tracker.unmatched,
        "duration_s": round(duration, 3),
        "send_rate": round(sent / max(send_end - t_start, 1e-9), 1) if rate else None,
        "msgs_per_s": round(replied / duration, 1),
        "latency_ms": {
            "p50": round(_percentile(ordered, 50) * 1000, 2),
            "p95": round(_percentile(ordered, 95) * 1000, 2),
            "p99": round(_percentile(ordered, 99) * 1000, 2),
            "max": round(ordered[-1] * 1000, 2) if ordered else float("nan"),
        },
        "bot_cpu_s": round(cpu_end - cpu_ready, 2),
        "bot_cpu_ms_per_msg": round((cpu_end - cpu_ready) / max(replied, 1) * 1000, 3),
        "bot_cpu_startup_s": round(cpu_ready, 2),
        "bot_peak_rss_mb": round(peak_kb / 1024, 1),
        "driver_cpu_s": round(driver_cpu, 2),
        "startup_s": round(startup_s, 2),
        "shutdown_s": round(shutdown_s, 2),
        "exit_code": bot.returncode,
        "get_updates_calls": len(api.calls("getUpdates")),
        "api_calls": dict(methods),
    }


def _format(result: Mapping[str, Any]) -> str:
    lat = result["latency_ms"]
    loop = (
        f"closed loop, {result['residents']} residents x {result['messages_per_resident']}"
        if result["mode"] == "closed"
        else f"open loop at {result['rate']}/s (achieved {result['send_rate']}/s), "
        f"{result['residents']} residents"
    )
    return (
        f"{loop}\n"
        f"  replied {result['replied']}/{result['sent']} in {result['duration_s']} s "
        f"-> {result['msgs_per_s']} msgs/s\n"
        f"  latency p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, "
        f"max {lat['max']} ms\n"
        f"  bot CPU {result['bot_cpu_s']} s under load ({result['bot_cpu_ms_per_msg']} ms/msg), "
        f"{result['bot_cpu_startup_s']} s start-up; peak RSS {result['bot_peak_rss_mb']} MB\n"
        f"  driver CPU {result['driver_cpu_s']} s; start-up {result['startup_s']} s, "
        f"shutdown {result['shutdown_s']} s (exit {result['exit_code']}); "
        f"{result['get_updates_calls']} getUpdates"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--messages", type=int, default=20, help="messages per resident")
    parser.add_argument("--mode", choices=["closed", "open", "both"], default="both")
    parser.add_argument("--rate", type=float, default=100.0, help="open loop: messages/s")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("cmd", nargs="*", help="bot command (default: bench/echo_bot.py)")
    args = parser.parse_args(argv)
    cmd = args.cmd or [sys.executable, str(Path(__file__).with_name("echo_bot.py"))]
    rates: list[float | None] = {
        "closed": [None],
        "open": [args.rate],
        "both": [None, args.rate],
    }[args.mode]
    results = [
        asyncio.run(run_load(cmd, residents=args.residents, messages=args.messages, rate=rate))
        for rate in rates
    ]
    for result in results:
        print(json.dumps(result) if args.json else _format(result))


if __name__ == "__main__":
    main()
