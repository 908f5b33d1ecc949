"""The buttons Lotse adds to every flow question: back, another language, and a person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.replies import Option
from bot.flowspec.model import AskStep, HandoffStep

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue, Turn

LANGUAGE_OPTION = "_lang"
BACK_OPTION = "_back"
PERSON_OPTION = "_person"
MISSES_FOR_PERSON = 2
"""After this many misses in a row a question also offers a person."""


def extra_options(engine: Dialogue, turn: Turn) -> list[Option]:
    """Buttons added to every flow question: back (when possible) and change language;
    after repeated misses also a person, unless the question offers one itself."""
    extra = []
    if turn.session.misunderstood >= MISSES_FOR_PERSON and not _offers_person(engine, turn):
        extra.append(Option(PERSON_OPTION, engine.text(turn, "common.opt_person")))
    if turn.session.history:
        extra.append(Option(BACK_OPTION, engine.text(turn, "system.back_button")))
    if len(engine.offered()) > 1:
        extra.append(Option(LANGUAGE_OPTION, engine.text(turn, "system.language_button")))
    return extra


def _offers_person(engine: Dialogue, turn: Turn) -> bool:
    position = turn.session.position
    step = engine.flows.step(position.flow, position.step) if position else None
    if not isinstance(step, AskStep) or position is None:
        return False
    return any(
        isinstance(engine.flows.step(position.flow, o.next or ""), HandoffStep)
        for o in step.options
    )
