"""Issue 12, points 2 and 3: kill -9 at seeded points after every kind of update (and during
the send of its reply), restart, and compare the resident's transcript with a clean run."""

from __future__ import annotations

import os

import pytest

from tests.e2e.conftest import BotFactory
from tests.e2e.crashes import KINDS, STAFF_GROUPS, crash_series
from tests.e2e.fake_bot_api import FakeBotApi

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
KILLS = int(os.environ.get("LOTSE_CRASH_KILLS", "36"))
"""CI-sized: 4 kill points per update kind and Telegram library (72 in all), 7 residents per
``kill -9``; bench/faults.py --crashes runs more."""


async def test_seeded_kills_lose_and_double_nothing(
    fake_api: FakeBotApi, lotse: BotFactory
) -> None:
    async with lotse(staff_groups=STAFF_GROUPS) as bot:
        tallies = await crash_series(fake_api, bot, kills=KILLS, seed=12, first_chat=9500)
    failures = [f for tally in tallies.values() for f in tally.failures]
    assert failures == []
    assert sum(t.kills for t in tallies.values()) == KILLS
    assert all(tallies[kind].kills > 0 for kind in KINDS)


def test_the_judge_counts_resent_messages_as_the_window_and_anything_else_as_a_double() -> None:
    from tests.e2e.crashes import _judge

    clean = [("resident", "/close", ()), ("bot", "A", ()), ("bot", "B", ())]
    resent = [*clean, ("bot", "A", ()), ("bot", "B", ())]
    assert _judge(clean, clean, set()) == "ok"
    assert _judge(clean, clean[:2], set()) == "lost"
    assert _judge(clean, resent, {"A", "B"}) == "window"  # both executed, rows not deleted
    assert _judge(clean, resent, {"A"}) == "doubled"  # B was recorded: its copy is a double
    assert _judge(clean, [*clean[:2], ("bot", "C", ())], {"B"}) == "doubled"  # not the same
    assert _judge(clean, [*clean, ("bot", "C", ())], {"C"}) == "doubled"  # never sent before
