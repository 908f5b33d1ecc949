"""Checks across records and files, one small function per rule, each yielding issues.

The models check one value at a time; these check what needs the whole directory: ids used
twice, quarters that do not exist, streets in two quarters, and gaps staff should fill.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.directory.model import Place, Quarter
from bot.directory.streets import StreetIndex, street_key
from bot.source import Document, Issue, Path
from bot.source.issues import did_you_mean

RecordT = TypeVar("RecordT", Place, Quarter)


@dataclass(frozen=True)
class Located(Generic[RecordT]):
    """A validated record and where it is written."""

    record: RecordT
    doc: Document
    path: Path

    def issue(
        self,
        key: str | tuple[str | int, ...],
        code: str,
        message: str,
        hint: str = "",
        *,
        warning: bool = False,
    ) -> Issue:
        """Build an issue at a key of this record (``"id"`` or a path such as ``("address",)``)."""
        keys: Path = (key,) if isinstance(key, str) else key
        return self.doc.issue((*self.path, *keys), code, message, hint, warning=warning)

    @property
    def where(self) -> str:
        """Where the record's id is, as "file:line:col", for messages naming the record."""
        line, col = self.doc.where((*self.path, "id"))
        return f"{self.doc.file}:{line}:{col}"


def duplicate_ids(records: Sequence[Located[RecordT]], what: str) -> Iterator[Issue]:
    """P107: an id used by two records, in one file or across files."""
    first: dict[str, Located[RecordT]] = {}
    for item in records:
        earlier = first.setdefault(item.record.id, item)
        if earlier is not item:
            yield item.issue(
                "id",
                "P107",
                f"{what} id {item.record.id!r} is used twice (first in {earlier.where})",
                "rename one of them; ids must be unique across all places files",
            )


def unknown_quarters(
    places: Sequence[Located[Place]], quarter_ids: Sequence[str]
) -> Iterator[Issue]:
    """P103: a place in a quarter that quarters.yaml does not define."""
    for item in places:
        quarter = item.record.quarter
        if quarter is not None and quarter not in quarter_ids:
            hint = did_you_mean(quarter, quarter_ids) or (
                f"known quarters: {', '.join(quarter_ids)}"
                if quarter_ids
                else "no quarters are defined: add places/quarters.yaml"
            )
            yield item.issue(
                "quarter", "P103", f"place {item.record.id!r}: unknown quarter {quarter!r}", hint
            )


def streets_in_two_quarters(quarters: Sequence[Located[Quarter]]) -> Iterator[Issue]:
    """P115: a street or area name assigned to two quarters (matching needs one answer)."""
    seen: dict[str, tuple[str, Located[Quarter]]] = {}
    for item in quarters:
        for field in ("streets", "areas"):
            names = getattr(item.record, field)
            for mark in ("confirmed", "probable", "unconfirmed"):
                for index, name in enumerate(getattr(names, mark)):
                    earlier = seen.setdefault(street_key(name), (name, item))
                    if earlier[1] is not item:
                        yield item.issue(
                            (field, mark, index),
                            "P115",
                            f"quarter {item.record.id!r}: {name!r} is already listed under "
                            f"quarter {earlier[1].record.id!r} as {earlier[0]!r}",
                            "list each street only in the quarter most of it lies in",
                        )


def confidential_addresses(places: Sequence[Located[Place]]) -> Iterator[Issue]:
    """P118: a confidential place (women's shelter) with a street or coordinates."""
    for item in places:
        place = item.record
        if place.address is None or not place.address.confidential:
            continue
        if place.address.street or place.location:
            yield item.issue(
                "address",
                "P118",
                f"place {place.id!r} is confidential but has a street or coordinates",
                "remove street and location: this file is public",
            )


def gaps(places: Sequence[Located[Place]]) -> Iterator[Issue]:
    """P201-P203, P205: facts missing from a place, as warnings staff can work through."""
    for item in places:
        place = item.record
        if not place.hours and not place.always_open:
            yield item.issue(
                "id",
                "P201",
                f"place {place.id!r} has no opening hours",
                "the card says the hours are unknown; offers have their own times",
                warning=True,
            )
        if place.phone is None:
            yield item.issue(
                "contact", "P202", f"place {place.id!r} has no phone number", warning=True
            )
        if place.provenance.last_verified is None:
            yield item.issue(
                ("provenance", "last_verified"),
                "P203",
                f"place {place.id!r} has never been verified",
                "check the facts with the place, then enter provenance.last_verified",
                warning=True,
            )
        confidential = place.address is not None and place.address.confidential
        if (
            place.quarter is None
            and place.location is None
            and place.kind != "helpline"
            and not confidential
        ):
            yield item.issue(
                "id",
                "P205",
                f"place {place.id!r} has neither quarter nor location",
                "it can never be suggested as nearby",
                warning=True,
            )


def undated(places: Sequence[Located[Place]]) -> Iterator[Issue]:
    """P207: a place without ``as_of``: its card cannot say how old its facts are."""
    for item in places:
        provenance = item.record.provenance
        if provenance.as_of is None and provenance.last_verified is None:
            yield item.issue(
                ("provenance", "confidence"),
                "P207",
                f"place {item.record.id!r} has no provenance.as_of",
                "enter the year of the sources, e.g. 'as_of: 2022'; "
                "until then the card says 'Stand unbekannt'",
                warning=True,
            )


def without_coordinates(places: Sequence[Located[Place]]) -> Iterator[Issue]:
    """P206 (``validate --strict``): a place without real coordinates gets no distance."""
    for item in places:
        place = item.record
        confidential = place.address is not None and place.address.confidential
        if confidential or place.kind == "helpline":
            continue
        if place.location is None or place.location.estimated:
            yield item.issue(
                "id",
                "P206",
                f"place {place.id!r} has no coordinates",
                "read lat/lon off a map and add 'location: {lat: …, lon: …, source: …}' "
                "(docs/handbuch/orte.md)",
                warning=True,
            )


def centroids_estimated(quarters: Sequence[Located[Quarter]]) -> Iterator[Issue]:
    """P119: a quarter's middle stands for a whole area, so it must say it is an estimate."""
    for item in quarters:
        centroid = item.record.centroid
        if centroid is not None and not centroid.estimated:
            yield item.issue(
                ("centroid",),
                "P119",
                f"quarter {item.record.id!r}: the centroid is not marked as an estimate",
                "add 'estimated: true': a quarter's middle is never where a resident is",
            )


def address_quarters(places: Sequence[Located[Place]], streets: StreetIndex) -> Iterator[Issue]:
    """P204: a place whose street is listed under another quarter than the place's own."""
    for item in places:
        place = item.record
        if place.address is None or not place.address.street or place.quarter is None:
            continue
        known = streets.lookup(place.address.street)
        if known is not None and known.quarter != place.quarter:
            yield item.issue(
                "quarter",
                "P204",
                f"place {place.id!r} is in quarter {place.quarter!r}, but its street "
                f"{known.name!r} is listed under {known.quarter!r}",
                "correct the place's quarter or the street list",
                warning=True,
            )
