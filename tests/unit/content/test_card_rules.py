"""Every card of the shipped places, in every language, keeps the rules of issue 15.

- "Bitte vorher anrufen" only with a phone on the card; "per E-Mail nachfragen" only with
  an e-mail on it.
- Every fact older than two years, not confirmed or of unknown age says "Stand JAHR"
  (the place's oldest such year; each offer its own), and nothing else does.
- "Jetzt geöffnet" comes only from opening hours; a language is claimed for the place only
  when the place lists it; nothing is said about nearness without a location.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from real_lotse import Resident

from bot.core.cards import MAX_OFFERS, place_card
from bot.core.engine import Engine
from bot.core.ports import Dating, PlaceQuery
from bot.core.replies import PlaceCard, Reply
from bot.directory import BERLIN, PlaceDirectory, load_directory
from bot.directory.facts import offer_dating, review_facts
from bot.i18n import Catalogs, load_catalogues

ROOT = Path(__file__).parents[3]
MOMENTS = (
    dt.datetime(2026, 11, 24, 10, 30, tzinfo=BERLIN),  # Tuesday morning
    dt.datetime(2027, 6, 6, 22, 0, tzinfo=BERLIN),  # Sunday night, half a year on
)


@pytest.fixture(scope="module")
def real() -> tuple[PlaceDirectory, Catalogs]:
    directory, _ = load_directory(ROOT / "places")
    assert directory is not None
    catalogues, _, _ = load_catalogues(sorted((ROOT / "locales").glob("*.yaml")), ROOT)
    return directory, Catalogs(catalogues, ("de", "en"))


def stale(dating: Dating, today: dt.date) -> bool:
    """Written apart from Dating.stale on purpose: the rule as the issue states it."""
    two_years_ago = today.replace(year=today.year - 2)
    if dating.verified and dating.verified >= two_years_ago:
        return False
    dates = [d for d in (dating.as_of, dating.verified) if d]
    return not dates or max(dates) < two_years_ago or dating.confidence != "confirmed"


def year(dating: Dating) -> int | None:
    dates = [d for d in (dating.as_of, dating.verified) if d]
    return max(dates).year if dates else None


@pytest.mark.parametrize("moment", MOMENTS, ids=["2026-11-24", "2027-06-06"])
def test_every_card_in_every_language(
    real: tuple[PlaceDirectory, Catalogs], moment: dt.datetime
) -> None:
    directory, texts = real
    today = moment.date()
    checked = 0
    for place_id in directory.place_ids:
        record = directory.record(place_id)
        assert record is not None
        own = [f.dating for f in review_facts(record) if f.name != "offer"]
        old_years = [year(d) for d in own if stale(d, today)]
        for language in texts.catalogues:
            query = PlaceQuery(at=moment, language=language, place_id=place_id)
            [match] = directory.find(query)
            card = place_card(match, texts, language, moment, BERLIN)
            lines, where = card.lines, f"{place_id} ({language})"

            def says(key: str, language: str = language, **params: object) -> bool:
                wanted = texts.text(language, key, **params)
                return any(wanted in line for line in card.lines)  # noqa: B023 - called at once

            if says("place.ask_call"):
                assert card.phone, where
            if says("place.ask_email"):
                assert card.email, where
            if not card.phone:
                assert not says("place.ask_call"), where

            known = sorted(y for y in old_years if y is not None)
            if known:
                assert says("place.as_of", year=str(known[0])), where
            elif old_years:
                assert says("place.as_of_unknown"), where
            else:
                assert not any(says("place.as_of", year=str(y)) for y in range(2000, 2031))

            for offer in record.offers[:MAX_OFFERS]:
                [line] = [x for x in lines if offer.name in x]
                dating = offer_dating(offer)
                marker = texts.text(language, "place.offer_as_of", year=str(year(dating)))
                assert (marker in line) == stale(dating, today), f"{where}: {offer.name}"

            if not record.hours and not record.always_open:
                assert lines[0] == texts.text(language, "place.hours_unknown"), where
            spoken = {r.value for r in match.reasons if r.kind == "language"}
            assert spoken <= set(record.languages), where
            assert not [r for r in match.reasons if r.kind in {"quarter", "nearest", "walk_m"}]
            checked += 1
    assert checked == len(directory.place_ids) * len(texts.catalogues)


def cards_of(replies: list[Reply]) -> list[PlaceCard]:
    return [reply for reply in replies if isinstance(reply, PlaceCard)]


class TestNearnessThroughTheEngine:
    """The treff flow on the real engine: a shared location is only a guess of the quarter
    (the shipped places have no coordinates), a typed street is the resident's own word."""

    def find_treff(self, lotse: Engine) -> Resident:
        resident = Resident(lotse, hint="de")
        resident.ready_in("de")
        resident.press("treff")
        resident.press("street")
        return resident

    def test_a_shared_location_claims_no_nearness(self, lotse: Engine) -> None:
        resident = self.find_treff(lotse)
        cards = cards_of(resident.location(52.0955, 9.3705))  # in the Südstadt
        assert [c.place_id for c in cards][:1] == ["kaisers"]  # still ranked by the guess
        words = {"In Ihrem Stadtteil.", "Ganz in Ihrer Nähe."}
        assert not [line for c in cards for line in c.lines if line in words]
        assert not [line for c in cards for line in c.lines if "zu Fuß" in line]

    def test_a_typed_street_still_finds_the_quarter(self, lotse: Engine) -> None:
        resident = self.find_treff(lotse)
        cards = cards_of(resident.text("Kaiserstrasse 80"))
        assert cards[0].place_id == "kaisers"
        assert "In Ihrem Stadtteil." in cards[0].lines
