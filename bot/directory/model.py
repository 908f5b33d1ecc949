"""The shape of places and quarters files, as frozen pydantic models.

Staff notations (times, weekdays, dates, codes) are parsed here, in the models' field types,
so that a wrong value is reported with its own issue code and a hint showing the fix. Checks
that need more than one record (unknown quarter, duplicate ids) live in :mod:`checks`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from functools import cached_property
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.core.ports import GeoPoint
from bot.directory.codes import (
    AUDIENCES,
    COUNTRY_NOT_LANGUAGE,
    KINDS,
    LANGUAGES,
    OFFER_KINDS,
    TOPICS,
    WEEKDAYS,
)
from bot.directory.geo import HAMELN_CENTRE, HAMELN_RADIUS_M, distance_m, in_hameln
from bot.directory.timeparse import (
    EventTime,
    NotationError,
    TimeRange,
    parse_as_of,
    parse_date,
    parse_days,
    parse_event_time,
    parse_time_range,
)
from bot.source.issues import did_you_mean
from bot.source.schema import NullAllowed

T = TypeVar("T")


def coded_error(code: str, message: str, hint: str = "") -> PydanticCustomError:
    """Build a validation error that the loader reports under its own issue code.

    Args:
        code: The stable issue code, e.g. ``"P101"``.
        message: What is wrong.
        hint: How to fix it.

    Returns:
        The error to raise from a validator.
    """
    return PydanticCustomError(code, "{message}", {"message": message, "hint": hint})


def _notation(parse: Callable[[Any], T]) -> Callable[[Any], T]:
    def validate(value: Any) -> T:
        try:
            return parse(value)
        except NotationError as exc:
            raise coded_error(exc.code, exc.message, exc.hint) from None

    return validate


def _vocabulary(code: str, what: str, allowed: Collection[str]) -> Callable[[str], str]:
    def validate(value: str) -> str:
        if value not in allowed:
            hint = did_you_mean(value.casefold(), allowed) or (
                f"known {what}s: {', '.join(sorted(allowed))}" if len(allowed) < 30 else ""
            )
            raise coded_error(code, f"unknown {what} {value!r}", hint)
        return value

    return validate


def _none_as_empty(value: Any) -> Any:
    # An empty "hours:" in YAML is null; staff mean "none known", not an error.
    return () if value is None else value


def _number_as_text(value: Any) -> Any:
    # PLZ and similar are digits that YAML reads as numbers unless quoted.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# All used with fullmatch: "$" alone would let a trailing newline through.
_ID = re.compile(r"[a-z][a-z0-9_]{1,29}")
_PHONE = re.compile(r"\+[1-9]\d{0,2}(?: \d+)+(?:-\d+)?")
_SHORT_NUMBER = re.compile(r"\d{3}(?: ?\d{3})?")  # 110, 112, 116 016
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}")
_PLZ = re.compile(r"\d{5}")
_LOCAL_PHONE = re.compile(r"0(\d{2,5})\s*[/ ]\s*([\d -]+)")


def _check_language(value: str) -> str:
    if value in LANGUAGES:
        return value
    meant = COUNTRY_NOT_LANGUAGE.get(value.casefold())
    hint = (
        f"{value!r} is a country code; the language code is {meant!r}"
        if meant
        else did_you_mean(value.casefold(), LANGUAGES) or "use ISO 639-1 codes such as de, ar, uk"
    )
    raise coded_error("P106", f"unknown language code {value!r}", hint)


def _check_id(value: str) -> str:
    if not _ID.fullmatch(value):
        suggestion = re.sub(r"[^a-z0-9_]+", "_", value.casefold()).strip("_")[:30]
        raise coded_error(
            "P111",
            f"id {value!r} must be 2-30 characters a-z, 0-9 or _, starting with a letter",
            f"for example {suggestion!r}" if _ID.fullmatch(suggestion) else "",
        )
    return value


def _check_phone(value: str) -> str:
    if _PHONE.fullmatch(value) or _SHORT_NUMBER.fullmatch(value):
        return value
    local = _LOCAL_PHONE.fullmatch(value)
    hint = (
        f"write {f'+49 {local[1]} ' + local[2].replace(' ', '')!r}"
        if local
        else "write it with country code, e.g. '+49 5151 202-3444'"
    )
    raise coded_error("P110", f"phone number {value!r} is not written as +49 5151 …", hint)


def _check_email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise coded_error("P114", f"{value!r} is not an e-mail address")
    return value


def _check_website(value: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise coded_error(
            "P114", f"website {value!r} must start with https://", f"write {'https://' + value!r}"
        )
    return value


def _check_plz(value: str) -> str:
    if not _PLZ.fullmatch(value):
        raise coded_error("P114", f"postcode {value!r} must be five digits", "e.g. '31785'")
    return value


def _text(pattern: str, example: str) -> WithJsonSchema:
    """The editor schema of a notation: a string of this form (checked fully by the loader)."""
    return WithJsonSchema({"type": "string", "pattern": f"^{pattern}$", "examples": [example]})


def _one_of(words: Collection[str]) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": sorted(words)})


_DAY = "(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_DAYS = rf"\s*{_DAY}(?:\s*-\s*{_DAY})?\s*"
_HHMM = r"\d{2}:\d{2}"
_SPAN = rf"{_HHMM}\s*[-–]\s*{_HHMM}"

Items = Annotated[tuple[T, ...], BeforeValidator(_none_as_empty), NullAllowed()]
"""A list in the file that may also be left empty."""

Id = Annotated[str, AfterValidator(_check_id), _text(_ID.pattern, "kaisers")]
Topic = Annotated[str, AfterValidator(_vocabulary("P104", "topic", TOPICS)), _one_of(TOPICS)]
Audience = Annotated[
    str, AfterValidator(_vocabulary("P105", "audience", AUDIENCES)), _one_of(AUDIENCES)
]
Language = Annotated[str, AfterValidator(_check_language), _one_of(LANGUAGES)]
Kind = Annotated[str, AfterValidator(_vocabulary("P113", "kind", KINDS)), _one_of(KINDS)]
OfferKind = Annotated[
    str, AfterValidator(_vocabulary("P122", "offer kind", OFFER_KINDS)), _one_of(OFFER_KINDS)
]
Phone = Annotated[
    str,
    AfterValidator(_check_phone),
    _text(f"(?:{_PHONE.pattern}|{_SHORT_NUMBER.pattern})", "+49 5151 202-3444"),
]
Email = Annotated[str, AfterValidator(_check_email), _text(_EMAIL.pattern, "info@example.org")]
Website = Annotated[
    str, AfterValidator(_check_website), _text("https?://.+", "https://www.hameln.de")
]
Plz = Annotated[
    str,
    BeforeValidator(_number_as_text),
    AfterValidator(_check_plz),
    WithJsonSchema({"type": ["string", "integer"], "pattern": f"^{_PLZ.pattern}$"}),
]
Date = Annotated[
    dt.date, PlainValidator(_notation(parse_date)), _text(r"\d{4}-\d{2}-\d{2}", "2026-03-01")
]
Days = Annotated[
    tuple[int, ...],
    PlainValidator(_notation(parse_days)),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": f"^{_DAYS}(?:,{_DAYS})*$"},
                {"type": "array", "items": {"type": "string", "pattern": f"^{_DAYS}$"}},
            ],
            "examples": ["mon-fri", "tue, thu"],
        }
    ),
]
AsOf = Annotated[
    dt.date,
    PlainValidator(_notation(parse_as_of)),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "pattern": r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$",
            "examples": ["2022", "2022-03", "2022-03-21"],
        }
    ),
]
"""The date a source gives for a fact: a year, a month or a day (a year counts from 1 January)."""
Hours = Annotated[
    TimeRange, PlainValidator(_notation(parse_time_range)), _text(_SPAN, "09:00-17:00")
]
When = Annotated[
    EventTime,
    PlainValidator(_notation(parse_event_time)),
    # An unquoted 18:00 is a number to YAML 1.1 (base 60); the loader turns it back.
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "pattern": rf"^{_HHMM}(?:\s*[-–]\s*{_HHMM})?$",
            "examples": ["18:00", "10:00-11:30"],
        }
    ),
]
Confidence = Literal["confirmed", "probable", "unconfirmed"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class Location(_Frozen):
    """A coordinate with where it came from; only ever filled from a real source."""

    lat: float
    lon: float
    source: str | None = None
    """Where the coordinate comes from, e.g. "OpenStreetMap, Adresse anzeigen (2026-03-01)"."""
    confidence: Confidence | None = None
    estimated: bool = False
    """True for a guessed point (a quarter's middle): used for ranking, never for a distance."""

    @model_validator(mode="after")
    def _inside_hameln(self) -> Location:
        if in_hameln(self.point):
            return self
        km = distance_m(self.point, HAMELN_CENTRE) / 1000
        swapped = in_hameln(GeoPoint(self.lon, self.lat))
        raise coded_error(
            "P109",
            f"coordinates {self.lat}, {self.lon} are {km:.0f} km from Hameln "
            f"(more than {HAMELN_RADIUS_M / 1000:.0f} km)",
            "lat and lon look swapped" if swapped else "Hameln is near lat 52.10, lon 9.37",
        )

    @property
    def point(self) -> GeoPoint:
        """The coordinate as the engine's value type."""
        return GeoPoint(self.lat, self.lon)


class FactSource(_Frozen):
    """A fact that is older or less sure than the rest of its place, with its own source."""

    as_of: AsOf | None = None
    confidence: Confidence | None = None
    source: str | None = None


class PlaceFacts(_Frozen):
    """Per-fact exceptions to a place's ``as_of`` and ``confidence``."""

    address: FactSource | None = None
    phone: FactSource | None = None
    email: FactSource | None = None
    website: FactSource | None = None
    hours: FactSource | None = None
    languages: FactSource | None = None
    interpreters: FactSource | None = None


class Provenance(_Frozen):
    """Where a record's facts come from, how old and sure they are, and when a person last
    checked them with the place."""

    sources: Items[str] = ()
    confidence: Confidence
    as_of: AsOf | None = None
    """The date of the sources (a year is enough): cards say "Stand JAHR" for old facts."""
    last_verified: Date | None = None
    facts: PlaceFacts = PlaceFacts()
    notes: str | None = None


class Address(_Frozen):
    """A postal address; ``confidential`` hides it from residents (women's shelter)."""

    street: str | None = None
    plz: Plz | None = None
    city: str = "Hameln"
    confidential: bool = False


class Contact(_Frozen):
    """How to reach a place; role addresses only, never a person's own e-mail."""

    phone: Phone | None = None
    email: Email | None = None
    website: Website | None = None


class Slot(_Frozen):
    """A weekly opening slot, optionally only for one audience."""

    days: Days
    time: Hours
    audience: Audience | None = None
    note: str | None = None


class Closure(_Frozen):
    """Days on which a place is closed, from ``from`` to ``to`` inclusive."""

    start: Date = Field(alias="from")
    end: Date | None = Field(default=None, alias="to")
    reason: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Closure:
        if self.end is not None and self.end < self.start:
            raise coded_error(
                "P108",
                f"closure ends ({self.end}) before it starts ({self.start})",
                "swap 'from' and 'to'",
            )
        return self

    @property
    def last_day(self) -> dt.date:
        """The last closed day (the first one when ``to`` is empty)."""
        return self.end or self.start


class OfferSlot(_Frozen):
    """When an offer takes place: weekly on ``days``, or on the ``nth`` weekday of the month
    (-1 = the last); ``every_week: false`` when the source leaves the rhythm open."""

    days: Days
    time: When | None = None
    nth: int | None = Field(default=None, ge=-1, le=5)
    every_week: bool = True
    note: str | None = None

    @model_validator(mode="after")
    def _one_rhythm(self) -> OfferSlot:
        if self.nth == 0:
            raise coded_error("P120", "nth: 0 is not a week of the month", "use 1-5, -1 = last")
        if self.nth is not None and len(self.days) != 1:
            raise coded_error(
                "P120", "nth needs exactly one day", "e.g. 'days: wed' with 'nth: 1'"
            )
        if self.nth is not None and not self.every_week:
            raise coded_error(
                "P120",
                "nth and every_week: false contradict each other",
                "nth: 2 means the 2nd weekday of each month; leave out one of them",
            )
        return self


class Offer(_Frozen):
    """Something a place offers at its own times: a consultation hour, a course, a café, a
    phone line, a meeting. Its languages are claimed for this offer only, never for the place.
    """

    name: str
    kind: OfferKind
    times: Items[OfferSlot] = ()
    phone: Phone | None = None
    languages: Items[Language] = ()
    """Languages the people running the offer speak."""
    interpreting: Items[Language] = ()
    """Languages a language mediator (Sprachmittler:in) helps with during the offer."""
    topics: Items[Topic] = ()
    audience: Items[Audience] = ()
    source: str
    """Where the offer's facts come from, e.g. "hameln-data.md:94 (hameln.de/…/integration)"."""
    as_of: AsOf
    confidence: Confidence
    last_verified: Date | None = None
    note: str | None = None


class Place(_Frozen):
    """A Stadtteiltreff, counselling service, authority, helpline or other place."""

    id: Id
    name: str
    kind: Kind
    carrier: str | None = None
    quarter: str | None = None
    address: Address | None = None
    location: Location | None = None
    contact: Contact | None = None
    always_open: bool = False
    open_on_holidays: bool = False
    hours: Items[Slot] = ()
    closures: Items[Closure] = ()
    offers: Items[Offer] = ()
    languages: Items[Language] = ()
    interpreters: bool = False
    topics: Items[Topic] = ()
    audience: Items[Audience] = ()
    accessibility: str | None = None
    description: str | None = None
    provenance: Provenance

    @property
    def phone(self) -> str | None:
        """The phone number, if any."""
        return self.contact.phone if self.contact else None

    @cached_property
    def all_topics(self) -> tuple[str, ...]:
        """The place's topics and its offers' topics, without repeats (worked out once: every
        referral asks every place)."""
        return tuple(dict.fromkeys((*self.topics, *(t for o in self.offers for t in o.topics))))

    @cached_property
    def all_audiences(self) -> tuple[str, ...]:
        """The place's audiences and its offers' audiences, without repeats."""
        offered = (a for o in self.offers for a in o.audience)
        return tuple(dict.fromkeys((*self.audience, *offered)))


class Names(_Frozen):
    """Street or area names of a quarter, grouped by how sure the assignment is."""

    confirmed: Items[str] = ()
    probable: Items[str] = ()
    unconfirmed: Items[str] = ()

    def items(self) -> list[tuple[str, Confidence]]:
        """Return every name with its confidence mark."""
        groups: tuple[tuple[Confidence, tuple[str, ...]], ...] = (
            ("confirmed", self.confirmed),
            ("probable", self.probable),
            ("unconfirmed", self.unconfirmed),
        )
        return [(name, mark) for mark, names in groups for name in names]


class Quarter(_Frozen):
    """A quarter of Hameln; ``programme`` marks the four "Hameln kann's" quarters."""

    id: Id
    name: str
    programme: bool = False
    part_of: str | None = None
    plz: Items[Plz] = ()
    centroid: Location | None = None
    streets: Names = Names()
    areas: Names = Names()
    description: str | None = None
    provenance: Provenance


class PlacesFile(_Frozen):
    """A file in ``places/``: quarters, places or both.

    The loader checks each entry on its own (one broken place hides nothing about the
    others); this model names the file's top-level keys for it and for the editor schema.
    """

    quarters: Items[Quarter] = ()
    places: Items[Place] = ()
