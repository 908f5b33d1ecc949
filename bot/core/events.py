"""What a resident does, as channel-neutral values the engine understands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.ports import GeoPoint


@dataclass(frozen=True, kw_only=True)
class _Event:
    at: datetime
    """When it happened (timezone-aware); the engine never reads the clock itself."""
    language_hint: str | None = None
    """The channel's idea of the resident's language (Telegram's language_code)."""


@dataclass(frozen=True, kw_only=True)
class Start(_Event):
    """The resident opens the conversation, optionally through a deep link."""

    payload: str = ""


@dataclass(frozen=True, kw_only=True)
class Text(_Event):
    """The resident typed something."""

    text: str


@dataclass(frozen=True, kw_only=True)
class Button(_Event):
    """The resident pressed an option of a question.

    ``step`` is the question's key (see :attr:`bot.core.replies.Ask.step`) so that a press
    on an old keyboard can be recognised as stale.
    """

    step: str
    option: str


@dataclass(frozen=True, kw_only=True)
class Location(_Event):
    """The resident shared a location."""

    point: GeoPoint


@dataclass(frozen=True, kw_only=True)
class Command(_Event):
    """A global command: see :data:`COMMANDS`."""

    name: str
    argument: str = ""


@dataclass(frozen=True, kw_only=True)
class Unsupported(_Event):
    """Something the engine cannot read (a photo, a sticker, a voice message)."""

    kind: str


Event = Start | Text | Button | Location | Command | Unsupported

COMMANDS = ("start", "back", "language", "help", "human", "delete", "bot")
"""Global commands: they work in every step.

``bot`` leaves a conversation with a person and returns to the flows.
"""
