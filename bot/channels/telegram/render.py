"""Engine replies → Bot API calls (method name and JSON-ready parameters), in HTML mode.

Every text that a resident, staff member or data file supplied is escaped; the only markup is
what this module adds around escaped values.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.channels.telegram.callbacks import encode
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

MAX_TEXT = 4096
EXTRA_OPTIONS = ("_back", "_lang")
"""Built-in buttons (back, change language) share the last keyboard row."""


@dataclass(frozen=True)
class Outgoing:
    """One Bot API call to make for a chat."""

    method: str
    params: dict[str, Any] = field(default_factory=dict)


def serialise(calls: Sequence[Outgoing]) -> list[tuple[str, str]]:
    """Calls as (method, JSON payload) rows for the outbox."""
    return [(c.method, json.dumps(c.params, ensure_ascii=False)) for c in calls]


def escape(text: str) -> str:
    """Escape text for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def render_all(replies: Sequence[Reply], chat_id: int, *, merge: bool = True) -> list[Outgoing]:
    """The Bot API calls that show an engine's replies.

    With ``merge``, a text directly followed by a question becomes one message with the
    buttons ("I did not understand that." above the menu): one notification, less data.
    """
    calls: list[Outgoing] = []
    index = 0
    while index < len(replies):
        reply = replies[index]
        following = replies[index + 1] if index + 1 < len(replies) else None
        if merge and isinstance(reply, Say) and isinstance(following, Ask | AskLocation):
            merged = _lead_into(reply, following, chat_id)
            if merged is not None:
                calls.append(merged)
                index += 2
                continue
        calls.extend(render(reply, chat_id))
        index += 1
    return calls


def _lead_into(lead: Say, question: Ask | AskLocation, chat_id: int) -> Outgoing | None:
    (message,) = render(question, chat_id)
    text = f"{escape(lead.text)}\n\n{message.params['text']}"
    if len(text) > MAX_TEXT:
        return None
    return Outgoing(message.method, {**message.params, "text": text})


def render(reply: Reply, chat_id: int) -> list[Outgoing]:
    """The Bot API calls that show one reply to a resident."""
    if isinstance(reply, Say):
        return [_message(chat_id, escape(reply.text))]
    if isinstance(reply, Ask):
        return [_message(chat_id, escape(reply.text), inline_keyboard(reply))]
    if isinstance(reply, AskLocation):
        keyboard = {
            "keyboard": [[{"text": reply.button, "request_location": True}]],
            "resize_keyboard": True,
            "one_time_keyboard": True,
        }
        return [_message(chat_id, escape(reply.text), keyboard)]
    if isinstance(reply, PlaceCard):
        return place_card(reply, chat_id)
    if isinstance(reply, HandOff | End):
        return [_message(chat_id, escape(reply.text))] if reply.text else []
    if isinstance(reply, EraseData | LeaveHandOff):
        return []
    return []


def _message(chat_id: int, text: str, markup: dict[str, Any] | None = None) -> Outgoing:
    params: dict[str, Any] = {"chat_id": chat_id, "text": text[:MAX_TEXT], "parse_mode": "HTML"}
    if markup is not None:
        params["reply_markup"] = markup
    return Outgoing("sendMessage", params)


def inline_keyboard(ask: Ask) -> dict[str, Any]:
    """One option per row (labels are long in some languages); built-ins share the last row."""
    rows: list[list[dict[str, str]]] = []
    extra: list[dict[str, str]] = []
    for option in ask.options:
        button = {"text": option.label, "callback_data": encode(ask.step, option.id)}
        if option.id in EXTRA_OPTIONS:
            extra.append(button)
        else:
            rows.append([button])
    if ask.step == "_lang":
        flat = [row[0] for row in rows]
        rows = [flat[i : i + 2] for i in range(0, len(flat), 2)]
    if extra:
        rows.append(extra)
    return {"inline_keyboard": rows}


def place_card(card: PlaceCard, chat_id: int) -> list[Outgoing]:
    """Name, address, opening status, phone (tappable in international form), map link."""
    lines = [f"<b>{escape(card.name)}</b>"]
    if card.address:
        lines.append(f"📍 {escape(card.address)}")
    if card.lines:
        lines.append(f"🕒 {escape(card.lines[0])}")
        lines.extend(escape(line) for line in card.lines[1:])
    if card.phone:
        lines.append(f"☎️ {escape(card.phone)}")
    if card.email:
        lines.append(f"✉️ {escape(card.email)}")
    if card.website:
        lines.append(f'🌐 <a href="{html.escape(card.website)}">{escape(card.website)}</a>')
    if card.map_url:
        lines.append(f'🗺 <a href="{html.escape(card.map_url)}">OpenStreetMap</a>')
    calls = [_message(chat_id, "\n".join(lines))]
    calls[0].params["link_preview_options"] = {"is_disabled": True}
    if card.location:
        calls.append(
            Outgoing(
                "sendLocation",
                {
                    "chat_id": chat_id,
                    "latitude": card.location.lat,
                    "longitude": card.location.lon,
                },
            )
        )
    return calls


def remove_reply_keyboard(call: Outgoing) -> Outgoing:
    """The same message, also taking away a "share location" keyboard."""
    if call.method != "sendMessage" or "reply_markup" in call.params:
        return call
    return Outgoing(call.method, {**call.params, "reply_markup": {"remove_keyboard": True}})
