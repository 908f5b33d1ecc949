"""Distances on the earth's surface, and what counts as "in Hameln"."""

from __future__ import annotations

import math

from bot.core.ports import GeoPoint, Reason

HAMELN_CENTRE = GeoPoint(52.1030, 9.3668)
"""The city centre as given by Wikipedia (±0.01°); see hameln-data.md §4."""

HAMELN_RADIUS_M = 8_000.0
"""Points farther than this from the centre are not in Hameln (the Ortsteile lie within ~7 km)."""

WALKING_SPEED_KMH = 4.5
"""An unhurried pace, so that walking times are not promised too short."""

WALKING_FACTOR = 1.3
"""Streets are longer than the straight line: the walking distance is estimated as the
straight-line (great-circle) distance times this detour factor, a usual value for towns."""

WALK_LIMIT_M = 4_500.0
"""Beyond this estimated walk (an hour at :data:`WALKING_SPEED_KMH`) a card says no distance."""

WALK_IN_METRES_BELOW = 1_000.0
"""Shorter walks are told in metres (rounded up to 50 m), longer ones in minutes."""

_EARTH_RADIUS_M = 6_371_000.0


def distance_m(a: GeoPoint, b: GeoPoint) -> float:
    """Return the great-circle distance between two points (haversine formula).

    Args:
        a: One point.
        b: The other point.

    Returns:
        The distance in metres.
    """
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def walking_m(a: GeoPoint, b: GeoPoint) -> float:
    """Return the estimated walking distance: straight line times :data:`WALKING_FACTOR`.

    Args:
        a: One point.
        b: The other point.

    Returns:
        The distance in metres.
    """
    return distance_m(a, b) * WALKING_FACTOR


def walking_minutes(metres: float) -> int:
    """Return the walking time for a walking distance, rounded up to whole minutes (at least 1).

    Args:
        metres: The walking distance (see :func:`walking_m`).

    Returns:
        Minutes at :data:`WALKING_SPEED_KMH`.
    """
    return max(1, math.ceil(metres / (WALKING_SPEED_KMH * 1000 / 60)))


def walk_reason(metres: float) -> Reason | None:
    """Word an estimated walk as a reason: metres when short, minutes up to an hour, else none.

    Args:
        metres: The walking distance (see :func:`walking_m`).

    Returns:
        ``Reason("walk_m", "450")``, ``Reason("walk_minutes", "20")`` or None.
    """
    if metres > WALK_LIMIT_M:
        return None
    if metres < WALK_IN_METRES_BELOW:
        return Reason("walk_m", str(max(50, math.ceil(metres / 50) * 50)))
    return Reason("walk_minutes", str(walking_minutes(metres)))


def in_hameln(point: GeoPoint) -> bool:
    """Return whether a point lies within :data:`HAMELN_RADIUS_M` of the city centre.

    Args:
        point: The point to test.

    Returns:
        True when the point is in or near the city of Hameln.
    """
    return distance_m(point, HAMELN_CENTRE) <= HAMELN_RADIUS_M
