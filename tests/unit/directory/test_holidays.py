"""Public holidays of Lower Saxony."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.directory import easter_sunday, holiday_name, public_holidays


class TestEaster:
    @pytest.mark.parametrize(
        ("year", "expected"),
        [
            (2000, dt.date(2000, 4, 23)),
            (2019, dt.date(2019, 4, 21)),
            (2024, dt.date(2024, 3, 31)),
            (2025, dt.date(2025, 4, 20)),
            (2026, dt.date(2026, 4, 5)),
            (2027, dt.date(2027, 3, 28)),
            (2038, dt.date(2038, 4, 25)),  # the latest possible date
            (2285, dt.date(2285, 3, 22)),  # the earliest possible date
        ],
    )
    def test_known_dates(self, year: int, expected: dt.date) -> None:
        assert easter_sunday(year) == expected

    def test_always_a_sunday_between_22_march_and_25_april(self) -> None:
        for year in range(1900, 2200):
            easter = easter_sunday(year)
            assert easter.weekday() == 6
            assert dt.date(year, 3, 22) <= easter <= dt.date(year, 4, 25)


class TestPublicHolidays:
    def test_the_ten_holidays_of_2026(self) -> None:
        assert public_holidays(2026) == {
            dt.date(2026, 1, 1): "Neujahrstag",
            dt.date(2026, 4, 3): "Karfreitag",
            dt.date(2026, 4, 6): "Ostermontag",
            dt.date(2026, 5, 1): "Tag der Arbeit",
            dt.date(2026, 5, 14): "Christi Himmelfahrt",
            dt.date(2026, 5, 25): "Pfingstmontag",
            dt.date(2026, 10, 3): "Tag der Deutschen Einheit",
            dt.date(2026, 10, 31): "Reformationstag",
            dt.date(2026, 12, 25): "1. Weihnachtstag",
            dt.date(2026, 12, 26): "2. Weihnachtstag",
        }

    @pytest.mark.parametrize(
        ("day", "name"),
        [
            (dt.date(2025, 4, 18), "Karfreitag"),
            (dt.date(2025, 4, 21), "Ostermontag"),
            (dt.date(2025, 5, 29), "Christi Himmelfahrt"),
            (dt.date(2025, 6, 9), "Pfingstmontag"),
            (dt.date(2027, 3, 26), "Karfreitag"),
            (dt.date(2027, 3, 29), "Ostermontag"),
            (dt.date(2027, 5, 6), "Christi Himmelfahrt"),
            (dt.date(2027, 5, 17), "Pfingstmontag"),
        ],
    )
    def test_easter_relative_holidays(self, day: dt.date, name: str) -> None:
        assert holiday_name(day) == name

    @pytest.mark.parametrize(
        "day",
        [
            dt.date(2025, 12, 24),  # Heiligabend
            dt.date(2025, 12, 31),  # Silvester
            dt.date(2026, 4, 5),  # Easter Sunday is a Sunday, not a statutory holiday
            dt.date(2026, 5, 24),  # Whit Sunday likewise
            dt.date(2026, 6, 4),  # Fronleichnam: a holiday elsewhere, not in Lower Saxony
            dt.date(2026, 11, 1),  # Allerheiligen likewise
            dt.date(2016, 10, 31),  # Reformationstag only since 2018 (and 2017)
        ],
    )
    def test_not_holidays(self, day: dt.date) -> None:
        assert holiday_name(day) is None

    @pytest.mark.parametrize("year", [2017, 2018, 2025, 2026])
    def test_reformation_day(self, year: int) -> None:
        assert holiday_name(dt.date(year, 10, 31)) == "Reformationstag"

    def test_the_result_cannot_be_changed_by_a_caller(self) -> None:
        with pytest.raises(TypeError):
            public_holidays(2026)[dt.date(2026, 12, 24)] = "Heiligabend"  # type: ignore[index]
