"""Branch conditions and ``{variable}`` templates in flow values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.flowspec.model import Condition
from bot.i18n.catalog import fill

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue, Turn


def template(value: str | None, variables: Mapping[str, str]) -> str | None:
    """Fill ``{variables}`` in a flow value; None when a variable is not set."""
    if value is None:
        return None
    filled = fill(value, variables)
    return None if "{" in filled else filled


def holds(engine: Dialogue, turn: Turn, condition: Condition) -> bool:
    """Evaluate one branch condition against the session and the time of the event."""
    variables = turn.session.vars
    if condition.var is not None:
        value = variables.get(condition.var)
        if condition.is_set is not None:
            return (value is not None and value != "") == condition.is_set
        if condition.equals is not None:
            return value == condition.equals
        return value in (condition.in_ or ())
    if condition.language is not None:
        return turn.language in condition.language
    if condition.quarter is not None:
        return variables.get("quarter") in condition.quarter
    place = template(condition.open_now, variables)
    if place is None or engine.directory is None:
        return False
    return engine.directory.status(place, turn.at).open_now
