"""A typed need meets its first place card or person after at most two questions."""

from __future__ import annotations

import pytest
import real_lotse

from bot.content import MAX_QUESTIONS
from bot.core.engine import Engine
from bot.flowspec.paths import questions_before_help


def _routes() -> list[tuple[str, str, str | None]]:
    understanding = real_lotse.content().understanding
    assert understanding is not None
    return [(t, r.flow, r.step) for t, r in understanding.routes.items() if r.flow]


@pytest.mark.parametrize(("topic", "flow", "step"), _routes())
def test_every_topic_helps_within_two_questions(
    lotse: Engine, topic: str, flow: str, step: str | None
) -> None:
    asked = questions_before_help(lotse.flows, flow, step)
    assert asked is not None, f"{topic}: no path reaches a place or a person"
    assert asked <= MAX_QUESTIONS, f"{topic}: up to {asked} questions before help"
