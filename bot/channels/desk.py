"""What every channel tells the staff desk, and how the desk answers a channel's resident.

A resident on any channel (Telegram, the web chat) asks for a person with the same deferred
outbox rows (``_handoff``, ``_relay``); the staff desk, which lives with the staff groups on
Telegram, carries them out. Its answers reach the resident through the resident's channel:
a :class:`ResidentDelivery` turns them into that channel's outbox rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.core.engine import Outcome
from bot.core.replies import HandOff, Reply
from bot.handoff.cases import ResidentKey

OPEN_CASE, RELAY, TRANSFER_IN = "_handoff", "_relay", "_transfer"
"""Deferred outbox methods, resolved by the staff desk."""
Rows = list[tuple[str, str]]
"""Outbox calls (method, JSON payload) for one chat, in order."""


def _chat_id(resident: ResidentKey) -> int | str:
    """Telegram's chat ids stay numbers in payloads (as rows queued before the web chat)."""
    return int(resident.chat_id) if resident.channel == "telegram" else resident.chat_id


def open_case_call(
    resident: ResidentKey,
    handoff: HandOff,
    *,
    language: str,
    quarter: str | None,
    typed: str | None,
) -> tuple[str, str]:
    """The deferred outbox row that opens (or reuses) a case for a resident."""
    payload = {
        "channel": resident.channel,
        "chat_id": _chat_id(resident),
        "place_id": handoff.place_id,
        "topic": handoff.topic,
        "answers": list(handoff.answers),
        "language": language,
        "quarter": quarter,
        "typed": typed,
    }
    return OPEN_CASE, json.dumps(payload, ensure_ascii=False)


def relay_call(
    resident: ResidentKey, *, message_id: int | None, kind: str, text: str | None, language: str
) -> tuple[str, str]:
    """The deferred outbox row that relays a resident's message into their case topic."""
    payload = {
        "channel": resident.channel,
        "chat_id": _chat_id(resident),
        "message_id": message_id,
        "kind": kind,
        "text": text,
        "language": language,
    }
    return RELAY, json.dumps(payload, ensure_ascii=False)


@dataclass(frozen=True)
class Written:
    """A resident's message that goes to staff when the resident talks to a person."""

    message_id: int | None
    kind: str
    """``text``, ``location``, ``photo`` …: what the staff topic receives."""
    text: str | None


def staff_rows(
    resident: ResidentKey,
    outcome: Outcome,
    *,
    default_language: str,
    typed: str | None,
    written: Written | None,
) -> Rows:
    """Deferred rows for the staff side of one outcome: open a case for each handoff, relay
    ``written`` when the resident talks to a person."""
    session = outcome.session
    language = session.language or default_language
    rows = [
        open_case_call(
            resident, reply, language=language, quarter=session.vars.get("quarter"), typed=typed
        )
        for reply in outcome.replies
        if isinstance(reply, HandOff)
    ]
    if outcome.relay and written is not None:
        rows.append(
            relay_call(
                resident,
                message_id=written.message_id,
                kind=written.kind,
                text=written.text,
                language=language,
            )
        )
    return rows


def resident_of(params: dict[str, object]) -> ResidentKey:
    """The resident of a deferred row (rows from before the web chat are Telegram's)."""
    return ResidentKey(str(params.get("channel") or "telegram"), str(params["chat_id"]))


class ResidentDelivery(Protocol):
    """How the staff desk's messages reach the residents of one channel."""

    def chat(self, resident: ResidentKey) -> str:
        """The outbox chat that holds the resident's messages."""

    def notices(self, resident: ResidentKey, texts: Sequence[str], *, language: str) -> Rows:
        """Plain texts in the resident's language (relays, templates, case notices)."""

    def replies(self, resident: ResidentKey, replies: Sequence[Reply], *, language: str) -> Rows:
        """The engine's replies (when a case closes and the flows take over again)."""

    def media(
        self, resident: ResidentKey, *, from_chat: int, message_id: int, language: str
    ) -> Rows:
        """A photo, voice message or document staff sent in the case's topic."""
