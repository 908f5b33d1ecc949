"""The notations staff write: time ranges, weekdays, dates."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.directory.timeparse import (
    EventTime,
    NotationError,
    TimeRange,
    parse_date,
    parse_days,
    parse_event_time,
    parse_time_range,
)


class TestTimeRange:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("09:00-17:00", TimeRange(540, 1020)),
            ("09:00 - 17:00", TimeRange(540, 1020)),
            ("09:00–17:00", TimeRange(540, 1020)),  # en dash, as word processors write it
            ("00:00-24:00", TimeRange(0, 1440)),
        ],
    )
    def test_accepted(self, text: str, expected: TimeRange) -> None:
        assert parse_time_range(text) == expected

    @pytest.mark.parametrize(
        ("value", "hint"),
        [
            ("9-17", "write '09:00-17:00'"),
            ("9.30-12", "write '09:30-12:00'"),
            ("9:00-17:00", "write '09:00-17:00'"),
            ("morgens", "write it as HH:MM-HH:MM, e.g. '09:00-17:00'"),
            (9, "write it as HH:MM-HH:MM, e.g. '09:00-17:00'"),
        ],
    )
    def test_rejected_with_the_fix_as_hint(self, value: object, hint: str) -> None:
        with pytest.raises(NotationError) as caught:
            parse_time_range(value)
        assert (caught.value.code, caught.value.hint) == ("P101", hint)

    def test_end_before_start(self) -> None:
        with pytest.raises(NotationError) as caught:
            parse_time_range("17:00-09:00")
        assert caught.value.code == "P112"

    @pytest.mark.parametrize("text", ["25:00-26:00", "09:60-10:00", "09:00-24:30"])
    def test_impossible_times(self, text: str) -> None:
        with pytest.raises(NotationError) as caught:
            parse_time_range(text)
        assert caught.value.code == "P101"

    def test_str_round_trips(self) -> None:
        assert str(parse_time_range("09:05-24:00")) == "09:05-24:00"


class TestEventTime:
    def test_start_only(self) -> None:
        assert parse_event_time("18:00") == EventTime(1080)

    def test_unquoted_yaml_time_arrives_as_base_60_number(self) -> None:
        # YAML 1.1 reads an unquoted 18:00 as 18 * 60 + 0.
        assert parse_event_time(1080) == EventTime(1080)

    def test_range(self) -> None:
        assert str(parse_event_time("10:00-11:30")) == "10:00-11:30"

    def test_rejected(self) -> None:
        with pytest.raises(NotationError) as caught:
            parse_event_time("18 Uhr")
        assert caught.value.hint == "write '18:00'"


class TestDays:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("tue", (1,)),
            ("Tue", (1,)),
            ("mon-fri", (0, 1, 2, 3, 4)),
            ("tue, thu", (1, 3)),
            (["wed", "mon"], (0, 2)),
            ("Mo-Mi", (0, 1, 2)),
            ("fri-mon", (0, 4, 5, 6)),
            ("do.", (3,)),
        ],
    )
    def test_accepted(self, value: object, expected: tuple[int, ...]) -> None:
        assert parse_days(value) == expected

    def test_unknown_weekday(self) -> None:
        with pytest.raises(NotationError) as caught:
            parse_days("mon-fry")
        assert caught.value.code == "P102"
        assert caught.value.hint.startswith("did you mean 'fr'?")


class TestDates:
    def test_iso(self) -> None:
        assert parse_date("2025-10-31") == dt.date(2025, 10, 31)

    def test_german_notation_is_rewritten_in_the_hint(self) -> None:
        with pytest.raises(NotationError) as caught:
            parse_date("4.4.2025")
        assert caught.value.hint == "write '2025-04-04'"

    @pytest.mark.parametrize("value", ["2025-02-30", "2025-4-4", "gestern", 2025])
    def test_rejected(self, value: object) -> None:
        with pytest.raises(NotationError) as caught:
            parse_date(value)
        assert caught.value.code == "P108"
