"""Which place and which staff group a handoff goes to.

The place is the one the flow named; else the directory's best match among the places that
have a staff group (first for the topic, then — a treff helps with nearly everything — for
the resident's quarter alone); else none. The staff group is the one listing the place,
else the fallback team, else none: then the case cannot reach staff, and the caller tells
the resident and keeps the case for when a group is configured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.config import StaffGroup
from bot.core.ports import Directory, PlaceQuery
from bot.core.replies import HandOff

PlaceSource = Literal["given", "topic", "quarter", "none"]
"""How the place was chosen: named by the flow, matched by topic, by quarter, or not at all."""

Team = Literal["place", "fallback", "none"]
"""Which staff group: the place's own, the fallback team, or none configured."""

_EVERY_PLACE = 10_000
"""A query limit above the number of places: routing filters the ranking itself."""


@dataclass(frozen=True)
class Route:
    """Where a handoff goes."""

    place_id: str | None
    staff_chat_id: int | None
    place_source: PlaceSource
    team: Team

    @property
    def deliverable(self) -> bool:
        """True when a staff group will get the case."""
        return self.staff_chat_id is not None


def route(
    handoff: HandOff,
    *,
    variables: Mapping[str, str],
    language: str,
    directory: Directory,
    staff_groups: Sequence[StaffGroup],
    at: datetime,
) -> Route:
    """Choose the place and the staff group for a handoff.

    Args:
        handoff: The engine's request: the place the flow named (or None) and the topic.
        variables: The resident's session variables; ``quarter`` is used when set.
        language: The resident's language, to prefer staff who speak it.
        directory: The places.
        staff_groups: The configured staff groups (``telegram.staff_groups``).
        at: Now, timezone-aware, to prefer places that are open.

    Returns:
        The route; ``deliverable`` is False when no staff group fits.
    """
    source: PlaceSource = "none"
    place_id = handoff.place_id if handoff.place_id and directory.place(handoff.place_id) else None
    if place_id is not None:
        source = "given"
    else:
        staffed = {p for group in staff_groups for p in group.places}
        quarter = variables.get("quarter") or None
        if handoff.topic:
            place_id = _best(
                directory, staffed, at=at, language=language, quarter=quarter, topic=handoff.topic
            )
            source = "topic"
        if place_id is None and quarter is not None:
            place_id = _best(
                directory, staffed, at=at, language=language, quarter=quarter, topic=None
            )
            source = "quarter"
        if place_id is None:
            source = "none"
    group = staff_group_for(place_id, staff_groups)
    team: Team = "none"
    if group is not None:
        team = "place" if place_id is not None and place_id in group.places else "fallback"
    return Route(
        place_id=place_id,
        staff_chat_id=group.chat_id if group else None,
        place_source=source,
        team=team,
    )


def staff_group_for(place_id: str | None, staff_groups: Sequence[StaffGroup]) -> StaffGroup | None:
    """The staff group for a place: the first listing it, else the fallback team, else None.

    Args:
        place_id: The place, or None when no place was found.
        staff_groups: The configured staff groups.

    Returns:
        The group, or None when neither a group for the place nor a fallback is configured.
    """
    if place_id is not None:
        for group in staff_groups:
            if place_id in group.places:
                return group
    return next((group for group in staff_groups if group.fallback), None)


def _best(
    directory: Directory,
    staffed: set[str],
    *,
    at: datetime,
    language: str,
    quarter: str | None,
    topic: str | None,
) -> str | None:
    if not staffed:
        return None
    query = PlaceQuery(at=at, language=language, topic=topic, quarter=quarter, limit=_EVERY_PLACE)
    return next((m.place.id for m in directory.find(query) if m.place.id in staffed), None)
