"""Conversation tests as values: what the resident does, what Lotse must do, and problems.

Read from YAML by :mod:`bot.cli.flowtests.spec`; every value keeps its line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

ACTIONS = ("tap", "type", "location", "command", "wait")
"""What the resident does; exactly one per step."""


Kind = Literal["step", "flow", "says", "place", "handoff", "emergency"]
EXPECTATIONS: tuple[Kind, ...] = ("step", "flow", "says", "place", "handoff", "emergency")
"""What Lotse must do after the step; any number of them."""


@dataclass(frozen=True)
class Problem:
    """Something wrong in a test file, at a line; printed like a compiler message."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Tap:
    """Press a button: its label as shown, its German label, or its option id."""

    label: str


@dataclass(frozen=True)
class Type:
    """Type a message."""

    text: str


@dataclass(frozen=True)
class Share:
    """Share a location."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Send:
    """Send a command such as ``/start kaisers-ar`` or ``/back``."""

    name: str
    argument: str = ""


@dataclass(frozen=True)
class Wait:
    """Let time pass (the engine's clock moves on; Lotse says nothing)."""

    duration: timedelta
    spoken: str


Action = Tap | Type | Share | Send | Wait


@dataclass(frozen=True)
class Expectation:
    """One thing Lotse must do after a step; ``value`` is a text, or True/False.

    ``handoff`` takes True/False or the place id the person should be at.
    """

    kind: Kind
    value: str | bool
    line: int


@dataclass(frozen=True)
class Step:
    """One thing the resident does and what Lotse must do then."""

    number: int
    line: int
    action: Action
    expectations: tuple[Expectation, ...] = ()


@dataclass(frozen=True)
class ConversationTest:
    """One conversation: who the resident is, and the steps.

    A test with ``problems`` is reported as failed without running.
    """

    file: str
    line: int
    name: str
    language: str | None = None
    """The resident has chosen this language and agreed to the privacy notice."""
    language_line: int = 1
    language_code: str | None = None
    """Telegram's language setting of the resident; Lotse's own language choice runs."""
    time: datetime | None = None
    """When the conversation starts (local time); None for the runner's default."""
    steps: tuple[Step, ...] = ()
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class TestFile:
    """The tests of one file, and problems that stop the whole file from being read."""

    __test__ = False  # not a pytest class, despite the name

    file: str
    tests: tuple[ConversationTest, ...] = ()
    problems: tuple[Problem, ...] = ()


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``word``, if any is close enough to be a typo of it."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def suggest(word: str, choices: Iterable[str], prefix: str = "") -> str:
    """' Meinten Sie »x«?' for the closest choice, or ""."""
    close = closest(word, choices)
    return f" Meinten Sie »{prefix}{close}«?" if close else ""
