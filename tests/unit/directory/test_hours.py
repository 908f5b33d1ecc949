"""Opening status: weekly slots, public holidays, closures, audiences, and offer times."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.ports import OpeningStatus
from bot.directory import BERLIN, PlaceDirectory, next_occurrence

from .conftest import Clock


class TestOpenNow:
    def test_open_with_closing_time(self, directory: PlaceDirectory, at: Clock) -> None:
        status = directory.status("treff_altstadt", at(2025, 10, 29, 10, 30))  # a Wednesday
        assert status == OpeningStatus(
            known=True,
            open_now=True,
            closes_at=at(2025, 10, 29, 12),
            next_close=at(2025, 10, 29, 12),
            verified=True,
        )

    def test_closed_at_lunch_opens_in_the_afternoon(
        self, directory: PlaceDirectory, at: Clock
    ) -> None:
        status = directory.status("treff_altstadt", at(2025, 10, 29, 12, 0))
        assert not status.open_now
        assert status.next_open == at(2025, 10, 29, 14)
        assert status.next_close == at(2025, 10, 29, 17)
        assert status.closed_reason is None

    def test_any_timezone_is_converted_to_berlin(
        self, directory: PlaceDirectory, at: Clock
    ) -> None:
        utc = dt.datetime(2025, 10, 29, 9, 30, tzinfo=dt.UTC)  # 10:30 in Hameln
        assert directory.status("treff_altstadt", utc).open_now

    def test_naive_datetime_is_refused(self, directory: PlaceDirectory, at: Clock) -> None:
        naive = dt.datetime(2025, 10, 29, 10, 30)  # noqa: DTZ001 - the point of the test
        with pytest.raises(ValueError, match="timezone-aware"):
            directory.status("treff_altstadt", naive)

    def test_unverified_hours_are_marked(self, directory: PlaceDirectory, at: Clock) -> None:
        status = directory.status("beratung_sued", at(2025, 10, 28, 11))  # Tuesday
        assert status.open_now
        assert not status.verified

    def test_always_open_helpline(self, directory: PlaceDirectory, at: Clock) -> None:
        status = directory.status("hotline", at(2025, 12, 25, 3))  # Christmas, at night
        assert status == OpeningStatus(known=True, open_now=True, verified=True)

    def test_unknown_place(self, directory: PlaceDirectory, at: Clock) -> None:
        assert directory.status("nirgendwo", at(2025, 10, 29)) == OpeningStatus(known=False)


class TestPublicHolidays:
    def test_closed_on_reformation_day_a_friday(
        self, directory: PlaceDirectory, at: Clock
    ) -> None:
        status = directory.status("treff_altstadt", at(2025, 10, 31, 10))
        assert not status.open_now
        assert status.closed_reason == "holiday"
        assert status.next_open == at(2025, 11, 1, 10)  # Saturday hours

    def test_closed_on_reformation_day_a_saturday(
        self, directory: PlaceDirectory, at: Clock
    ) -> None:
        status = directory.status("treff_altstadt", at(2026, 10, 31, 11))
        assert status.closed_reason == "holiday"
        assert status.next_open == at(2026, 11, 2, 9)  # Monday

    def test_open_on_the_same_weekday_without_holiday(
        self, directory: PlaceDirectory, at: Clock
    ) -> None:
        assert directory.status("treff_altstadt", at(2025, 10, 24, 10)).open_now

    def test_easter_weekend(self, directory: PlaceDirectory, at: Clock) -> None:
        # Thursday before Easter 2026, evening: Good Friday closed, Saturday open.
        status = directory.status("treff_altstadt", at(2026, 4, 2, 18))
        assert status.next_open == at(2026, 4, 4, 10)
        # Saturday afternoon: Easter Monday closed, so Tuesday.
        assert directory.status("treff_altstadt", at(2026, 4, 4, 14)).next_open == at(
            2026, 4, 7, 9
        )

    def test_ascension_day(self, directory: PlaceDirectory, at: Clock) -> None:
        status = directory.status("beratung_sued", at(2026, 5, 14, 15))  # a Thursday
        assert status.closed_reason == "holiday"
        assert status.next_open == at(2026, 5, 19, 10)

    def test_christmas_eve_is_an_ordinary_day(self, directory: PlaceDirectory, at: Clock) -> None:
        assert directory.status("beratung_sued", at(2024, 12, 24, 11)).open_now  # Tuesday


class TestNextOpening:
    def test_over_a_weekend_and_the_end_of_summer_time(
        self, directory: PlaceDirectory, at: Clock
    ) -> None:
        # Friday evening in summer time; summer time ends on Sunday 26 October 2025.
        status = directory.status("treff_altstadt", at(2025, 10, 24, 17, 30))
        assert status.next_open == at(2025, 10, 25, 10)  # Saturday
        monday = directory.status("treff_altstadt", at(2025, 10, 25, 13, 0)).next_open
        assert monday == at(2025, 10, 27, 9)
        assert monday is not None
        assert monday.utcoffset() == dt.timedelta(hours=1)

    def test_weekly_place_a_week_ahead(self, directory: PlaceDirectory, at: Clock) -> None:
        status = directory.status("treff_kuckuck", at(2025, 10, 24, 12, 0))  # Friday, closing
        assert status.next_open == at(2025, 11, 7, 10)  # 31 Oct is a holiday

    def test_nothing_within_fourteen_days(self, directory: PlaceDirectory, at: Clock) -> None:
        status = directory.status("treff_altstadt", at(2027, 2, 3, 10))  # closed all February
        assert status == OpeningStatus(
            known=True, verified=True, closed_reason="closure", next_open=None
        )


class TestClosures:
    def test_closed_during_a_closure(self, directory: PlaceDirectory, at: Clock) -> None:
        status = directory.status("treff_altstadt", at(2026, 12, 21, 10))
        assert status.closed_reason == "closure"
        assert status.next_open == at(2027, 1, 4, 9)

    def test_first_and_last_day_are_closed(self, directory: PlaceDirectory, at: Clock) -> None:
        assert not directory.status("treff_altstadt", at(2026, 12, 21, 10)).open_now
        assert directory.status("treff_altstadt", at(2027, 1, 2, 11)).closed_reason == "closure"
        assert directory.status("treff_altstadt", at(2027, 1, 4, 10)).open_now

    def test_no_reason_on_a_day_the_place_never_opens(
        self, directory: PlaceDirectory, at: Clock
    ) -> None:
        status = directory.status("treff_altstadt", at(2026, 12, 27, 10))  # a Sunday
        assert status.closed_reason is None


class TestAudienceSlots:
    def test_reserved_slot_does_not_count_for_everyone(
        self, directory: PlaceDirectory, at: Clock
    ) -> None:
        status = directory.status("beratung_sued", at(2025, 10, 28, 15))  # Tuesday 15:00
        assert not status.open_now
        assert status.next_open == at(2025, 10, 30, 14)

    def test_reserved_slot_counts_for_its_audience(
        self, directory: PlaceDirectory, at: Clock
    ) -> None:
        status = directory.status("beratung_sued", at(2025, 10, 28, 15), audience="ukrainians")
        assert status.open_now
        assert status.closes_at == at(2025, 10, 28, 16)


class TestOfferTimes:
    def test_second_tuesday(self, directory: PlaceDirectory, at: Clock) -> None:
        place = directory.record("treff_kuckuck")
        assert place is not None
        breakfast = place.offers[0].times[0]
        assert next_occurrence(breakfast, at(2025, 10, 1)) == at(2025, 10, 14, 10)
        assert next_occurrence(breakfast, at(2025, 10, 14, 10, 1)) == at(2025, 11, 11, 10)

    def test_first_wednesday_with_start_time_only(
        self, directory: PlaceDirectory, at: Clock
    ) -> None:
        place = directory.record("treff_kuckuck")
        assert place is not None
        assert next_occurrence(place.offers[1].times[0], at(2025, 10, 2)) == at(2025, 11, 5, 18)

    def test_last_friday(self, directory: PlaceDirectory, at: Clock) -> None:
        place = directory.record("treff_kuckuck")
        assert place is not None
        assert next_occurrence(place.offers[2].times[0], at(2025, 10, 1)) == dt.datetime(
            2025, 10, 31, tzinfo=BERLIN
        )

    def test_rhythm_left_open(self, directory: PlaceDirectory, at: Clock) -> None:
        place = directory.record("treff_kuckuck")
        assert place is not None
        assert next_occurrence(place.offers[3].times[0], at(2025, 10, 1)) is None
