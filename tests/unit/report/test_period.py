"""Issue 13, point 5: the reporting period, from ISO dates or the last 30 days."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.report import Period, PeriodError, parse_period

TODAY = date(2026, 11, 23)
BERLIN = ZoneInfo("Europe/Berlin")


class TestParsePeriod:
    def test_without_dates_the_last_30_days_up_to_today(self) -> None:
        assert parse_period(None, None, TODAY) == Period(date(2026, 10, 25), TODAY)

    def test_from_alone_runs_to_today_and_to_alone_covers_30_days(self) -> None:
        assert parse_period("2026-11-01", None, TODAY) == Period(date(2026, 11, 1), TODAY)
        assert parse_period(None, "2026-03-31", TODAY) == Period(
            date(2026, 3, 2), date(2026, 3, 31)
        )

    def test_one_day(self) -> None:
        assert parse_period("2026-11-01", "2026-11-01", TODAY) == Period(
            date(2026, 11, 1), date(2026, 11, 1)
        )

    @pytest.mark.parametrize(
        "value", ["2026-13-01", "2026-02-30", "gestern", "20261101", "2026-1-5", "01.11.2026", ""]
    )
    def test_a_bad_date_names_the_value(self, value: str) -> None:
        with pytest.raises(PeriodError) as caught:
            parse_period(value, "2026-11-30", TODAY)
        assert (caught.value.key, caught.value.params) == ("bad_date", {"value": value})

    def test_start_after_end(self) -> None:
        with pytest.raises(PeriodError) as caught:
            parse_period("2026-12-01", "2026-11-01", TODAY)
        assert caught.value.key == "bad_order"
        assert caught.value.params == {"start": "2026-12-01", "end": "2026-11-01"}


def test_bounds_are_midnights_in_the_bots_time_zone() -> None:
    since, until = Period(date(2026, 10, 1), date(2026, 10, 31)).bounds(BERLIN)
    assert since == datetime(2026, 10, 1, tzinfo=BERLIN)
    assert until == datetime(2026, 11, 1, tzinfo=BERLIN)
    assert str(since.utcoffset()) == "2:00:00"  # summer time
    assert str(until.utcoffset()) == "1:00:00"  # winter time
