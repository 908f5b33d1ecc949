"""Word a place's offers for its card: "💬 Ukraine-Sprechstunde: Dienstag 14:00–16:00 Uhr ·
auf Russisch und Ukrainisch · Stand 2022".

Offer names are proper names and stay as the place wrote them (like place names); the icon
tells the kind in every language. Each offer says its own times, languages and age, so that
a language or a time is never claimed for the whole place.
"""

from __future__ import annotations

from datetime import date

from bot.core.ports import Dating, OfferInfo, OfferTime
from bot.i18n import Catalogs
from bot.i18n.catalog import language_name
from bot.i18n.format import clock, join_words, weekday_name

OFFER_ICONS: dict[str, str] = {
    "consultation": "💬",
    "course": "📚",
    "cafe": "☕",
    "phone_line": "☎️",
    "meeting": "👥",
    "event": "🎉",
    "distribution": "🧺",
}
"""One icon per offer kind (see ``bot.directory.codes.OFFER_KINDS``)."""

SEPARATOR = " · "
_RUN = 3
"""Three or more days in a row are said as a range ("Montag bis Freitag")."""


def offer_line(offer: OfferInfo, texts: Catalogs, language: str, today: date) -> str:
    """The card line of one offer: name, times, languages, phone and, if old, "Stand JAHR"."""
    title = f"{OFFER_ICONS.get(offer.kind, '•')} {offer.name}"
    if offer.times:
        when = "; ".join(_time(t, texts, language) for t in offer.times)
        parts = [texts.text(language, "place.offer", name=title, when=when)]
    else:
        parts = [texts.text(language, "place.offer_no_times", name=title)]
    if offer.languages and offer.languages != ("de",):
        names = _names(offer.languages, language)
        parts.append(texts.text(language, "place.offer_languages", languages=names))
    if offer.interpreting:
        names = _names(offer.interpreting, language)
        parts.append(texts.text(language, "place.offer_interpreting", languages=names))
    if offer.phone:
        parts.append(texts.text(language, "place.offer_phone", phone=offer.phone))
    if offer.dating.stale(today):
        parts.append(as_of_text(offer.dating, texts, language, "place.offer_as_of"))
    return SEPARATOR.join(parts)


def as_of_text(dating: Dating, texts: Catalogs, language: str, key: str) -> str:
    """ "Stand 2022" (``key``), or the key's ``_unknown`` text when the age is not known."""
    latest = dating.latest
    if latest is None:
        return texts.text(language, f"{key}_unknown")
    return texts.text(language, key, year=str(latest.year))


def _names(codes: tuple[str, ...], language: str) -> str:
    return join_words([language_name(code, language) for code in codes], language)


def _time(slot: OfferTime, texts: Catalogs, language: str) -> str:
    if slot.nth is not None:
        day = weekday_name(slot.days[0], language)
        key = "place.monthly_last" if slot.nth == -1 else "place.monthly"
        days = texts.text(language, key, nth=str(slot.nth), day=day)
    else:
        days = _days(slot.days, texts, language)
    parts = [days]
    if slot.start is not None and slot.end is not None:
        start, end = clock(slot.start, language), clock(slot.end, language)
        parts.append(texts.text(language, "place.time_span", start=start, end=end))
    elif slot.start is not None:
        parts.append(texts.text(language, "place.time_at", time=clock(slot.start, language)))
    text = " ".join(parts)
    if not slot.every_week:
        text = f"{text}, {texts.text(language, 'place.some_weeks')}"
    return text


def _days(days: tuple[int, ...], texts: Catalogs, language: str) -> str:
    """ "Montag bis Freitag", "Mittwoch und Donnerstag"; runs of three or more as ranges."""
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    words: list[str] = []
    for run in runs:
        if len(run) >= _RUN:
            first, last = weekday_name(run[0], language), weekday_name(run[-1], language)
            words.append(texts.text(language, "place.days_range", first=first, last=last))
        else:
            words.extend(weekday_name(day, language) for day in run)
    return join_words(words, language)
