"""What the engine asks of the world, as Protocols the outer packages implement.

The engine stays pure: it calls these only for in-memory, deterministic answers (matching
places against a query, detecting a language). Nothing here may do I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, Protocol


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


@dataclass(frozen=True)
class OpeningStatus:
    """Whether a place is open at a moment, and when that changes.

    ``verified`` is False when the hours come from an unverified source: channels then say
    "please call before you go" instead of presenting the hours as certain.
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
    ``open_now``, ``opens_next``, ``walk_minutes``, ``audience``; ``value`` holds the detail
    (a language code, a quarter id, "16:00", "10").
    """

    kind: str
    value: str = ""


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
