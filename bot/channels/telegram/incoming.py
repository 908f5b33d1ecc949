"""Incoming Telegram messages → engine events, independent of the Telegram library."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from bot.core.events import COMMANDS, Command, Event, Location, Start, Text, Unsupported
from bot.core.ports import GeoPoint

log = logging.getLogger("bot.telegram")

DEEP_LINK = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
"""Telegram's rule for /start payloads: at most 64 of A-Z a-z 0-9 _ -."""
MAX_TEXT = 4096


@dataclass(frozen=True)
class MessageFacts:
    """What a runtime extracts from a message, whatever its library."""

    update_id: int
    message_id: int = 0
    text: str | None = None
    location: GeoPoint | None = None
    content: str = "text"
    """``text``, ``location`` or what else it carries: photo, voice, sticker, document …"""
    language_code: str | None = None
    edited: bool = False
    caption: str | None = None
    """The text of a message or the caption of a photo or document (for relays to staff)."""


def to_event(facts: MessageFacts, at: datetime) -> Event:
    """The engine event for a resident's message."""
    hint = facts.language_code
    if facts.edited:
        return Unsupported(at=at, kind="edited", language_hint=hint)
    if facts.location is not None:
        return Location(at=at, point=facts.location, language_hint=hint)
    if facts.text is None:
        return Unsupported(at=at, kind=facts.content, language_hint=hint)
    text = _clean(facts.text)
    if text.startswith("/"):
        return _command(facts, text, at)
    return Text(at=at, text=text, language_hint=hint)


def _command(facts: MessageFacts, text: str, at: datetime) -> Event:
    head, _, argument = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()  # "/start@LotseBot" in groups
    argument = argument.strip()
    hint = facts.language_code
    if name == "start":
        if argument and not DEEP_LINK.match(argument):
            log.warning(
                "update %s: deep-link payload rejected (length %d)", facts.update_id, len(argument)
            )
            argument = ""
        return Start(at=at, payload=argument, language_hint=hint)
    if name in COMMANDS:
        return Command(at=at, name=name, language_hint=hint)
    return Command(at=at, name="help", language_hint=hint)


_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]")


def _clean(text: str) -> str:
    """Drop control characters and bidi overrides; cut what no message can hold."""
    return _CONTROL.sub("", text)[:MAX_TEXT].strip()
