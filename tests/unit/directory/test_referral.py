"""Ranking places for a need, with the reasons for each choice."""

from __future__ import annotations

from bot.core.ports import GeoPoint, PlaceQuery, Reason
from bot.directory import PlaceDirectory

from .conftest import Clock


def ids(directory: PlaceDirectory, query: PlaceQuery) -> list[str]:
    return [m.place.id for m in directory.find(query)]


class TestRanking:
    def test_quarter_language_and_open_now(self, directory: PlaceDirectory, at: Clock) -> None:
        query = PlaceQuery(
            at=at(2025, 10, 29, 10, 30), language="ar", topic="counselling", quarter="altstadt"
        )
        matches = directory.find(query)
        assert [m.place.id for m in matches] == ["treff_altstadt", "frauen_nord", "beratung_sued"]
        assert matches[0].reasons == (
            Reason("topic", "counselling"),
            Reason("quarter", "altstadt"),
            Reason("language", "ar"),
            Reason("open_now", "12:00"),
        )
        assert matches[0].status.open_now
        assert matches[0].distance_m is None  # no shared location, so no real distance

    def test_topic_is_required(self, directory: PlaceDirectory, at: Clock) -> None:
        query = PlaceQuery(at=at(2025, 10, 29), language="de", topic="residence", limit=10)
        assert ids(directory, query) == ["beratung_sued"]

    def test_topic_nobody_serves(self, directory: PlaceDirectory, at: Clock) -> None:
        assert directory.find(PlaceQuery(at=at(2025, 10, 29), language="de", topic="debts")) == []

    def test_audience_slot_language_and_no_nearness_from_quarter_middles(
        self, directory: PlaceDirectory, at: Clock
    ) -> None:
        query = PlaceQuery(
            at=at(2025, 10, 28, 15),  # Tuesday, inside the slot for Ukrainians only
            language="uk",
            topic="residence",
            audience="ukrainians",
            quarter="nordstadt",
        )
        [match] = directory.find(query)
        assert match.reasons == (
            Reason("topic", "residence"),
            Reason("audience", "ukrainians"),
            Reason("language", "uk"),
            Reason("open_now", "16:00"),
        )  # the Südstadt middle is closest to the Nordstadt one, but that is no fact to tell

    def test_interpreter_and_next_opening(self, directory: PlaceDirectory, at: Clock) -> None:
        query = PlaceQuery(at=at(2025, 10, 29, 10), language="ar", topic="residence")
        [match] = directory.find(query)
        assert match.reasons == (
            Reason("topic", "residence"),
            Reason("interpreter", "ar"),
            Reason("opens_next", "2025-10-30T14:00:00+01:00"),
        )

    def test_place_for_other_audience_is_ranked_down(
        self, directory: PlaceDirectory, at: Clock
    ) -> None:
        def score(audience: str | None) -> float:
            query = PlaceQuery(
                at=at(2025, 10, 29, 10), language="de", topic="violence", audience=audience
            )
            return next(m.score for m in directory.find(query) if m.place.id == "frauen_nord")

        assert score("women") == score(None) + 2.0
        assert score("young_people") == score(None) - 3.0

    def test_helpline_is_open_at_night(self, directory: PlaceDirectory, at: Clock) -> None:
        query = PlaceQuery(at=at(2025, 10, 29, 23), language="fa", topic="violence")
        first = directory.find(query)[0]
        assert first.place.id == "hotline"
        assert first.reasons == (
            Reason("topic", "violence"),
            Reason("interpreter", "fa"),
            Reason("open_now", ""),
        )

    def test_ties_are_broken_by_id(self, directory: PlaceDirectory, at: Clock) -> None:
        # Both speak German and are open; neither is near anything the query names.
        query = PlaceQuery(at=at(2025, 10, 29, 10), language="de", topic="violence")
        matches = directory.find(query)
        assert [m.place.id for m in matches] == ["frauen_nord", "hotline"]
        assert matches[0].score == matches[1].score

    def test_limit_and_single_place(self, directory: PlaceDirectory, at: Clock) -> None:
        moment = at(2025, 10, 29)
        assert len(directory.find(PlaceQuery(at=moment, language="de", limit=2))) == 2
        assert len(directory.find(PlaceQuery(at=moment, language="de", limit=10))) == 5
        query = PlaceQuery(at=moment, language="de", place_id="hotline", topic="meeting")
        assert ids(directory, query) == ["hotline"]


class TestSharedLocation:
    def test_walking_minutes_and_nearest(self, directory: PlaceDirectory, at: Clock) -> None:
        query = PlaceQuery(
            at=at(2025, 10, 28, 10),
            language="ro",
            topic="meeting",
            location=GeoPoint(52.1140, 9.3930),  # next to the Kuckuck treff
        )
        first = directory.find(query)[0]
        assert first.place.id == "treff_kuckuck"
        # The quarter is only guessed from the location, so it is not told; the walk is
        # 65 m straight × 1.3, rounded up to 50 m.
        assert first.reasons == (
            Reason("topic", "meeting"),
            Reason("walk_m", "100"),
            Reason("language", "ro"),
            Reason("opens_next", "2025-11-07T10:00:00+01:00"),  # Friday 31 Oct is a holiday
            Reason("nearest", "kuckuck"),
        )
        assert first.distance_m is not None
        assert 60 < first.distance_m < 70

    def test_walking_time_across_town(self, directory: PlaceDirectory, at: Clock) -> None:
        query = PlaceQuery(
            at=at(2025, 10, 29, 10),
            language="de",
            place_id="frauen_nord",
            location=GeoPoint(52.1030, 9.3575),  # Altstadt, about 1.5 km away
        )
        [match] = directory.find(query)
        # 1,494 m straight × 1.3 = 1,942 m on foot, at 75 m a minute
        assert Reason("walk_minutes", "26") in match.reasons
        assert not any(reason.kind == "nearest" for reason in match.reasons)  # too far
