"""The directory as the engine and the flow validator see it."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from bot.core.ports import Dating, Directory, Fact, GeoPoint, PlaceInfo, QuarterInfo
from bot.directory import PlaceDirectory


class TestDirectory:
    def test_implements_the_port(self, directory: PlaceDirectory) -> None:
        port: Directory = directory  # checked by mypy; here it must simply work
        assert port.place("hotline") is not None

    def test_place_card(self, directory: PlaceDirectory) -> None:
        assert directory.place("frauen_nord") == PlaceInfo(
            id="frauen_nord",
            name="Frauenberatung Nordstadt",
            quarter="nordstadt",
            address="Heinestraße 2, Hameln",
            phone="+49 5151 300",
            location=GeoPoint(52.1160, 9.3630),
            languages=("de", "ar"),
            topics=("violence", "counselling"),
            verified=True,
            facts=tuple(
                Fact(name, Dating(None, "confirmed", dt.date(2025, 1, 15)))
                for name in ("place", "address", "phone", "hours", "languages")
            ),
        )
        assert directory.place("nirgendwo") is None

    def test_address_with_postcode(self, directory: PlaceDirectory) -> None:
        card = directory.place("beratung_sued")
        assert card is not None
        assert card.address == "Kaiserstraße 80, 31785 Hameln"
        assert card.verified is False

    def test_quarters_in_file_order(self, directory: PlaceDirectory) -> None:
        assert directory.quarters()[:2] == [
            QuarterInfo("altstadt", "Altstadt"),
            QuarterInfo("suedstadt", "Südstadt"),
        ]
        assert directory.quarter_ids == (
            "altstadt",
            "suedstadt",
            "nordstadt",
            "kuckuck",
            "basberg",
        )

    def test_topics_and_place_ids(self, directory: PlaceDirectory) -> None:
        assert directory.topics == ("residence", "children", "violence", "meeting", "counselling")
        assert directory.place_ids == (
            "beratung_sued",
            "frauen_nord",
            "hotline",
            "treff_altstadt",
            "treff_kuckuck",
        )

    def test_places_for_topic(self, directory: PlaceDirectory) -> None:
        assert [p.id for p in directory.places_for_topic("meeting")] == [
            "treff_altstadt",
            "treff_kuckuck",
        ]
        assert directory.places_for_topic("debts") == ()


def test_imports_no_telegram_or_database_library() -> None:
    # In a fresh interpreter: other tests may already have imported these in this one.
    code = (
        "import sys, bot.directory; "
        "bad = sorted(m for m in sys.modules "
        "if m.split('.')[0] in {'aiogram', 'telegram', 'sqlalchemy'}); "
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
