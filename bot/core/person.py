"""Asking for a person: the handoff request a flow step, a typed need, ``/human`` and the
person button all make."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.replies import HandOff
from bot.core.session import Mode

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue, Turn


def hand_off(
    engine: Dialogue,
    turn: Turn,
    *,
    place: str | None,
    topic: str | None,
    text_key: str | None = None,
) -> None:
    """Ask for a person: emit a handoff request and wait in handoff mode."""
    session = turn.session
    flow = engine.flows.flows.get(session.flow or "")
    topic = topic or (flow.topic if flow else None)
    place = place or session.vars.get("place")
    answers = tuple(sorted(session.vars.items()))
    text = engine.text(turn, text_key or "system.handoff_started")
    turn.replies.append(HandOff(place_id=place, topic=topic, answers=answers, text=text))
    turn.update(mode=Mode.HANDOFF)
    turn.note("handoff", topic=topic, quarter=session.vars.get("quarter"))
