"""The facts a place card shows, each with how old and how sure it is.

A place's facts share its ``provenance`` (``as_of``, ``confidence``, ``last_verified``)
unless ``provenance.facts`` names an exception; each offer carries its own. The cards say
"Stand JAHR" from these datings, and ``python -m bot places-review`` lists them for staff.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.ports import Dating, Fact, OfferInfo, OfferTime
from bot.directory.codes import WEEKDAY_NAMES
from bot.directory.model import FactSource, Offer, OfferSlot, Place, Slot

FACT_LABELS: dict[str, str] = {
    "place": "Ort besteht",
    "address": "Adresse",
    "phone": "Telefon",
    "email": "E-Mail",
    "website": "Internetseite",
    "hours": "Öffnungszeiten",
    "languages": "Sprachen",
    "interpreters": "Dolmetscher",
    "offer": "Angebot",
}
"""German names of the facts, for staff (places-review)."""


@dataclass(frozen=True)
class ReviewFact:
    """A fact as staff check it: what it says, where it comes from, how old and sure it is."""

    name: str
    value: str
    dating: Dating
    source: str | None = None


def address_line(place: Place) -> str | None:
    """The address as one line, or None when unknown or confidential."""
    address = place.address
    if address is None or address.confidential or not address.street:
        return None
    town = f"{address.plz} {address.city}" if address.plz else address.city
    return f"{address.street}, {town}"


def card_facts(place: Place) -> tuple[Fact, ...]:
    """The place's own facts its card shows (offers carry their own dating)."""
    return tuple(Fact(fact.name, fact.dating) for fact in _own_facts(place))


def review_facts(place: Place) -> list[ReviewFact]:
    """Every fact of a place a resident may read, offers included, for staff to check."""
    offers = [
        ReviewFact("offer", _offer_summary(offer), offer_dating(offer), offer.source)
        for offer in place.offers
    ]
    return [*_own_facts(place), *offers]


def offer_info(offer: Offer) -> OfferInfo:
    """The card's view of an offer."""
    return OfferInfo(
        name=offer.name,
        kind=offer.kind,
        times=tuple(_offer_time(slot) for slot in offer.times),
        languages=offer.languages,
        interpreting=offer.interpreting,
        topics=offer.topics,
        audience=offer.audience,
        phone=offer.phone,
        dating=offer_dating(offer),
    )


def offer_dating(offer: Offer) -> Dating:
    """An offer's own dating."""
    return Dating(offer.as_of, offer.confidence, offer.last_verified)


def _own_facts(place: Place) -> list[ReviewFact]:
    contact = place.contact
    values = {
        "place": place.name,
        "address": address_line(place),
        "phone": contact.phone if contact else None,
        "email": contact.email if contact else None,
        "website": contact.website if contact else None,
        "hours": _hours_summary(place),
        "languages": ", ".join(place.languages) or None,
        "interpreters": "können organisiert werden" if place.interpreters else None,
    }
    facts = []
    for name, value in values.items():
        if value is None:
            continue
        provenance = place.provenance
        exception = getattr(provenance.facts, name, None) or FactSource()
        dating = Dating(
            as_of=exception.as_of or provenance.as_of,
            confidence=exception.confidence or provenance.confidence,
            verified=provenance.last_verified,
        )
        facts.append(ReviewFact(name, value, dating, exception.source))
    return facts


def _hours_summary(place: Place) -> str | None:
    if place.always_open:
        return "rund um die Uhr"
    return "; ".join(_slot_text(slot) for slot in place.hours) or None


def _slot_text(slot: Slot | OfferSlot) -> str:
    days = ", ".join(WEEKDAY_NAMES[day] for day in slot.days)
    when = f" {slot.time}" if slot.time is not None else ""
    nth = f" (nth {slot.nth})" if isinstance(slot, OfferSlot) and slot.nth else ""
    return f"{days}{when}{nth}"


def _offer_summary(offer: Offer) -> str:
    times = "; ".join(_slot_text(slot) for slot in offer.times) or "ohne Zeiten"
    languages = f"; {', '.join(offer.languages)}" if offer.languages else ""
    helped = f"; Sprachmittlung {', '.join(offer.interpreting)}" if offer.interpreting else ""
    return f"{offer.name} ({times}{languages}{helped})"


def _offer_time(slot: OfferSlot) -> OfferTime:
    time = slot.time
    return OfferTime(
        days=slot.days,
        start=time.start_minutes if time else None,
        end=time.end_minutes if time else None,
        nth=slot.nth,
        every_week=slot.every_week,
    )
