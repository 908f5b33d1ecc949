"""What Lotse must do after a step, checked against one turn; each check says why it failed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.cli.flowtests.model import Expectation
from bot.cli.flowtests.transcript import where
from bot.core.replies import HandOff, PlaceCard, Reply, reply_texts

NUMBERS = re.compile(r"(?<!\d)11[02](?!\d)")
"""The emergency numbers: police 110, fire brigade and ambulance 112."""


@dataclass(frozen=True)
class Turn:
    """What one step led to: Lotse's replies and where the conversation stands."""

    replies: tuple[Reply, ...]
    reached: str
    """The built-in question or ``flow.step`` on screen; "" when the conversation rests."""
    flows: Sequence[str]
    """The flows waiting for a return, then the current flow."""


def failure(expectation: Expectation, turn: Turn) -> str:
    """Why ``turn`` does not do what ``expectation`` asks; "" when it does."""
    return _CHECKS[expectation.kind](expectation, turn)


def _step(expected: Expectation, turn: Turn) -> str:
    if turn.reached == expected.value:
        return ""
    return f"erwartet Schritt »{expected.value}«, erreicht: {where(turn.reached)}."


def _flow(expected: Expectation, turn: Turn) -> str:
    if expected.value in turn.flows:
        return ""
    current, *callers = reversed(turn.flows) if turn.flows else ("",)
    now = f"»{current}«" if current else "keiner (das Gespräch ruht)"
    called = f" (aufgerufen von {', '.join(callers)})" if callers else ""
    return f"erwartet Ablauf »{expected.value}«, erreicht: {now}{called}."


def _says(expected: Expectation, turn: Turn) -> str:
    wanted = comparable(str(expected.value))
    texts = (comparable(text) for reply in turn.replies for text in reply_texts(reply))
    if any(wanted in text for text in texts):
        return ""
    return f"erwartet einen Text mit »{expected.value}«; Lotse hat ihn hier nicht geschrieben."


def _place(expected: Expectation, turn: Turn) -> str:
    shown = [reply.place_id for reply in turn.replies if isinstance(reply, PlaceCard)]
    if expected.value in shown:
        return ""
    cards = f"gezeigt: {', '.join(shown)}" if shown else "keine Ort-Karte gezeigt"
    return f"erwartet die Ort-Karte »{expected.value}«; {cards}."


def _handoff(expected: Expectation, turn: Turn) -> str:
    """True/False, or the place id the person should be at."""
    handoffs = [reply for reply in turn.replies if isinstance(reply, HandOff)]
    if expected.value is False:
        if handoffs:
            return "erwartet keine Übergabe an einen Menschen; Lotse hat übergeben."
        return ""
    if not handoffs:
        return "erwartet die Übergabe an einen Menschen; Lotse hat nicht übergeben."
    places = [handoff.place_id or "kein Ort" for handoff in handoffs]
    if expected.value is True or expected.value in places:
        return ""
    return f"erwartet die Übergabe an einen Menschen bei »{expected.value}«; Ort: {places[0]}."


def _emergency(expected: Expectation, turn: Turn) -> str:
    """The numbers come first or not at all: only the first reply counts."""
    first = " ".join(reply_texts(turn.replies[0])) if turn.replies else ""
    shown = NUMBERS.search(first) is not None
    if shown == expected.value:
        return ""
    said = f"die erste Antwort war: »{' '.join(first.split())[:100] or 'keine'}«"
    if expected.value:
        return f"erwartet die Notrufnummern (110 oder 112) in der ersten Antwort; {said}."
    return f"erwartet keine Notrufnummern in der ersten Antwort; {said}."


def comparable(text: str) -> str:
    """Text for a "contains" check: no case, no invisible direction marks, single spaces."""
    visible = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return " ".join(visible.casefold().split())


_CHECKS: dict[str, Callable[[Expectation, Turn], str]] = {
    "step": _step,
    "flow": _flow,
    "says": _says,
    "place": _place,
    "handoff": _handoff,
    "emergency": _emergency,
}
