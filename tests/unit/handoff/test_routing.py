"""Routing a handoff to a place and a staff group."""

from __future__ import annotations

from bot.config import StaffGroup
from bot.core.replies import HandOff
from bot.directory import PlaceDirectory
from bot.handoff.routing import Route, route, staff_group_for

from .conftest import MONDAY_10

SUED = StaffGroup(chat_id=-1001, places=["kaisers"])
NORD = StaffGroup(chat_id=-1002, places=["nordtreff", "migration"])
TEAM = StaffGroup(chat_id=-1009, fallback=True)
GROUPS = [SUED, NORD, TEAM]


def _route(
    directory: PlaceDirectory,
    *,
    place: str | None = None,
    topic: str | None = None,
    quarter: str | None = None,
    language: str = "de",
    groups: list[StaffGroup] = GROUPS,
) -> Route:
    variables = {"quarter": quarter} if quarter is not None else {}
    return route(
        HandOff(place_id=place, topic=topic),
        variables=variables,
        language=language,
        directory=directory,
        staff_groups=groups,
        at=MONDAY_10,
    )


class TestPlace:
    def test_the_place_named_by_the_flow_goes_to_its_group(
        self, directory: PlaceDirectory
    ) -> None:
        assert _route(directory, place="kaisers", topic="violence") == Route(
            "kaisers", -1001, "given", "place"
        )

    def test_a_named_place_without_a_group_goes_to_the_fallback_team(
        self, directory: PlaceDirectory
    ) -> None:
        assert _route(directory, place="frauen") == Route("frauen", -1009, "given", "fallback")

    def test_an_unknown_named_place_is_ignored_and_the_best_match_is_used(
        self, directory: PlaceDirectory
    ) -> None:
        result = _route(directory, place="gone", topic="letters", quarter="suedstadt")
        assert result == Route("kaisers", -1001, "topic", "place")


class TestMatching:
    def test_topic_and_quarter_choose_the_treff_of_the_quarter(
        self, directory: PlaceDirectory
    ) -> None:
        assert _route(directory, topic="letters", quarter="suedstadt", language="ar") == Route(
            "kaisers", -1001, "topic", "place"
        )
        assert _route(directory, topic="letters", quarter="mitte", language="ar") == Route(
            "migration", -1002, "topic", "place"
        )

    def test_the_language_decides_between_places_of_the_topic(
        self, directory: PlaceDirectory
    ) -> None:
        # Only the Migrationsberatung speaks Ukrainian; both speak Arabic and KAISERS is open.
        assert _route(directory, topic="counselling", language="uk").place_id == "migration"
        assert _route(directory, topic="counselling", language="ar").place_id == "kaisers"

    def test_only_places_with_a_staff_group_are_matched(self, directory: PlaceDirectory) -> None:
        # The Frauenberatung serves the topic but has no group: the quarter's treff is chosen.
        result = _route(directory, topic="violence", quarter="nordstadt")
        assert result == Route("nordtreff", -1002, "quarter", "place")

    def test_an_empty_quarter_counts_as_unknown(self, directory: PlaceDirectory) -> None:
        assert _route(directory, topic="violence", quarter="") == Route(
            None, -1009, "none", "fallback"
        )


class TestNoGroup:
    def test_without_place_and_fallback_the_case_is_not_deliverable(
        self, directory: PlaceDirectory
    ) -> None:
        result = _route(directory, place="kaisers", groups=[NORD])
        assert result == Route("kaisers", None, "given", "none")
        assert not result.deliverable

    def test_without_any_group_nothing_is_matched(self, directory: PlaceDirectory) -> None:
        result = _route(directory, topic="letters", quarter="suedstadt", groups=[])
        assert result == Route(None, None, "none", "none")

    def test_the_first_group_listing_a_place_wins(self) -> None:
        both = StaffGroup(chat_id=-1003, places=["kaisers"])
        assert staff_group_for("kaisers", [both, SUED]) is both
        assert staff_group_for("elsewhere", [both, SUED, TEAM]) is TEAM
        assert staff_group_for(None, [both, SUED]) is None
