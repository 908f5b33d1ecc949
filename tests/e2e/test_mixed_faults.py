"""Issue 12, points 1 and 4: random fault mixes and HTML error pages on every Bot API method,
and a 30 s outage; each faulty run of a resident's 10-step conversation must give the clean
run's transcript.

Two bots run at the same time, each against its own fake Bot API (faults are per fake): one
runs three mixes one after the other, the other the 30 s outage and then the mix of
everything."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, BotFactory, write_config
from tests.e2e.fake_bot_api import BotProcess, FakeBotApi
from tests.e2e.transcripts import TEN_STEPS, Line, differences, run_script, transcript

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
CLEAN, FAULTY = 9101, 9110
OUTAGE_S = 30

SCENARIOS = {
    "429": {"p429": 0.3},
    "500-and-html-502": {"p500": 0.1, "p502_html": 0.1},
    "resets-and-slow": {"p_reset": 0.1, "p_slow": 0.1, "slow_max": 5.0},
    "everything": {
        "p429": 0.3, "p500": 0.1, "p502_html": 0.1, "p_reset": 0.05, "p_slow": 0.05,
        "slow_max": 5.0,
    },
}  # fmt: skip


async def clean_transcript(api: FakeBotApi) -> list[Line]:
    await run_script(api, CLEAN, TEN_STEPS)
    await api.wait_idle(quiet=0.5)
    return transcript(api, CLEAN)


OUTAGE = "30 s outage"
SHARES = (["429", "500-and-html-502", "resets-and-slow"], [OUTAGE, "everything"])
"""What each of the two bots runs, one after the other (about the same time each)."""


async def faulty_runs(api: FakeBotApi, runs: list[str]) -> dict[str, list[str]]:
    """A clean run, then each fault on its own resident; the differences per fault."""
    clean = await clean_transcript(api)
    found: dict[str, list[str]] = {}
    for number, name in enumerate(runs):
        chat = FAULTY + number
        calls = len(api.calls(None)) + len(api.calls("getUpdates"))
        if name == OUTAGE:
            api.outage(OUTAGE_S)
        else:
            api.chaos(seed=12, **SCENARIOS[name])
        await run_script(api, chat, TEN_STEPS, patience=180)
        api.clear_faults()
        await api.wait_idle(quiet=2.0, timeout=120)
        found[name] = differences(clean, transcript(api, chat))
        made = sorted(api.calls(None) + api.calls("getUpdates"), key=lambda c: c.seq)[calls:]
        if not any(c.status not in (200, None) for c in made):
            found[name].append("no fault was injected")
    return found


async def second_bot(api: FakeBotApi, folder: Path, runs: list[str]) -> dict[str, list[str]]:
    """The same on a second bot process talking to a second fake Bot API."""
    config = write_config(folder)
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{folder}/lotse.db", "LOTSE_LOG_LEVEL": "INFO"}
    command = [sys.executable, "-m", "bot", "--config", str(config), "run"]
    async with BotProcess(api, command, env=env, cwd=ROOT):
        return await faulty_runs(api, runs)


async def test_fault_mixes_and_a_30_second_outage_give_the_clean_transcript(
    fake_api: FakeBotApi, lotse: BotFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "second"
    folder.mkdir()
    first, second = SHARES
    async with FakeBotApi() as other, lotse():
        found, more = await asyncio.gather(
            faulty_runs(fake_api, first), second_bot(other, folder, second)
        )
    assert {**found, **more} == {name: [] for name in [*SCENARIOS, OUTAGE]}
