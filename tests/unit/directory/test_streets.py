"""A resident's quarter from a typed street or a shared location."""

from __future__ import annotations

import pytest

from bot.core.ports import GeoPoint, StreetMatch
from bot.directory import PlaceDirectory, street_key


class TestStreetKey:
    @pytest.mark.parametrize(
        ("text", "key"),
        [
            ("Meißelstraße", "meisselstr"),
            ("Meisselstrasse", "meisselstr"),
            ("meiselstr.", "meiselstr"),
            ("Kaiserstraße 80 (Hinterhof)", "kaiserstr"),
            ("kaiser str 80", "kaiserstr"),
            ("Kaiserstrase", "kaiserstr"),
            ("Osterstraße 46, 31785 Hameln", "osterstr"),
            ("Süntelstraße", "suntelstr"),
            ("Suentelstrasse", "suntelstr"),
            ("Ludwig-Richter-Weg 3a", "ludwigrichterweg"),
            ("Stresemannstraße", "stresemannstr"),  # "str" inside a word stays
            ("12", ""),
        ],
    )
    def test_normalisation(self, text: str, key: str) -> None:
        assert street_key(text) == key


class TestMatchStreet:
    @pytest.mark.parametrize(
        "typed",
        ["Kaiserstrase", "Kaiserstr.", "kaiser str 80", "KAISERSTRASSE", "Kaiser", "kaiserstraße"],
    )
    def test_spellings_of_kaiserstrasse(self, directory: PlaceDirectory, typed: str) -> None:
        assert directory.match_street(typed) == StreetMatch("Kaiserstraße", "suedstadt", 1.0)

    @pytest.mark.parametrize(
        ("typed", "street", "quarter"),
        [
            ("Meisselstrasse", "Meißelstraße", "nordstadt"),
            ("Heine str", "Heinestraße", "nordstadt"),
            ("Haydnweg 13", "Haydnweg", "nordstadt"),
            ("englisches viertel", "Englisches Viertel", "nordstadt"),
            ("Kuckuck 14", "Kuckuck", "kuckuck"),
            ("Bäckerstr", "Bäckerstraße", "altstadt"),
            ("Baeckerstrasse", "Bäckerstraße", "altstadt"),
        ],
    )
    def test_exact_after_normalisation(
        self, directory: PlaceDirectory, typed: str, street: str, quarter: str
    ) -> None:
        assert directory.match_street(typed) == StreetMatch(street, quarter, 1.0)

    @pytest.mark.parametrize(
        ("typed", "street"),
        [
            ("Kaisrstraße", "Kaiserstraße"),
            ("Meißelstrase 4", "Meißelstraße"),
            ("Heinstraße", "Heinestraße"),
            ("Ludwig Richterweg", "Ludwig-Richter-Weg"),
            ("Rohrser Wahrte", "Rohrser Warte"),
        ],
    )
    def test_typos(self, directory: PlaceDirectory, typed: str, street: str) -> None:
        match = directory.match_street(typed)
        assert match is not None
        assert match.street == street
        assert 0.85 <= match.score <= 1.0

    @pytest.mark.parametrize(
        "typed", ["", "12", "asdfgh", "Hauptstraße", "ich weiß nicht", "Hannover", "ok"]
    )
    def test_nonsense_is_no_match(self, directory: PlaceDirectory, typed: str) -> None:
        assert directory.match_street(typed) is None


class TestQuarterAt:
    @pytest.mark.parametrize(
        ("point", "quarter"),
        [
            (GeoPoint(52.1032, 9.3580), "altstadt"),
            (GeoPoint(52.0940, 9.3680), "suedstadt"),
            (GeoPoint(52.1170, 9.3600), "nordstadt"),
            (GeoPoint(52.1170, 9.4000), "kuckuck"),  # Rohrsen: nearest is Kuckuck
        ],
    )
    def test_nearest_centroid(
        self, directory: PlaceDirectory, point: GeoPoint, quarter: str
    ) -> None:
        assert directory.quarter_at(point) == quarter

    @pytest.mark.parametrize(
        "point",
        [
            GeoPoint(52.3759, 9.7320),  # Hannover
            GeoPoint(52.1030, 9.2300),  # ~9.4 km west of the centre
            GeoPoint(9.3575, 52.1030),  # lat and lon swapped
        ],
    )
    def test_outside_hameln(self, directory: PlaceDirectory, point: GeoPoint) -> None:
        assert directory.quarter_at(point) is None
