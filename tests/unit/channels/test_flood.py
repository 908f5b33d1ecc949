"""The per-resident flood guard shared by Telegram and the web chat."""

from __future__ import annotations

import pytest

from bot.channels import flood
from bot.channels.flood import FloodGuard


def test_one_warning_then_quiet_then_ok_after_the_window() -> None:
    guard = FloodGuard(limit=2, window=10.0)
    assert [guard.check("a", now=t) for t in (0, 1, 2, 3)] == ["ok", "ok", "warn", "drop"]
    assert guard.check("a", now=20.0) == "ok"


def test_quiet_residents_are_forgotten_when_many_are_remembered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(flood, "PRUNE_ABOVE", 3)
    guard = FloodGuard(limit=5, window=10.0)
    for number in range(5):
        guard.check(number, now=float(number))
    guard.check("new", now=30.0)
    assert guard.check("new", now=31.0) == "ok"
    assert len(guard._seen) == 1
