"""Word a directory match as a place card in the resident's language.

A card never claims more than the data holds:

- "Jetzt geöffnet" comes only from a place's opening hours; offers (a consultation hour, a
  café, a phone line) are listed with their own times and languages.
- Nearness is said only from real coordinates on both sides, or from a quarter the resident
  chose or typed, never from a quarter guessed from a shared location.
- Facts older than :data:`~bot.core.ports.FRESH_YEARS` years, or not confirmed, say
  "Stand JAHR"; until a person has checked every fact, a caution says how to ask first,
  with what the card shows: a phone, else an e-mail, else the opening hours, else the
  website, else a person through /human.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from bot.core.offer_lines import as_of_text, offer_line
from bot.core.ports import Dating, PlaceInfo, PlaceMatch
from bot.core.replies import PlaceCard
from bot.i18n import Catalogs
from bot.i18n.catalog import language_name
from bot.i18n.format import format_day_time, format_time

MAX_OFFERS = 4
"""More offers than this are summed up in one line, so that a card stays short."""


def osm_url(lat: float, lon: float) -> str:
    """An OpenStreetMap link that opens a map with a marker on any phone."""
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=18/{lat:.5f}/{lon:.5f}"
    )


def place_card(
    match: PlaceMatch, texts: Catalogs, language: str, now: datetime, tz: tzinfo
) -> PlaceCard:
    """Build the card: hours, offers, languages, why this place fits, age, caution."""
    place, status = match.place, match.status
    today = now.astimezone(tz).date()
    hours = _hours(match, texts, language, now, tz)
    lines = [hours] if hours else []
    wanted = {r.value for r in match.reasons if r.kind == "offer_language"}
    offers = sorted(place.offers, key=lambda o: not wanted & {*o.languages, *o.interpreting})
    lines.extend(offer_line(offer, texts, language, today) for offer in offers[:MAX_OFFERS])
    if len(offers) > MAX_OFFERS:
        lines.append(texts.text(language, "place.more_offers", count=len(offers) - MAX_OFFERS))
    if place.languages:
        names = ", ".join(language_name(code, language) for code in place.languages)
        lines.append(texts.text(language, "place.languages", languages=names))
    if place.interpreters:
        lines.append(texts.text(language, "place.interpreter"))
    lines.extend(_reasons(match, texts, language))
    stale = [f.dating for f in place.facts if f.dating.stale(today)]
    if stale:
        lines.append(as_of_text(_oldest(stale), texts, language, "place.as_of"))
    shown = [f.dating for f in place.facts] + [o.dating for o in offers[:MAX_OFFERS]]
    caution = _caution(place, status.known, texts, language)
    if caution and not all(dating.checked(today) for dating in shown):
        lines.append(caution)
    location = place.location
    return PlaceCard(
        place_id=place.id,
        name=place.name,
        address=place.address,
        phone=place.phone,
        website=place.website,
        location=location,
        status=status,
        lines=tuple(lines),
        map_url=osm_url(location.lat, location.lon) if location else None,
        email=place.email,
    )


def _hours(match: PlaceMatch, texts: Catalogs, language: str, now: datetime, tz: tzinfo) -> str:
    status = match.status
    if not status.known:
        return texts.text(language, "place.hours_unknown")
    if status.open_now and status.closes_at:
        time = format_time(status.closes_at.astimezone(tz), language)
        return texts.text(language, "place.open_until", time=time)
    if status.open_now:
        return texts.text(language, "place.always_open")
    if status.next_open:
        when = format_day_time(status.next_open.astimezone(tz), now.astimezone(tz), language)
        return texts.text(language, "place.closed_opens", when=when)
    return ""


def _oldest(datings: list[Dating]) -> Dating:
    """The dating to name on the card: the oldest known date (unknown only if none is)."""
    known = [d for d in datings if d.latest is not None]
    return min(known, key=lambda d: d.latest or date.max) if known else datings[0]


def _caution(place: PlaceInfo, hours_known: bool, texts: Catalogs, language: str) -> str:
    """How to ask before going, with what this card shows; none when calling is all there is
    (a helpline: a phone and no address to go to)."""
    if place.phone:
        return texts.text(language, "place.ask_call") if place.address else ""
    if place.email:
        return texts.text(language, "place.ask_email")
    if hours_known:
        return texts.text(language, "place.ask_during_hours")
    if place.website:
        return texts.text(language, "place.ask_website")
    return texts.text(language, "place.ask_person")


def _reasons(match: PlaceMatch, texts: Catalogs, language: str) -> list[str]:
    lines = []
    for reason in match.reasons:
        if reason.kind == "language" and reason.value != "de":
            lines.append(
                texts.text(
                    language,
                    "place.reason_language",
                    language=language_name(reason.value, language),
                )
            )
        elif reason.kind == "quarter":
            lines.append(texts.text(language, "place.reason_quarter"))
        elif reason.kind == "nearest":
            lines.append(texts.text(language, "place.reason_nearest"))
        elif reason.kind == "walk_m":
            lines.append(texts.text(language, "place.reason_metres", metres=reason.value))
        elif reason.kind == "walk_minutes":
            minutes = int(reason.value or 0)
            lines.append(texts.text(language, "place.reason_walk", count=minutes))
    return lines
