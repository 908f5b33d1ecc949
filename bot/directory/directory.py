"""The loaded directory: the :class:`~bot.core.ports.Directory` the engine asks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

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
from bot.directory.facts import address_line, card_facts, offer_info
from bot.directory.hours import opening_status
from bot.directory.model import Place, Quarter
from bot.directory.referral import rank
from bot.directory.streets import StreetIndex, nearest_quarter


class PlaceDirectory:
    """Places and quarters held in memory; every method is a pure lookup.

    Build it with :func:`bot.directory.load_directory`, which checks the files first.
    """

    def __init__(
        self,
        quarters: Sequence[Quarter],
        places: Sequence[Place],
        origins: Mapping[str, str] | None = None,
    ) -> None:
        """Index checked quarters and places.

        Args:
            quarters: The quarters, in the order residents should see them.
            places: The places; ids must be unique.
            origins: Where each place is written ("file:line:col"), by place id.
        """
        self._origins = dict(origins or {})
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
        served = {t for p in self._places.values() for t in p.all_topics}
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
        return tuple(self._infos[p.id] for p in self._places.values() if topic in p.all_topics)

    def record(self, place_id: str) -> Place | None:
        """Return the full record of a place (hours, events, provenance), or None."""
        return self._places.get(place_id)

    def quarter(self, quarter_id: str) -> Quarter | None:
        """Return the full record of a quarter, or None."""
        return self._quarters.get(quarter_id)

    def origin(self, place_id: str) -> str | None:
        """Return where a place is written, as "file:line:col", when known."""
        return self._origins.get(place_id)


def _info(place: Place) -> PlaceInfo:
    contact = place.contact
    return PlaceInfo(
        id=place.id,
        name=place.name,
        quarter=place.quarter,
        address=address_line(place),
        phone=contact.phone if contact else None,
        email=contact.email if contact else None,
        website=contact.website if contact else None,
        location=_location(place),
        languages=place.languages,
        interpreters=place.interpreters,
        topics=place.all_topics,
        accessibility=place.accessibility,
        verified=place.provenance.last_verified is not None,
        facts=card_facts(place),
        offers=tuple(offer_info(offer) for offer in place.offers),
    )


def _location(place: Place) -> GeoPoint | None:
    """The coordinate a card may show: real (not estimated) and not confidential."""
    # The loader rejects coordinates of confidential places; this is the second lock.
    confidential = place.address is not None and place.address.confidential
    location = place.location
    return location.point if location and not location.estimated and not confidential else None
