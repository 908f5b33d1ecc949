"""Rank places for a resident's need, and say why each was chosen.

A place must serve the asked topic; among those, points are given for the audience, being
near the resident, speaking the resident's language and being open now (or soon). The
weights below are the whole policy: changing one changes the order of suggestions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bot.core.ports import GeoPoint, OpeningStatus, PlaceInfo, PlaceMatch, PlaceQuery, Reason
from bot.directory.geo import distance_m, walking_minutes
from bot.directory.model import Place

AUDIENCE_MATCH = 2.0
"""The place names the resident's audience (e.g. ``ukrainians``)."""
AUDIENCE_OTHER = -3.0
"""The place is only for other audiences (e.g. women only, asked for young people)."""
SAME_QUARTER = 3.0
"""The place is in the resident's quarter."""
NEARBY = 2.0
"""At most this much for distance, falling to 0 at :data:`NEARBY_RANGE_M`."""
NEARBY_RANGE_M = 5_000.0
LANGUAGE = 2.0
"""Staff speak the resident's language."""
INTERPRETER = 1.0
"""An interpreter can be arranged: helps, but less than staff who speak the language."""
OPEN_NOW = 1.5
OPENS_SOON = 1.0
"""At most this much for opening later, falling to 0 for openings a week or more away."""
_WEEK_HOURS = 7 * 24.0

StatusFor = Callable[[Place, PlaceQuery], OpeningStatus]


@dataclass(frozen=True)
class _Candidate:
    place: Place
    score: float
    reasons: list[Reason]
    status: OpeningStatus
    distance_m: float | None
    proximity_m: float | None


def rank(
    query: PlaceQuery,
    *,
    places: Sequence[Place],
    infos: Mapping[str, PlaceInfo],
    centroids: Mapping[str, GeoPoint],
    resident_quarter: str | None,
    status_for: StatusFor,
) -> list[PlaceMatch]:
    """Rank places for a query, best first, ties broken by id.

    Args:
        query: What the resident needs.
        places: All places.
        infos: The place cards by id.
        centroids: Quarter centroids by quarter id (quarters without one are absent).
        resident_quarter: The resident's quarter: asked, or derived from the shared location.
        status_for: Computes a place's opening status for the query's moment and audience.

    Returns:
        At most ``query.limit`` matches; only ``query.place_id`` when that is set.
    """
    if query.place_id is not None:
        places = [p for p in places if p.id == query.place_id]
    elif query.topic is not None:
        places = [p for p in places if query.topic in p.topics]
    home = query.location or (centroids.get(resident_quarter) if resident_quarter else None)
    candidates = [
        _score(
            place,
            query,
            home=home,
            resident_quarter=resident_quarter,
            spot=place.location.point if place.location else centroids.get(place.quarter or ""),
            status=status_for(place, query),
        )
        for place in places
    ]
    _mark_nearest(candidates, resident_quarter)
    candidates.sort(key=lambda c: (-round(c.score, 6), c.place.id))
    return [
        PlaceMatch(
            place=infos[c.place.id],
            status=c.status,
            reasons=tuple(c.reasons),
            score=round(c.score, 3),
            distance_m=c.distance_m,
        )
        for c in candidates[: max(query.limit, 0)]
    ]


def _score(
    place: Place,
    query: PlaceQuery,
    *,
    home: GeoPoint | None,
    resident_quarter: str | None,
    spot: GeoPoint | None,
    status: OpeningStatus,
) -> _Candidate:
    """Score one place; ``home`` and ``spot`` are the best known points of resident and place."""
    score = 0.0
    reasons: list[Reason] = []
    if query.topic is not None and query.topic in place.topics:
        reasons.append(Reason("topic", query.topic))

    if query.audience is not None and query.audience in place.audience:
        score += AUDIENCE_MATCH
        reasons.append(Reason("audience", query.audience))
    elif query.audience is not None and place.audience and "everyone" not in place.audience:
        score += AUDIENCE_OTHER

    if resident_quarter is not None and place.quarter == resident_quarter:
        score += SAME_QUARTER
        reasons.append(Reason("quarter", resident_quarter))
    proximity = distance_m(home, spot) if home and spot else None
    if proximity is not None:
        score += NEARBY * max(0.0, 1 - proximity / NEARBY_RANGE_M)
    real = (
        distance_m(query.location, place.location.point)
        if query.location and place.location
        else None
    )
    if real is not None:
        reasons.append(Reason("walk_minutes", str(walking_minutes(real))))

    if query.language in place.languages:
        score += LANGUAGE
        reasons.append(Reason("language", query.language))
    elif place.interpreters:
        score += INTERPRETER
        reasons.append(Reason("interpreter", query.language))

    if status.open_now:
        score += OPEN_NOW
        closes = status.closes_at.strftime("%H:%M") if status.closes_at else ""
        reasons.append(Reason("open_now", closes))
    elif status.next_open is not None:
        hours = (status.next_open - query.at).total_seconds() / 3600
        score += OPENS_SOON * max(0.0, 1 - hours / _WEEK_HOURS)
        reasons.append(Reason("opens_next", status.next_open.isoformat()))
    return _Candidate(place, score, reasons, status, real, proximity)


def _mark_nearest(candidates: list[_Candidate], resident_quarter: str | None) -> None:
    """Add a ``nearest`` reason where it tells the resident something.

    With a shared location and places with coordinates, the closest place is "nearest".
    Otherwise places of the closest other quarter are "nearest", but only when no place is in
    the resident's own quarter.
    """
    measured = [(c.distance_m, c) for c in candidates if c.distance_m is not None]
    if not measured and resident_quarter is not None:
        if any(c.place.quarter == resident_quarter for c in candidates):
            return
        measured = [
            (c.proximity_m, c) for c in candidates if c.proximity_m is not None and c.place.quarter
        ]
    if not measured:
        return
    best = min(distance for distance, _ in measured)
    for distance, candidate in measured:
        if distance == best:
            candidate.reasons.append(Reason("nearest", candidate.place.quarter or ""))
