"""What the engine answers, as channel-neutral values.

Texts are already rendered in the resident's language; each channel decides the look
(inline keyboard, numbered lines, HTML). ``key`` keeps the catalogue key for tests and logs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.core.ports import GeoPoint, OpeningStatus


@dataclass(frozen=True)
class Say:
    """A plain message."""

    text: str
    key: str = ""


@dataclass(frozen=True)
class Option:
    """One button of a question."""

    id: str
    label: str


@dataclass(frozen=True)
class Ask:
    """A question with options; ``step`` identifies it so stale presses can be told apart."""

    text: str
    step: str
    options: tuple[Option, ...]
    key: str = ""


@dataclass(frozen=True)
class AskLocation:
    """Ask the resident to share a location (or type a street)."""

    text: str
    button: str
    key: str = ""


@dataclass(frozen=True)
class PlaceCard:
    """A place to go to, with everything already worded in the resident's language."""

    place_id: str
    name: str
    address: str | None
    phone: str | None
    website: str | None
    location: GeoPoint | None
    status: OpeningStatus
    lines: tuple[str, ...] = ()
    """Localised lines: opening status, offers, languages spoken, reasons, age, caution."""
    map_url: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class HandOff:
    """The resident wants a person; the handoff service opens or reuses a case."""

    place_id: str | None
    topic: str | None
    answers: tuple[tuple[str, str], ...] = ()
    text: str = ""


@dataclass(frozen=True)
class EraseData:
    """The resident confirmed that all their data shall be deleted."""


@dataclass(frozen=True)
class End:
    """The conversation reached an end; ``text`` is the goodbye."""

    text: str = ""
    key: str = ""


@dataclass(frozen=True)
class LeaveHandOff:
    """The resident leaves the conversation with a person and returns to the flows."""


Reply = Say | Ask | AskLocation | PlaceCard | HandOff | EraseData | End | LeaveHandOff


def reply_texts(reply: Reply) -> Iterator[str]:
    """Every text of a reply a resident can read, in order: buttons and place cards included,
    nothing for replies without text."""
    if isinstance(reply, Say | End | HandOff):
        yield reply.text
    elif isinstance(reply, Ask):
        yield reply.text
        yield from (option.label for option in reply.options)
    elif isinstance(reply, AskLocation):
        yield from (reply.text, reply.button)
    elif isinstance(reply, PlaceCard):
        fields = (reply.name, reply.address, reply.phone, reply.email, *reply.lines)
        yield from (t for t in fields if t)


@dataclass(frozen=True)
class Analytics:
    """One anonymous statistics record: never free text, never an identity."""

    kind: str
    flow: str | None = None
    step: str | None = None
    topic: str | None = None
    quarter: str | None = None
    language: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
