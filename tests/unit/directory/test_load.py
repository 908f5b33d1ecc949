"""Loading places files: golden issue lines for broken files, and the real data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.directory import TOPICS, known_topics, load_directory
from bot.source import Severity

from .conftest import DATA

CASES = sorted(p for p in (DATA / "cases").iterdir() if p.is_dir())
REAL_PLACES = Path(__file__).parents[3] / "places"


def load_case(*cases: Path) -> tuple[object, list[str]]:
    files = [DATA / "quarters.yaml", *(f for case in cases for f in sorted(case.glob("*.yaml")))]
    directory, issues = load_directory(files, root=DATA)
    return directory, [str(issue) for issue in issues]


class TestGoldenIssues:
    """Each folder under data/cases holds broken files and the exact lines expected."""

    @pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
    def test_issue_lines(self, case: Path) -> None:
        expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        _, lines = load_case(case)
        assert lines == expected

    def test_every_issue_of_every_file_at_once(self) -> None:
        # Leave out the case that redefines quarters: it changes what the others expect.
        cases = [c for c in CASES if c.name != "quarters_conflict"]
        _, lines = load_case(*cases)
        expected = {
            line
            for case in cases
            for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()
        }
        # Loaded together, the cases also collide on ids; each case's own lines all appear.
        assert expected <= set(lines)

    def test_errors_return_no_directory(self) -> None:
        directory, _ = load_case(DATA / "cases" / "time_format")
        assert directory is None

    def test_warnings_alone_do_not_block(self) -> None:
        directory, lines = load_case(DATA / "cases" / "gaps")
        assert directory is not None
        assert lines
        assert all(": warning[P2" in line for line in lines)


class TestFolder:
    def test_names_are_relative_to_the_folder_parent(self, tmp_path: Path) -> None:
        folder = tmp_path / "places"
        folder.mkdir()
        (folder / "a.yaml").write_text("places:\n  - id: x\n", encoding="utf-8")
        _, issues = load_directory(folder)
        assert {i.file for i in issues} == {"places/a.yaml"}

    def test_empty_folder(self, tmp_path: Path) -> None:
        directory, issues = load_directory(tmp_path)
        assert directory is None
        assert [(i.code, i.severity) for i in issues] == [("P116", Severity.ERROR)]

    def test_missing_file(self, tmp_path: Path) -> None:
        directory, issues = load_directory([tmp_path / "nope.yaml"])
        assert directory is None
        assert [i.code for i in issues] == ["Y001"]


class TestRealData:
    """The staff-edited files in places/ must always load."""

    def test_loads_without_errors(self) -> None:
        directory, issues = load_directory(REAL_PLACES)
        errors = [str(i) for i in issues if i.severity is Severity.ERROR]
        assert errors == []
        assert directory is not None

    def test_programme_quarters_and_every_topic(self) -> None:
        directory, _ = load_directory(REAL_PLACES)
        assert directory is not None
        assert {"kuckuck", "altstadt", "nordstadt", "suedstadt"} <= set(directory.quarter_ids)
        assert directory.topics == TOPICS == known_topics()

    def test_every_place_names_its_sources(self) -> None:
        directory, _ = load_directory(REAL_PLACES)
        assert directory is not None
        for place_id in directory.place_ids:
            record = directory.record(place_id)
            assert record is not None
            assert record.provenance.sources, place_id

    def test_womens_shelter_address_stays_hidden(self) -> None:
        directory, _ = load_directory(REAL_PLACES)
        assert directory is not None
        shelter = directory.place("frauenhaus")
        assert shelter is not None
        assert (shelter.address, shelter.location, shelter.quarter) == (None, None, None)

    def test_no_placeholders(self) -> None:
        # Open questions go to places/TODO.md; the files never hold "<<TODO: …>>" values.
        for path in REAL_PLACES.glob("*.yaml"):
            assert "<<TODO" not in path.read_text(encoding="utf-8"), path.name


class TestSmallShapes:
    """Rules whose message is easiest to read next to the YAML that triggers it."""

    def lines(self, tmp_path: Path, text: str) -> list[str]:
        (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
        _, issues = load_directory([tmp_path / "p.yaml"], root=tmp_path)
        return [str(i) for i in issues]

    def test_file_must_be_a_mapping(self, tmp_path: Path) -> None:
        assert self.lines(tmp_path, "- id: x\n") == [
            "p.yaml:1:1: error[P116] a places file must be a mapping "
            "(start with 'places:' or 'quarters:')"
        ]

    def test_offer_week_of_month(self, tmp_path: Path) -> None:
        offer = "{name: A, kind: meeting, source: s, as_of: 2024, confidence: probable, times: "
        text = (
            "places:\n"
            "  - id: x1\n"
            "    name: X\n"
            "    kind: stadtteiltreff\n"
            "    offers:\n"
            f"      - {offer}[{{days: 'tue, thu', nth: 2}}]}}\n"
            f"      - {offer}[{{days: tue, nth: 0}}]}}\n"
            f"      - {offer}[{{days: tue, nth: 1, every_week: false}}]}}\n"
            "    provenance: {confidence: probable}\n"
        )
        assert [line for line in self.lines(tmp_path, text) if "error" in line] == [
            "p.yaml:6:88: error[P120] place 'x1': offers.0.times.0: nth needs exactly one day "
            "(e.g. 'days: wed' with 'nth: 1')",
            "p.yaml:7:88: error[P120] place 'x1': offers.1.times.0: nth: 0 is not a week of the "
            "month (use 1-5, -1 = last)",
            "p.yaml:8:88: error[P120] place 'x1': offers.2.times.0: nth and every_week: false "
            "contradict each other (nth: 2 means the 2nd weekday of each month; leave out one "
            "of them)",
        ]

    def test_empty_lists_may_stay_empty(self, tmp_path: Path) -> None:
        text = (
            "places:\n"
            "  - id: x1\n"
            "    name: X\n"
            "    kind: stadtteiltreff\n"
            "    hours:\n"
            "    languages:\n"
            "    contact:\n"
            "    provenance: {confidence: probable, sources: }\n"
        )
        assert not [line for line in self.lines(tmp_path, text) if "error" in line]


class TestStrict:
    """``validate --strict`` also lists what staff may add later: coordinates (P206)."""

    def test_places_without_coordinates(self) -> None:
        files = [DATA / "quarters.yaml", DATA / "places.yaml"]
        _, plain = load_directory(files, root=DATA)
        _, strict = load_directory(files, root=DATA, strict=True)
        assert not [i for i in plain if i.code == "P206"]
        assert [str(i) for i in strict if i.code == "P206"] == [
            "places.yaml:5:5: warning[P206] place 'treff_altstadt' has no coordinates "
            "(read lat/lon off a map and add 'location: {lat: …, lon: …, source: …}' "
            "(docs/handbuch/orte.md))",
            "places.yaml:23:5: warning[P206] place 'beratung_sued' has no coordinates "
            "(read lat/lon off a map and add 'location: {lat: …, lon: …, source: …}' "
            "(docs/handbuch/orte.md))",
        ]  # the helpline and the places with a location are not listed

    def test_every_shipped_place_is_listed_until_it_has_coordinates(self) -> None:
        directory, issues = load_directory(REAL_PLACES, strict=True)
        assert directory is not None
        listed = {i.message.split("'")[1] for i in issues if i.code == "P206"}
        helplines_or_secret = {"hilfetelefon", "frauenhaus"}
        assert listed == set(directory.place_ids) - helplines_or_secret
