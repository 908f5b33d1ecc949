"""Per-resident flood limits, shared by every channel residents write in."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Hashable

FLOOD_MESSAGES = 20
FLOOD_WINDOW_S = 10.0
PRUNE_ABOVE = 10_000
"""Chats remembered before quiet ones are forgotten (web ids cost nothing to make)."""


class FloodGuard:
    """At most ``limit`` messages per ``window`` seconds per chat; one friendly warning."""

    def __init__(self, limit: int = FLOOD_MESSAGES, window: float = FLOOD_WINDOW_S) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[Hashable, deque[float]] = {}
        self._warned: set[Hashable] = set()

    def check(self, chat_id: Hashable, now: float | None = None) -> str:
        """``ok``, ``warn`` (first message over the limit) or ``drop``."""
        now = time.monotonic() if now is None else now
        seen = self._seen.setdefault(chat_id, deque())
        while seen and seen[0] < now - self.window:
            seen.popleft()
        seen.append(now)
        if len(seen) <= self.limit:
            self._warned.discard(chat_id)
            if len(seen) == 1 and len(self._seen) > PRUNE_ABOVE:
                self._forget_quiet(now)
            return "ok"
        if chat_id in self._warned:
            return "drop"
        self._warned.add(chat_id)
        return "warn"

    def _forget_quiet(self, now: float) -> None:
        """Drop chats silent for a whole window, so the guard does not grow without bound."""
        quiet = [key for key, seen in self._seen.items() if seen[-1] < now - self.window]
        for key in quiet:
            del self._seen[key]
            self._warned.discard(key)
