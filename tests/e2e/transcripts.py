"""A resident's whole conversation as the fake Bot API holds it, to compare runs.

A *script* is what one resident does (texts and button presses); each step waits for the
answer, a new question with buttons, before the next. The *transcript* is the chat at the
end (edits applied): who wrote, the text and the buttons of every message, in order. A
faulty run must give the same transcript as a clean one: same messages, same order, same
keyboards; a lost answer stops the script, a doubled one shows as an extra message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.e2e.fake_bot_api import FakeBotApi

Step = tuple[str, str]
"""``("send", text)`` or ``("press", part of a button label)``."""
Line = tuple[str, str, tuple[tuple[str, ...], ...]]
"""(``bot`` or ``resident``, text, button labels by row)."""

TEN_STEPS: tuple[Step, ...] = (
    ("send", "/start"),
    ("press", "Deutsch"),
    ("press", "Einverstanden"),
    ("send", "xyz 1"),
    ("press", "Geld & Essen"),
    ("press", "Zurück"),
    ("send", "xyz 2"),
    ("press", "Sprache"),
    ("press", "Deutsch"),
    ("send", "xyz 3"),
)
"""Texts and presses through language choice, consent, the menu, a flow and back."""


def keyboard(message: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return tuple(tuple(str(button["text"]) for button in row) for row in rows)


def transcript(api: FakeBotApi, chat: int) -> list[Line]:
    """The chat as the resident sees it now."""
    return [
        (
            "bot" if m.get("from", {}).get("is_bot") else "resident",
            str(m.get("text", m.get("caption", ""))),
            keyboard(m),
        )
        for m in api.messages(chat)
    ]


def _newest_id(api: FakeBotApi, chat: int) -> int:
    return max((m["message_id"] for m in api.messages(chat)), default=0)


def _answered_after(api: FakeBotApi, chat: int, marker: int) -> bool:
    """A bot message with buttons newer than ``marker`` is the chat's newest message."""
    messages = api.messages(chat)
    if not messages:
        return False
    last = messages[-1]
    return last["message_id"] > marker and bool(keyboard(last)) and last["from"]["is_bot"]


def press(api: FakeBotApi, chat: int, label: str) -> int:
    """Press the button whose label contains ``label`` on the newest message with buttons."""
    for message in reversed(api.messages(chat)):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        for row in rows:
            for button in row:
                if label in button["text"]:
                    return api.user_clicks(
                        chat, button["callback_data"], message_id=message["message_id"]
                    )
        if rows:
            break
    msg = f"no button {label!r} in chat {chat}: {transcript(api, chat)[-2:]}"
    raise AssertionError(msg)


async def act(api: FakeBotApi, chat: int, step: Step) -> int:
    """Do one step; returns its update id."""
    kind, value = step
    return api.user_sends(chat, value) if kind == "send" else press(api, chat, value)


async def run_script(
    api: FakeBotApi, chat: int, script: Sequence[Step], *, patience: float = 120.0
) -> None:
    """Each step, then wait for its answer (a new question) before the next."""
    for step in script:
        marker = _newest_id(api, chat)
        await act(api, chat, step)
        await api.wait_until(
            lambda marker=marker: _answered_after(api, chat, marker),  # type: ignore[misc]
            timeout=patience,
            what=f"the answer to {step} in chat {chat}",
        )


def differences(clean: list[Line], other: list[Line]) -> list[str]:
    """Readable differences between two transcripts (empty: the same)."""
    problems = [
        f"#{i}: {a!r} != {b!r}"
        for i, (a, b) in enumerate(zip(clean, other, strict=False))
        if a != b
    ]
    if len(clean) != len(other):
        problems.append(f"{len(clean)} messages in the clean run, {len(other)} here")
    return problems
