"""Word a directory match as a place card in the resident's language."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.core.ports import PlaceMatch
from bot.core.replies import PlaceCard
from bot.i18n import Catalogs
from bot.i18n.catalog import language_name
from bot.i18n.format import format_day_time, format_time


def osm_url(lat: float, lon: float) -> str:
    """An OpenStreetMap link that opens a map with a marker on any phone."""
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=18/{lat:.5f}/{lon:.5f}"
    )


def place_card(
    match: PlaceMatch, texts: Catalogs, language: str, now: datetime, tz: tzinfo
) -> PlaceCard:
    """Build the card: opening status first, then languages and why this place fits."""
    place, status = match.place, match.status
    lines: list[str] = []
    if not status.known:
        lines.append(texts.text(language, "place.hours_unknown"))
    elif status.open_now and status.closes_at:
        lines.append(
            texts.text(
                language,
                "place.open_until",
                time=format_time(status.closes_at.astimezone(tz), language),
            )
        )
    elif status.next_open:
        lines.append(
            texts.text(
                language,
                "place.closed_opens",
                when=format_day_time(
                    status.next_open.astimezone(tz), now.astimezone(tz), language
                ),
            )
        )
    if status.known and not status.verified:
        lines.append(texts.text(language, "place.call_first"))
    if place.languages:
        names = ", ".join(language_name(code, language) for code in place.languages)
        lines.append(texts.text(language, "place.languages", languages=names))
    if place.interpreters:
        lines.append(texts.text(language, "place.interpreter"))
    lines.extend(_reasons(match, texts, language))
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
    )


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
        elif reason.kind == "walk_minutes":
            minutes = int(reason.value or 0)
            lines.append(texts.text(language, "place.reason_walk", count=minutes))
    return lines
