"""The loaded directory: the :class:`~bot.core.ports.Directory` the engine asks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.core.ports import (
    GeoPoint,
    OpeningStatus,
    PlaceInfo,
    PlaceMatch,
    PlaceQuery,
    QuarterInfo,
    StreetMatch,
)
from bot.directory.codes import TOPICS
from bot.directory.hours import opening_status
from bot.directory.model import Place, Quarter
from bot.directory.referral import rank
from bot.directory.streets import StreetIndex, nearest_quarter


class PlaceDirectory:
    """Places and quarters held in memory; every method is a pure lookup.

    Build it with :func:`bot.directory.load_directory`, which checks the files first.
    """

    def __init__(self, quarters: Sequence[Quarter], places: Sequence[Place]) -> None:
        """Index checked quarters and places.

        Args:
            quarters: The quarters, in the order residents should see them.
            places: The places; ids must be unique.
        """
        self._quarters = {q.id: q for q in quarters}
        self._places = {p.id: p for p in sorted(places, key=lambda p: p.id)}
        self._infos = {p.id: _info(p) for p in self._places.values()}
        self._centroids = {q.id: q.centroid.point for q in quarters if q.centroid is not None}
        self._streets = StreetIndex(quarters)

    # -- the Directory protocol -------------------------------------------------------------

    def find(self, query: PlaceQuery) -> list[PlaceMatch]:
        """Rank places for the query; best first, at most ``query.limit``.

        Args:
            query: The resident's need, language, quarter or location, and the moment.

        Returns:
            The matches with the reasons each was chosen.
        """
        home = query.quarter
        if home is None and query.location is not None:
            home = self.quarter_at(query.location)
        return rank(
            query,
            places=list(self._places.values()),
            infos=self._infos,
            centroids=self._centroids,
            resident_quarter=home,
            status_for=lambda place, q: opening_status(place, q.at, q.audience),
        )

    def place(self, place_id: str) -> PlaceInfo | None:
        """Return the place card for an id, or None."""
        return self._infos.get(place_id)

    def status(self, place_id: str, at: dt.datetime, audience: str | None = None) -> OpeningStatus:
        """Return whether a place is open at ``at`` and when that changes.

        Args:
            place_id: The place.
            at: A timezone-aware moment.
            audience: Also count the slots reserved for this audience.

        Returns:
            The status; ``known`` is False for an unknown id or a place without hours.
        """
        place = self._places.get(place_id)
        return opening_status(place, at, audience) if place else OpeningStatus(known=False)

    def quarters(self) -> list[QuarterInfo]:
        """Return the quarters residents can choose from, in file order."""
        return [QuarterInfo(q.id, q.name) for q in self._quarters.values()]

    def quarter_at(self, point: GeoPoint) -> str | None:
        """Return the quarter nearest to a shared location, or None outside Hameln."""
        return nearest_quarter(point, self._quarters.values())

    def match_street(self, text: str) -> StreetMatch | None:
        """Match a typed street name (typos, missing umlauts) to its quarter, or None."""
        return self._streets.match(text)

    # -- for flow validation and place cards ------------------------------------------------

    @property
    def topics(self) -> tuple[str, ...]:
        """The topics at least one place serves, in the order of :func:`known_topics`."""
        served = {t for p in self._places.values() for t in p.topics}
        return tuple(t for t in TOPICS if t in served)

    @property
    def place_ids(self) -> tuple[str, ...]:
        """Every place id, sorted."""
        return tuple(self._places)

    @property
    def quarter_ids(self) -> tuple[str, ...]:
        """Every quarter id, in file order."""
        return tuple(self._quarters)

    def places_for_topic(self, topic: str) -> tuple[PlaceInfo, ...]:
        """Return the place cards of every place serving a topic, sorted by id.

        Args:
            topic: A topic id from :func:`known_topics`.

        Returns:
            The places, without ranking (use :meth:`find` to rank).
        """
        return tuple(self._infos[p.id] for p in self._places.values() if topic in p.topics)

    def record(self, place_id: str) -> Place | None:
        """Return the full record of a place (hours, events, provenance), or None."""
        return self._places.get(place_id)

    def quarter(self, quarter_id: str) -> Quarter | None:
        """Return the full record of a quarter, or None."""
        return self._quarters.get(quarter_id)


def _info(place: Place) -> PlaceInfo:
    contact = place.contact
    return PlaceInfo(
        id=place.id,
        name=place.name,
        quarter=place.quarter,
        address=_address(place),
        phone=contact.phone if contact else None,
        email=contact.email if contact else None,
        website=contact.website if contact else None,
        location=_location(place),
        languages=place.languages,
        interpreters=place.interpreters,
        topics=place.topics,
        accessibility=place.accessibility,
        verified=place.provenance.last_verified is not None,
    )


def _location(place: Place) -> GeoPoint | None:
    # The loader rejects coordinates of confidential places; this is the second lock.
    confidential = place.address is not None and place.address.confidential
    return place.location.point if place.location and not confidential else None


def _address(place: Place) -> str | None:
    """The address as one line, or None when unknown or confidential."""
    address = place.address
    if address is None or address.confidential or not address.street:
        return None
    town = f"{address.plz} {address.city}" if address.plz else address.city
    return f"{address.street}, {town}"
