"""Rank places for a resident's need, and say why each was chosen.

A place must serve the asked topic (itself or through an offer); among those, points are
given for the audience, being near the resident, speaking the resident's language (the place,
or one of its offers) and being open now (or soon). The weights below are the whole policy:
changing one changes the order of suggestions.

Nearness is ranked on estimates too (quarter middles), but a reason that a card words as
nearness ("In Ihrem Stadtteil", walking distance, "Ganz in Ihrer Nähe") needs facts: a
quarter the resident chose or typed, or real coordinates on both sides.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bot.core.ports import GeoPoint, OpeningStatus, PlaceInfo, PlaceMatch, PlaceQuery, Reason
from bot.directory.geo import distance_m, walk_reason, walking_m
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
OFFER_LANGUAGE = 1.0
"""One of the place's offers is held in the resident's language (only that offer, not all)."""
NEAR_M = 1_000.0
"""The closest place is "Ganz in Ihrer Nähe" only within this estimated walk."""
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
    walk_m: float | None


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
        places = [p for p in places if query.topic in p.all_topics]
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
    _mark_nearest(candidates)
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

    audiences = place.all_audiences
    if query.audience is not None and query.audience in audiences:
        score += AUDIENCE_MATCH
        reasons.append(Reason("audience", query.audience))
    elif query.audience is not None and audiences and "everyone" not in audiences:
        score += AUDIENCE_OTHER

    if resident_quarter is not None and place.quarter == resident_quarter:
        score += SAME_QUARTER
        # A quarter guessed from a shared location is no fact to tell the resident.
        guessed = query.quarter_estimated or query.quarter is None
        if not guessed:
            reasons.append(Reason("quarter", resident_quarter))
    proximity = distance_m(home, spot) if home and spot else None
    if proximity is not None:
        score += NEARBY * max(0.0, 1 - proximity / NEARBY_RANGE_M)
    measured = place.location is not None and not place.location.estimated
    straight = walk = None
    if query.location and place.location and measured:
        straight = distance_m(query.location, place.location.point)
        walk = walking_m(query.location, place.location.point)
        walking = walk_reason(walk)
        reasons.extend([walking] if walking else [])

    offered = {code for o in place.offers for code in (*o.languages, *o.interpreting)}
    if query.language in place.languages:
        score += LANGUAGE
        reasons.append(Reason("language", query.language))
    elif query.language in offered:
        score += OFFER_LANGUAGE
        reasons.append(Reason("offer_language", query.language))
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
    return _Candidate(place, score, reasons, status, straight, walk)


def _mark_nearest(candidates: list[_Candidate]) -> None:
    """Add a ``nearest`` reason to the closest place, when both sides have real coordinates
    and the walk is short (:data:`NEAR_M`); an estimate never makes a place "near"."""
    measured = [(c.walk_m, c) for c in candidates if c.walk_m is not None]
    if not measured:
        return
    best = min(distance for distance, _ in measured)
    if best > NEAR_M:
        return
    for distance, candidate in measured:
        if distance == best:
            candidate.reasons.append(Reason("nearest", candidate.place.quarter or ""))
