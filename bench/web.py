"""The web chat under load, and how fast its page shows, on 127.0.0.1.

``python -m bot web`` runs as a subprocess on a fresh SQLite file; this process drives it.

- **First paint**: headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright;
  nothing downloaded) opens ``/`` in a fresh context ``--paints`` times;
  ``performance.getEntriesByType('paint')`` gives first paint and first contentful paint.
  Target < 1 s.
- **Page weight**: ``/`` and every asset it links (CSS, JS), as sent. Target < 100 KB.
- **CPU per message**: ``--residents`` residents (each its own cookie) reach the main menu
  (a deep link in German and consent; not measured), wait out the flood window, then each
  sends ``--messages`` texts Lotse does not understand, one after the other (closed loop),
  all residents at once. CPU seconds of the bot process (``/proc/<pid>/stat``, as
  ``bench/telegram.py`` measures it) over the measured phase, divided by answered messages.
  Target: within +0.3 ms of Telegram's figure (``--compare`` measures that on this machine
  with ``bench/telegram.py --bots lotse-aiogram --mode closed``).

    python bench/web.py                    # about a minute
    python bench/web.py --compare          # and the Telegram figure, about 2 more minutes

Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from aiohttp import ClientSession, CookieJar

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.tgload import proc_stats  # noqa: E402
from tests.browser.chromium import CHROMIUM, launch  # noqa: E402

FLOOD_WINDOW_S = 10.5
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(folder: Path, port: int) -> Path:
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["paths"] = {name: str(ROOT / name) for name in ("flows", "locales", "places", "nlu")}
    data["paths"]["cache"] = str(ROOT / "data" / "cache")
    # All residents come from 127.0.0.1 here: no limit on new conversations per address.
    data["web"] = {"enabled": True, "host": "127.0.0.1", "port": port, "new_per_minute": 0}
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


async def _start(folder: Path, port: int) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{folder}/lotse.db",
        WEB_SECRET="bench",  # noqa: S106 - the benchmark's throwaway cookie secret
        LOTSE_LOG_LEVEL="WARNING",
    )
    command = [sys.executable, "-m", "bot", "--config", str(_config(folder, port)), "web"]
    process = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    async with ClientSession() as http:
        for _ in range(600):
            try:
                async with http.get(base + "/healthz") as response:
                    if response.status == 200:
                        return process
            except OSError:
                pass
            await asyncio.sleep(0.1)
    process.kill()
    raise SystemExit("the web chat did not start within 60 s")


async def page_weight(base: str) -> dict[str, int]:
    """Bytes of ``/`` and of each asset it links, as the server sends them."""
    sizes: dict[str, int] = {}
    async with ClientSession() as http:
        async with http.get(base + "/") as response:
            page = await response.read()
        sizes["/"] = len(page)
        for asset in ASSET.findall(page.decode()):
            async with http.get(base + asset) as response:
                sizes[asset] = len(await response.read())
    return sizes


async def first_paint(base: str, times: int) -> dict[str, float]:
    """Median first paint and first contentful paint of ``/`` (ms), fresh context each."""
    from playwright.async_api import async_playwright

    paints: dict[str, list[float]] = {"first-paint": [], "first-contentful-paint": []}
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        for _ in range(times):
            context = await browser.new_context()
            page = await context.new_page()
            await page.goto(base + "/", wait_until="load")
            await page.wait_for_function("performance.getEntriesByType('paint').length >= 2")
            entries = await page.evaluate(
                "performance.getEntriesByType('paint').map(e => [e.name, e.startTime])"
            )
            for name, start in entries:
                paints[name].append(start)
            await context.close()
        await browser.close()
    return {name: round(statistics.median(values), 1) for name, values in paints.items()}


class Resident:
    """One browser's worth of the JSON API: its own cookie, one request per message."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = ClientSession(cookie_jar=CookieJar(unsafe=True))

    async def send(self, **event: Any) -> dict[str, Any]:
        async with self.http.post(self.base + "/api/event", json=event) as response:
            body: dict[str, Any] = await response.json()
            if response.status != 200:
                raise RuntimeError(f"{response.status}: {body}")
            return body

    async def ready(self) -> None:
        consent = await self.send(type="start", payload="de")
        step = next(m["step"] for m in consent["messages"] if m["kind"] == "ask")
        await self.send(type="button", step=step, option="agree")


async def load(base: str, pid: int, residents: int, messages: int) -> dict[str, Any]:
    """Closed loop: every resident sends its next text once the last one was answered."""
    people = [Resident(base) for _ in range(residents)]
    try:
        await asyncio.gather(*(person.ready() for person in people))
        await asyncio.sleep(FLOOD_WINDOW_S)  # the set-up messages leave the flood window
        latencies: list[float] = []

        async def talk(person: Resident) -> None:
            for number in range(messages):
                started = time.perf_counter()
                await person.send(type="text", text=f"xyz {number}")
                latencies.append(time.perf_counter() - started)

        cpu_before, _ = proc_stats(pid)
        wall = time.perf_counter()
        await asyncio.gather(*(talk(person) for person in people))
        wall = time.perf_counter() - wall
        cpu, peak_kb = proc_stats(pid)
        cpu -= cpu_before
    finally:
        await asyncio.gather(*(person.http.close() for person in people))
    latencies.sort()
    answered = len(latencies)
    return {
        "residents": residents,
        "messages": answered,
        "messages_per_s": round(answered / wall, 1),
        "p50_ms": round(latencies[answered // 2] * 1000, 1),
        "p99_ms": round(latencies[int(answered * 0.99) - 1] * 1000, 1),
        "bot_cpu_s": round(cpu, 2),
        "bot_cpu_ms_per_msg": round(cpu / answered * 1000, 3),
        "bot_peak_rss_mb": round(peak_kb / 1024),
    }


def telegram_figure(residents: int, messages: int) -> float | None:
    """Lotse's CPU per message on Telegram (pacing lifted, closed loop) on this machine."""
    command = [
        sys.executable, "bench/telegram.py", "--bots", "lotse-aiogram", "--mode", "closed",
        "--residents", str(residents), "--messages", str(messages), "--json",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("{") and "bot_cpu_ms_per_msg" in line:
            return float(json.loads(line)["bot_cpu_ms_per_msg"])
    print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
    return None


async def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="lotse-web-bench-") as tmp:
        port = _free_port()
        process = await _start(Path(tmp), port)
        base = f"http://127.0.0.1:{port}"
        try:
            figures: dict[str, Any] = {"weight": await page_weight(base)}
            if args.chromium:
                figures["paint"] = await first_paint(base, args.paints)
            figures["load"] = await load(base, process.pid, args.residents, args.messages)
        finally:
            process.terminate()
            await process.wait()
    if args.compare:
        figures["telegram_cpu_ms_per_msg"] = telegram_figure(args.residents, args.messages)
    return figures


def report(figures: dict[str, Any]) -> str:
    weight = figures["weight"]
    total = sum(weight.values())
    lines = [
        f"page weight: {total / 1024:.1f} KB ("
        + ", ".join(f"{path} {size / 1024:.1f} KB" for path, size in weight.items())
        + f"); target < 100 KB: {'met' if total < 100 * 1024 else 'MISSED'}"
    ]
    paint = figures.get("paint")
    if paint:
        fcp = paint["first-contentful-paint"]
        lines.append(
            f"first paint (median): {paint['first-paint']} ms, first contentful paint {fcp} ms;"
            f" target < 1000 ms: {'met' if fcp < 1000 else 'MISSED'}"
        )
    else:
        lines.append(f"first paint: not measured (no {CHROMIUM})")
    load = figures["load"]
    lines.append(
        f"{load['residents']} residents, {load['messages']} messages, closed loop: "
        f"{load['messages_per_s']} messages/s, p50 {load['p50_ms']} ms, p99 {load['p99_ms']} "
        f"ms; bot CPU {load['bot_cpu_s']} s = {load['bot_cpu_ms_per_msg']} ms/message; "
        f"peak RSS {load['bot_peak_rss_mb']} MB"
    )
    telegram = figures.get("telegram_cpu_ms_per_msg")
    if telegram is not None:
        extra = load["bot_cpu_ms_per_msg"] - telegram
        lines.append(
            f"Telegram (lotse-aiogram, closed loop, same machine): {telegram} ms/message; "
            f"the web chat {extra:+.3f} ms; target within +0.3 ms: "
            f"{'met' if extra <= 0.3 else 'MISSED'}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--paints", type=int, default=5, help="page loads for first paint")
    parser.add_argument("--compare", action="store_true", help="measure Telegram's figure too")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    args.chromium = CHROMIUM.exists()
    figures = asyncio.run(run(args))
    print(json.dumps(figures) if args.json else report(figures))


if __name__ == "__main__":
    main()
