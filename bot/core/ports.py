"""What the engine asks of the world, as Protocols the outer packages implement.

The engine stays pure: it calls these only for in-memory, deterministic answers (matching
places against a query, detecting a language). Nothing here may do I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import NamedTuple, Protocol

FRESH_YEARS = 2
"""A fact older than this many years is shown with "Stand JAHR" until someone checks it."""


@dataclass(frozen=True)
class GeoPoint:
    """A WGS84 coordinate."""

    lat: float
    lon: float


@dataclass(frozen=True)
class PlaceQuery:
    """What a resident needs: the directory ranks places against it."""

    at: datetime
    language: str
    topic: str | None = None
    audience: str | None = None
    quarter: str | None = None
    location: GeoPoint | None = None
    place_id: str | None = None
    limit: int = 3
    quarter_estimated: bool = False
    """The quarter was guessed from a shared location: rank by it, but never claim it."""


@dataclass(frozen=True)
class OpeningStatus:
    """Whether a place is open at a moment, and when that changes.

    ``verified`` is False while nobody has checked the place (``last_verified`` empty); the
    cards take their cautions from the dating of each fact instead (:class:`Dating`).
    """

    known: bool
    open_now: bool = False
    closes_at: datetime | None = None
    next_open: datetime | None = None
    next_close: datetime | None = None
    verified: bool = False
    closed_reason: str | None = None


@dataclass(frozen=True)
class Reason:
    """Why a place was chosen, as data the engine turns into words.

    ``kind`` is one of: ``topic``, ``quarter``, ``nearest``, ``language``, ``interpreter``,
    ``offer_language``, ``open_now``, ``opens_next``, ``walk_m``, ``audience``; ``value``
    holds the detail (a language code, a quarter id, "16:00", or for ``walk_m`` the estimated
    walking distance in metres).
    """

    kind: str
    value: str = ""


@dataclass(frozen=True)
class Dating:
    """How old and how sure one fact is, and when a person last checked it with the place.

    ``as_of`` is the date the source gives (a year alone counts from 1 January, so that an
    age is never understated); ``verified`` is ``last_verified``.
    """

    as_of: date | None = None
    confidence: str = "unconfirmed"
    verified: date | None = None

    @cached_property
    def latest(self) -> date | None:
        """The most recent of ``as_of`` and ``verified``: how old the fact really is (worked
        out once: every card asks for each of its facts several times)."""
        known = [d for d in (self.as_of, self.verified) if d is not None]
        return max(known) if known else None

    def checked(self, today: date) -> bool:
        """Whether a person confirmed the fact within :data:`FRESH_YEARS`."""
        return self.verified is not None and not _older(self.verified, today)

    def stale(self, today: date) -> bool:
        """Whether the card must say "Stand JAHR": unchecked and older than
        :data:`FRESH_YEARS`, below ``confirmed``, or of unknown age."""
        if self.checked(today):
            return False
        latest = self.latest
        return latest is None or _older(latest, today) or self.confidence != "confirmed"


def _older(day: date, today: date) -> bool:
    year = today.year - FRESH_YEARS
    cutoff = today.replace(year=year, day=28) if (today.month, today.day) == (2, 29) else None
    return day < (cutoff or today.replace(year=year))


@dataclass(frozen=True)
class Fact:
    """One fact a place card shows (``name``: ``place``, ``address``, ``phone``, ``email``,
    ``website``, ``hours``, ``languages``, ``interpreters``), with its dating."""

    name: str
    dating: Dating


@dataclass(frozen=True)
class OfferTime:
    """When an offer takes place: on ``days`` (Monday = 0), from ``start`` to ``end``
    (minutes after midnight, either may be unknown), weekly, on the ``nth`` weekday of the
    month (-1 = last), or ``every_week=False`` when the source leaves the rhythm open."""

    days: tuple[int, ...]
    start: int | None = None
    end: int | None = None
    nth: int | None = None
    every_week: bool = True


@dataclass(frozen=True)
class OfferInfo:
    """An offer of a place (a consultation hour, a course, a café, a phone line …) with its
    own times, languages and dating; only offers claim their own languages."""

    name: str
    kind: str
    times: tuple[OfferTime, ...] = ()
    languages: tuple[str, ...] = ()
    interpreting: tuple[str, ...] = ()
    """Languages a language mediator helps with (not spoken by the staff themselves)."""
    topics: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    phone: str | None = None
    dating: Dating = Dating()


@dataclass(frozen=True)
class PlaceInfo:
    """The facts of a place that a resident sees on a place card."""

    id: str
    name: str
    quarter: str | None
    address: str | None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    location: GeoPoint | None = None
    languages: tuple[str, ...] = ()
    interpreters: bool = False
    topics: tuple[str, ...] = ()
    accessibility: str | None = None
    verified: bool = False
    facts: tuple[Fact, ...] = ()
    """The place's own facts shown on its card, each with its dating."""
    offers: tuple[OfferInfo, ...] = ()


@dataclass(frozen=True)
class PlaceMatch:
    """A ranked answer to a :class:`PlaceQuery`."""

    place: PlaceInfo
    status: OpeningStatus
    reasons: tuple[Reason, ...] = ()
    score: float = 0.0
    distance_m: float | None = None


@dataclass(frozen=True)
class QuarterInfo:
    """One of the city's quarters, for buttons and matching."""

    id: str
    name: str


@dataclass(frozen=True)
class StreetMatch:
    """A typed street name matched to a quarter."""

    street: str
    quarter: str
    score: float


class Directory(Protocol):
    """The directory of places: pure lookups over data loaded beforehand."""

    def find(self, query: PlaceQuery) -> Sequence[PlaceMatch]:
        """Rank places for the query; best first, at most ``query.limit``."""

    def place(self, place_id: str) -> PlaceInfo | None:
        """Return one place by id."""

    def status(self, place_id: str, at: datetime) -> OpeningStatus:
        """Return whether a place is open at ``at`` and when that changes."""

    def quarters(self) -> Sequence[QuarterInfo]:
        """Return the quarters residents can choose from."""

    def quarter_at(self, point: GeoPoint) -> str | None:
        """Return the quarter nearest to a shared location, or None when far outside."""

    def match_street(self, text: str) -> StreetMatch | None:
        """Match a typed street name (typos, missing umlauts) to its quarter."""

    @property
    def place_ids(self) -> Sequence[str]:
        """Every place id (for deep links, flow validation and /transfer)."""

    @property
    def topics(self) -> Sequence[str]:
        """The topics at least one place serves (for flow validation)."""


@dataclass(frozen=True)
class Detection:
    """A language guess: ``language`` is an offered language, or None.

    None has two meanings that ``unoffered`` tells apart: nothing could be said (emoji,
    digits, "ok"), or the text is written in a language Lotse does not offer (Tigrinya,
    Somali, Croatian...). For an unoffered detection ``confidence`` is the probability that
    the text is in none of the offered languages, and ``reliable`` says it is long and
    clear enough to tell the resident so; ``scores`` stays empty.
    """

    language: str | None
    confidence: float
    reliable: bool
    scores: dict[str, float] = field(default_factory=dict)
    unoffered: bool = False


class LanguageDetector(Protocol):
    """Detects the language of a resident's message among the offered languages, and tells
    clear text in a language Lotse does not offer apart from text that says nothing."""

    def detect(self, text: str, hint: str | None = None) -> Detection:
        """Guess the language of ``text``; ``hint`` is e.g. Telegram's language_code."""

    def written_in(self, text: str, language: str) -> bool:
        """A cheap sure sign that ``text`` is in ``language`` (False when unsure)."""


@dataclass(frozen=True)
class TopicRoute:
    """Where a recognised topic leads: into a flow (at a step), or to a person."""

    topic: str
    label: str = ""
    """Text key of the topic's button, for "which of these did you mean?"."""
    flow: str | None = None
    step: str | None = None
    handoff: bool = False


class TopicScore(NamedTuple):
    """A topic a message may be about, with the model's probability (0..1).

    A named tuple: every message ranks all topics, and tuples are made fastest."""

    topic: str
    probability: float


@dataclass(frozen=True)
class Reading:
    """What a typed message is about.

    ``alarm`` is "strong" when the message clearly describes danger (the emergency numbers
    come first and the flow of ``danger`` follows), "weak" when it might (one short line
    with the numbers, nothing else changes), or None.
    """

    danger: str | None = None
    """"violence" or "emergency" when ``alarm`` is set."""
    alarm: str | None = None
    topics: tuple[TopicScore, ...] = ()
    """Best first; empty when nothing was recognised."""


class Understanding(Protocol):
    """Reads typed messages: safety cues first, then the topic. Pure and in memory."""

    @property
    def routes(self) -> Mapping[str, TopicRoute]:
        """Every topic and where it leads."""

    def read(self, text: str) -> Reading:
        """Check ``text`` for danger and rank the topics it may be about."""
