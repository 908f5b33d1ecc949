"""Place cards that never overstate: golden cards, offers, distances, "Stand", cautions.

The golden cards are in data/cards/golden/<place>.<language>.txt. After a deliberate change
of wording, rewrite them with ``LOTSE_UPDATE_GOLDEN=1 pytest tests/unit/directory`` and read
the diff.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest

from bot.core.cards import place_card
from bot.core.ports import GeoPoint, PlaceQuery, Reason
from bot.core.replies import PlaceCard
from bot.directory import BERLIN, PlaceDirectory, load_directory
from bot.i18n import Catalogs, load_catalogues

from .conftest import DATA

ROOT = Path(__file__).parents[3]
CARDS = DATA / "cards"
TUESDAY = dt.datetime(2026, 11, 24, 10, 30, tzinfo=BERLIN)
NEXT_TO_TREFF = GeoPoint(52.0953, 9.3705)
"""About 50 m from the test place with coordinates (treff_mit_ort)."""
FAR_SOUTH = GeoPoint(52.0560, 9.3900)
"""Inside Hameln, about 5 km from every place with coordinates."""


@pytest.fixture(scope="module")
def places() -> PlaceDirectory:
    loaded, issues = load_directory([DATA / "quarters.yaml", CARDS / "places.yaml"], root=DATA)
    assert loaded is not None, "\n".join(map(str, issues))
    return loaded


@pytest.fixture(scope="module")
def texts() -> Catalogs:
    catalogues, _, _ = load_catalogues(sorted((ROOT / "locales").glob("*.yaml")), ROOT)
    return Catalogs(catalogues, ("de", "en"))


def card(
    places: PlaceDirectory,
    texts: Catalogs,
    place_id: str,
    language: str = "de",
    *,
    at: dt.datetime = TUESDAY,
    location: GeoPoint | None = None,
) -> PlaceCard:
    query = PlaceQuery(at=at, language=language, place_id=place_id, location=location)
    [match] = places.find(query)
    return place_card(match, texts, language, at, BERLIN)


def shown(card: PlaceCard) -> str:
    fields = (card.name, card.address, card.phone, card.email, *card.lines, card.website)
    return "\n".join(field for field in fields if field) + "\n"


GOLDEN = [
    (place, language)
    for place in ("beratung_angebote", "treff_ohne_telefon", "treff_mit_ort")
    for language in ("de", "ar", "uk")
]


@pytest.mark.parametrize(("place", "language"), GOLDEN, ids=[f"{p}.{lang}" for p, lang in GOLDEN])
def test_golden_card(places: PlaceDirectory, texts: Catalogs, place: str, language: str) -> None:
    location = NEXT_TO_TREFF if place == "treff_mit_ort" else None
    text = shown(card(places, texts, place, language, location=location))
    golden = CARDS / "golden" / f"{place}.{language}.txt"
    if os.environ.get("LOTSE_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


class TestOffers:
    def test_open_now_only_from_opening_hours(
        self, places: PlaceDirectory, texts: Catalogs
    ) -> None:
        # Tuesday 14:30: the Ukraine consultation runs, but the place's hours are over.
        lines = card(places, texts, "beratung_angebote", at=TUESDAY.replace(hour=14)).lines
        assert lines[0].startswith("Jetzt geschlossen. Wieder offen: Dienstag")
        assert not any("geöffnet" in line for line in lines)

    def test_offers_say_their_own_times_and_rhythm(
        self, places: PlaceDirectory, texts: Catalogs
    ) -> None:
        lines = card(places, texts, "beratung_angebote").lines
        assert (
            "💬 Ukraine-Sprechstunde: Dienstag 14:00–16:00 Uhr; Donnerstag 14:00–17:00 Uhr · "
            "auf Russisch und Ukrainisch · Stand 2022"
        ) in lines
        assert "👥 Nachbarschaftsfrühstück: Dienstag 10:00–11:30 Uhr, nicht jede Woche" in lines
        assert "👥 Stammtisch: jeden 1. Mittwoch im Monat 18:00 Uhr" in lines


class TestLanguageOfOneOffer:
    def test_the_place_does_not_claim_it(self, places: PlaceDirectory, texts: Catalogs) -> None:
        query = PlaceQuery(at=TUESDAY, language="uk", place_id="beratung_angebote")
        [match] = places.find(query)
        assert Reason("offer_language", "uk") in match.reasons
        assert not any(reason.kind == "language" for reason in match.reasons)
        lines = place_card(match, texts, "uk", TUESDAY, BERLIN).lines
        claim = texts.text("uk", "place.reason_language", language="українська")
        assert claim not in lines
        assert "Мови: німецька" in lines
        # The offer in the resident's language comes first and says its languages.
        assert lines[1].startswith("💬 Ukraine-Sprechstunde: ")
        assert "мовами: російська і українська" in lines[1]

    def test_offer_language_ranks_between_staff_and_nothing(self, places: PlaceDirectory) -> None:
        def score(language: str) -> float:
            query = PlaceQuery(at=TUESDAY, language=language, place_id="beratung_angebote")
            return places.find(query)[0].score

        assert score("uk") == score("ar") + 1.0


class TestDistances:
    def test_next_to_a_place_with_coordinates(
        self, places: PlaceDirectory, texts: Catalogs
    ) -> None:
        query = PlaceQuery(at=TUESDAY, language="de", topic="meeting", location=NEXT_TO_TREFF)
        first = places.find(query)[0]
        assert first.place.id == "treff_mit_ort"
        assert Reason("walk_m", "100") in first.reasons  # 40 m straight × 1.3, up to 50 m steps
        lines = place_card(first, texts, "de", TUESDAY, BERLIN).lines
        assert "Etwa 100 m zu Fuß." in lines
        assert "Ganz in Ihrer Nähe." in lines
        assert "In Ihrem Stadtteil." not in lines  # the quarter is only guessed from the point

    def test_far_from_every_place(self, places: PlaceDirectory, texts: Catalogs) -> None:
        query = PlaceQuery(at=TUESDAY, language="de", topic="meeting", location=FAR_SOUTH, limit=5)
        matches = places.find(query)
        assert matches
        nearness = {"walk_m", "walk_minutes", "nearest", "quarter"}
        assert not [r for m in matches for r in m.reasons if r.kind in nearness]
        for match in matches:
            lines = place_card(match, texts, "de", TUESDAY, BERLIN).lines
            assert not [line for line in lines if "Nähe" in line or "zu Fuß" in line]

    def test_a_chosen_quarter_is_told(self, places: PlaceDirectory, texts: Catalogs) -> None:
        query = PlaceQuery(at=TUESDAY, language="de", topic="meeting", quarter="nordstadt")
        first = places.find(query)[0]
        assert first.place.id == "treff_ohne_telefon"
        assert "In Ihrem Stadtteil." in place_card(first, texts, "de", TUESDAY, BERLIN).lines

    def test_a_guessed_quarter_is_not_told(self, places: PlaceDirectory) -> None:
        point = GeoPoint(52.1150, 9.3620)  # the Nordstadt middle itself
        query = PlaceQuery(
            at=TUESDAY,
            language="de",
            topic="meeting",
            quarter="nordstadt",
            location=point,
            quarter_estimated=True,
        )
        first = places.find(query)[0]
        assert first.place.id == "treff_ohne_telefon"  # still ranked first
        assert Reason("quarter", "nordstadt") not in first.reasons

    def test_an_estimated_place_coordinate_gives_no_distance(self) -> None:
        text = (CARDS / "places.yaml").read_text(encoding="utf-8")
        guessed = text.replace('source: "OpenStreetMap', 'estimated: true, source: "Schätzung')
        loaded, _ = load_directory_text(guessed)
        query = PlaceQuery(at=TUESDAY, language="de", topic="meeting", location=NEXT_TO_TREFF)
        first = loaded.find(query)[0]
        assert first.place.id == "treff_mit_ort"
        assert first.place.location is None  # no map pin either
        assert not [r for r in first.reasons if r.kind in {"walk_m", "nearest"}]


def load_directory_text(text: str) -> tuple[PlaceDirectory, list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "places.yaml"
        path.write_text(text, encoding="utf-8")
        loaded, issues = load_directory([DATA / "quarters.yaml", path], root=Path(folder))
    assert loaded is not None
    return loaded, [str(issue) for issue in issues]


class TestStand:
    def test_a_dated_fact(self, places: PlaceDirectory, texts: Catalogs) -> None:
        # The place says 2019, its interpreters fact 2016: the card names the oldest year.
        lines = card(places, texts, "treff_ohne_telefon").lines
        assert "Stand 2016. Vielleicht hat sich etwas geändert." in lines

    def test_recent_and_confirmed_needs_no_stand(
        self, places: PlaceDirectory, texts: Catalogs
    ) -> None:
        lines = card(places, texts, "beratung_angebote").lines
        assert not [line for line in lines if line.startswith("Stand ")]
        # …but the one offer from 2022 says its year.
        assert sum("Stand 2022" in line for line in lines) == 1

    def test_facts_age(self, places: PlaceDirectory, texts: Catalogs) -> None:
        # The same card two years later: the place's facts are old now too.
        later = TUESDAY.replace(year=2028)
        lines = card(places, texts, "beratung_angebote", at=later).lines
        assert "Stand 2025. Vielleicht hat sich etwas geändert." in lines

    def test_in_every_language(self, places: PlaceDirectory, texts: Catalogs) -> None:
        for language in texts.catalogues:
            lines = card(places, texts, "treff_ohne_telefon", language).lines
            assert texts.text(language, "place.as_of", year="2016") in lines, language


class TestCautions:
    @pytest.mark.parametrize(
        ("place", "key"),
        [
            ("beratung_angebote", "place.ask_call"),
            ("treff_ohne_telefon", "place.ask_email"),
            ("nur_zeiten", "place.ask_during_hours"),
            ("nur_webseite", "place.ask_website"),
            ("ohne_kontakt", "place.ask_person"),
        ],
    )
    def test_the_caution_fits_the_card(
        self, places: PlaceDirectory, texts: Catalogs, place: str, key: str
    ) -> None:
        shown_card = card(places, texts, place)
        cautions = [line for line in shown_card.lines if "vorher" in line or "vorbei" in line]
        assert cautions == [texts.text("de", key)]
        if key == "place.ask_email":
            assert shown_card.email == "treff@example.org"

    def test_last_verified_removes_the_caution(
        self, places: PlaceDirectory, texts: Catalogs
    ) -> None:
        lines = card(places, texts, "treff_mit_ort").lines
        assert not [line for line in lines if "vorher" in line or line.startswith("Stand")]

    def test_an_unverified_offer_keeps_the_caution(self, texts: Catalogs) -> None:
        text = (CARDS / "places.yaml").read_text(encoding="utf-8")
        verified = text.replace(
            "provenance: {confidence: confirmed, as_of: 2025-10}",
            'provenance: {confidence: confirmed, as_of: 2025-10, last_verified: "2026-11-01"}',
        )
        loaded, _ = load_directory_text(verified)
        lines = card(loaded, texts, "beratung_angebote").lines
        assert "Bitte vorher anrufen." in lines  # three offers are still unchecked
        offer_checked = 'confidence: confirmed\n        last_verified: "2026-11-02"\n'
        checked = verified.replace("confidence: confirmed\n", offer_checked)
        loaded, _ = load_directory_text(checked)
        lines = card(loaded, texts, "beratung_angebote").lines
        assert "Bitte vorher anrufen." not in lines
        assert not [line for line in lines if "Stand" in line]
