"""The conversation so far, worded for staff: what the resident did, what Lotse answered."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from bot.cli.flowtests.model import Action, Send, Share, Tap, Type
from bot.core.builtins import CONSENT_STEP, DELETE_STEP, LANGUAGE_STEP, SWITCH_STEP, TOPIC_STEP
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

BUILT_IN_QUESTIONS = {
    LANGUAGE_STEP: "Sprachwahl",
    CONSENT_STEP: "Frage zum Datenschutz",
    DELETE_STEP: "Frage, ob alles gelöscht werden soll",
    SWITCH_STEP: "Angebot, die Sprache zu wechseln",
    TOPIC_STEP: "Frage nach dem Thema",
}
"""The questions Lotse asks outside the flows, by the name a test uses in ``step:``."""
HANDED_OFF = "bei einem Menschen"
_WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


@dataclass(frozen=True)
class Entry:
    """One turn: what the resident did, Lotse's replies and where the conversation stands.

    Step 0 is the preparation a test's ``language:`` asks for (start, language, consent).
    """

    step: int
    did: str
    replies: tuple[Reply, ...]
    reached: str
    relayed: bool = False
    with_person: bool = False
    """A person answers now; ``reached`` is where /bot continues."""


def describe(action: Action, *, label: str = "", at: datetime | None = None) -> str:
    """What the resident did, as a short German sentence part."""
    if isinstance(action, Tap):
        return f"tippt auf »{label or action.label}«"
    if isinstance(action, Type):
        return f"schreibt »{action.text}«"
    if isinstance(action, Share):
        return f"teilt den Standort {action.lat}, {action.lon}"
    if isinstance(action, Send):
        return f"sendet /{action.name} {action.argument}".rstrip()
    when = f" (jetzt {clock(at)})" if at else ""
    return f"wartet {action.spoken}{when}"


def clock(at: datetime) -> str:
    """ "Di 24.11.2026, 10:00"."""
    return f"{_WEEKDAYS[at.weekday()]} {at:%d.%m.%Y, %H:%M}"


def render(entries: list[Entry]) -> str:
    """The transcript, numbered, indented for a terminal."""
    lines: list[str] = []
    for entry in entries:
        head = "Vorbereitung:" if entry.step == 0 else "Bewohner:in"
        lines.append(f"  {entry.step}. {head} {entry.did}")
        for reply in entry.replies:
            reply_lines = list(reply_lines_of(reply))
            if reply_lines:
                lines.append(f"     Lotse: {reply_lines[0]}")
                lines.extend(f"            {line}" for line in reply_lines[1:])
        if entry.relayed:
            lines.append("     (geht an das Team: eine Person liest mit)")
        stand = where(entry.reached)
        if entry.with_person:
            stand = f"{HANDED_OFF}; mit /bot weiter bei {stand}"
        lines.append(f"     → Stand: {stand}")
    return "\n".join(lines)


def where(reached: str) -> str:
    """Where the conversation stands, for staff."""
    if not reached:
        return "kein Schritt (das Gespräch ruht)"
    name = BUILT_IN_QUESTIONS.get(reached)
    return f"{reached} ({name})" if name else reached


def reply_lines_of(reply: Reply) -> Iterator[str]:
    """A reply as the resident reads it, with buttons and place ids made visible."""
    if isinstance(reply, Say):
        yield from reply.text.splitlines()
    elif isinstance(reply, End):
        yield from reply.text.splitlines()
        yield "(Ende: das Gespräch ruht)"
    elif isinstance(reply, Ask):
        yield from reply.text.splitlines()
        yield "Knöpfe: " + " · ".join(f"[{option.label}]" for option in reply.options)
    elif isinstance(reply, AskLocation):
        yield from reply.text.splitlines()
        yield f"Knopf: [{reply.button}]"
    elif isinstance(reply, PlaceCard):
        yield f"Ort-Karte {reply.place_id}: {reply.name}"
        fields = (reply.address, reply.phone, reply.email, *reply.lines)
        yield from (line for line in fields if line)
    elif isinstance(reply, HandOff):
        topic = f", Thema {reply.topic}" if reply.topic else ""
        place = f", Ort {reply.place_id}" if reply.place_id else ""
        yield f"(Übergabe an einen Menschen{topic}{place})"
        yield from reply.text.splitlines()
    elif isinstance(reply, EraseData):
        yield "(alle Daten gelöscht)"
    elif isinstance(reply, LeaveHandOff):
        yield "(zurück von der Person zu Lotse)"
