"""Terminal chat: numbered options, free text, /commands; works with a pipe as stdin.

Input lines:
  ``3``                    press option 3 of the last question
  ``/start``, ``/back`` …  global commands (``/start kaisers-ar`` with a deep-link payload)
  ``/location 52.1,9.36``  share a location
  anything else            typed text
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.core.builtins import LANGUAGE_STEP
from bot.core.events import COMMANDS, Button, Command, Event, Location, Start, Text
from bot.core.ports import GeoPoint
from bot.core.replies import (
    Ask,
    AskLocation,
    End,
    EraseData,
    HandOff,
    LeaveHandOff,
    PlaceCard,
    Reply,
    Say,
)
from bot.core.session import Mode
from bot.service import ConversationService

CHANNEL = "terminal"
NO_STAFF_KEY = "admin.terminal_no_staff"
"""The operator's note (German, like every staff text) that no person reads the terminal."""
_LOCATION = re.compile(r"^/location\s+(-?\d+(?:\.\d+)?)\s*[, ]\s*(-?\d+(?:\.\d+)?)$")


def parse_line(line: str, last_question: Ask | None, at: datetime, hint: str | None) -> Event:
    """Turn one typed line into an engine event."""
    text = line.strip()
    if (match := _LOCATION.match(text)) is not None:
        point = GeoPoint(float(match[1]), float(match[2]))
        return Location(at=at, point=point, language_hint=hint)
    if text.startswith("/"):
        name, _, argument = text[1:].partition(" ")
        if name == "start":
            return Start(at=at, payload=argument.strip(), language_hint=hint)
        if name in COMMANDS:
            return Command(at=at, name=name, argument=argument, language_hint=hint)
    if (
        last_question
        and text.isascii()
        and text.isdigit()
        and 1 <= int(text) <= len(last_question.options)
    ):
        option = last_question.options[int(text) - 1]
        return Button(at=at, step=last_question.step, option=option.id, language_hint=hint)
    return Text(at=at, text=text, language_hint=hint)


def render(reply: Reply) -> str:
    """Plain-text rendering of one reply (the look of the terminal and of previews)."""
    if isinstance(reply, Say):
        return reply.text
    if isinstance(reply, Ask):
        lines = [reply.text] + [f"  {i}) {o.label}" for i, o in enumerate(reply.options, 1)]
        return "\n".join(lines)
    if isinstance(reply, AskLocation):
        return f"{reply.text}\n  [{reply.button}: /location LAT,LON]"
    if isinstance(reply, PlaceCard):
        lines = [f"📍 {reply.name}"]
        lines += [reply.address] if reply.address else []
        lines += [f"☎ {reply.phone}"] if reply.phone else []
        lines += [f"✉ {reply.email}"] if reply.email else []
        lines += list(reply.lines)
        lines += [reply.website] if reply.website else []
        lines += [reply.map_url] if reply.map_url else []
        return "\n".join("   " + line if i else line for i, line in enumerate(lines))
    if isinstance(reply, HandOff):
        return reply.text
    if isinstance(reply, End):
        return reply.text
    if isinstance(reply, EraseData | LeaveHandOff):
        return ""
    return ""


class TerminalChat:
    """Reads lines, asks the service, prints the replies."""

    def __init__(
        self,
        service: ConversationService,
        *,
        resident: str = "local",
        language: str | None = None,
        timezone: str = "Europe/Berlin",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.service = service
        self.resident = resident
        self.language = language
        self.tz = ZoneInfo(timezone)
        self.clock = clock or (lambda: datetime.now(self.tz))
        self.last_question: Ask | None = None
        self.in_handoff = False

    async def send(self, line: str) -> list[str]:
        """Handle one typed line; returns the printed blocks."""
        # In a handoff every line is for a person: a number is words, not an old button.
        question = None if self.in_handoff else self.last_question
        return await self._handle(parse_line(line, question, self.clock(), self.language))

    async def _handle(self, event: Event) -> list[str]:
        outcome = await self.service.handle(CHANNEL, self.resident, event)
        if outcome is None:  # only a repeated update id gives None; the terminal has none
            return []
        asked = [r for r in outcome.replies if isinstance(r, Ask)]
        if asked:
            self.last_question = asked[-1]
        self.in_handoff = outcome.session.mode is Mode.HANDOFF
        printed = [text for text in map(render, outcome.replies) if text]
        if outcome.relay or any(isinstance(r, HandOff) for r in outcome.replies):
            # Telegram relays these words to staff; the terminal has no staff to relay to.
            printed.append(self.service.engine.texts.text("de", NO_STAFF_KEY))
        return printed

    async def switch_language(self, language: str) -> list[str]:
        """Choose ``language`` through the picker; returns what is printed after the choice."""
        await self.send("/language")
        return await self._handle(Button(at=self.clock(), step=LANGUAGE_STEP, option=language))

    async def run(self, lines: Iterable[str] | None, out: TextIO, *, interactive: bool) -> None:
        """Chat until end of input. With a pipe, no prompt is printed."""
        session = await self.service.session(CHANNEL, self.resident)
        if session is None or not session.language:
            # --lang works like a deep link: the language is chosen, not just hinted.
            self._print(out, await self.send(f"/start {self.language or ''}".strip()))
        elif self.language and session.language != self.language:
            # A resident who already talks to Lotse: --lang switches, as the language
            # picker does (the position in the flow stays).
            self._print(out, await self.switch_language(self.language))
        source = lines if lines is not None else _stdin_lines(interactive, out)
        async for line in _aiter(source):
            if not line.strip():
                continue
            self._print(out, await self.send(line))

    @staticmethod
    def _print(out: TextIO, blocks: list[str]) -> None:
        for block in blocks:
            out.write(block + "\n\n")
        out.flush()


def _stdin_lines(interactive: bool, out: TextIO) -> Iterable[str]:
    import sys  # noqa: PLC0415 - only the real terminal reads stdin

    while True:
        if interactive:
            out.write("> ")
            out.flush()
        line = sys.stdin.readline()
        if not line:
            return
        yield line


async def _aiter(lines: Iterable[str]) -> AsyncIterator[str]:
    iterator = iter(lines)
    while True:
        line = await asyncio.to_thread(next, iterator, None)
        if line is None:
            return
        yield line
