"""load_nlu: small nlu/ folders written here, paired with the exact lines staff will read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.ports import TopicRoute
from bot.nlu import NluData, load_nlu
from bot.nlu.data import MIN_EXAMPLES
from bot.source import Severity

TOPICS = """\
topics:
  letters: {label: welcome.opt_letter, flow: letters}
  housing: {label: welcome.opt_housing, flow: housing, step: start}
  person: {label: welcome.opt_person, handoff: true}
"""


def examples(topic: str, count: int = MIN_EXAMPLES) -> str:
    """A YAML block of ``count`` distinct examples for ``topic``."""
    lines = "".join(f"    - {topic} beispiel nummer {i}\n" for i in range(count))
    return f"  {topic}:\n{lines}"


GOOD_DE = (
    "language: de\n"
    "examples:\n" + examples("letters") + examples("housing") + "safety:\n"
    "  violence: [schlägt mich, schlag*]\n"
    "  emergency: [herzinfarkt]\n"
    "  calls: [hilfe]\n"
    "  call_fillers: [bitte]\n"
)
GOOD_EN = (
    "language: en\n"
    "examples:\n" + examples("person") + examples("letters") + "safety:\n"
    "  violence: [hits me]\n"
    "  calls: [help]\n"
)


def write(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "nlu"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def lines(tmp_path: Path, files: dict[str, str], languages: tuple[str, ...] = ()) -> list[str]:
    folder = write(tmp_path, files)
    _, issues = load_nlu(folder, tmp_path, languages)
    return [str(issue) for issue in issues]


class TestGoodFolder:
    def test_loads_without_issues(self, tmp_path: Path) -> None:
        folder = write(tmp_path, {"topics.yaml": TOPICS, "de.yaml": GOOD_DE, "en.yaml": GOOD_EN})
        data, issues = load_nlu(folder, tmp_path, ["de", "en"])
        assert [str(i) for i in issues] == []
        assert data.routes == {
            "letters": TopicRoute("letters", "welcome.opt_letter", "letters", None, False),
            "housing": TopicRoute("housing", "welcome.opt_housing", "housing", "start", False),
            "person": TopicRoute("person", "welcome.opt_person", None, None, True),
        }
        assert set(data.examples) == {"de", "en"}
        assert data.examples["de"]["letters"][0] == "letters beispiel nummer 0"
        assert len(data.examples["en"]["person"]) == MIN_EXAMPLES

    def test_cues_of_every_language_are_merged_by_kind(self, tmp_path: Path) -> None:
        folder = write(tmp_path, {"topics.yaml": TOPICS, "de.yaml": GOOD_DE, "en.yaml": GOOD_EN})
        data, _ = load_nlu(folder, tmp_path, [])
        assert data.cues == {
            "violence": ("schlägt mich", "schlag*", "hits me"),
            "emergency": ("herzinfarkt",),
            "calls": ("hilfe", "help"),
            "call_fillers": ("bitte",),
        }

    def test_sources_point_at_each_topic_in_topics_yaml(self, tmp_path: Path) -> None:
        folder = write(tmp_path, {"topics.yaml": TOPICS, "de.yaml": GOOD_DE})
        data, _ = load_nlu(folder, tmp_path, [])
        assert data.sources == {
            "letters": ("nlu/topics.yaml", 2, 3),
            "housing": ("nlu/topics.yaml", 3, 3),
            "person": ("nlu/topics.yaml", 4, 3),
        }

    def test_without_root_files_are_named_in_full(self, tmp_path: Path) -> None:
        folder = write(tmp_path, {"topics.yaml": TOPICS, "de.yaml": "language: de\n"})
        data, issues = load_nlu(folder, None, [])
        assert not list(issues)
        assert data.sources["letters"][0] == str(folder / "topics.yaml")


class TestGoldenIssues:
    def test_missing_topics_file(self, tmp_path: Path) -> None:
        folder = write(tmp_path, {"de.yaml": GOOD_DE})
        data, issues = load_nlu(folder, tmp_path, ["de"])
        # The missing file is named by its full path, like the other loaders' missing files.
        assert [str(i) for i in issues] == [
            f"{folder / 'topics.yaml'}:1:1: error[N100] topics.yaml is missing"
        ]
        assert data == NluData()

    def test_empty_topics_file(self, tmp_path: Path) -> None:
        assert lines(tmp_path, {"topics.yaml": "topics: {}\n"}) == [
            "nlu/topics.yaml:1:1: error[N100] topics: Dictionary should have at least 1 item "
            "after validation, not 0"
        ]

    def test_unknown_top_level_key_with_did_you_mean(self, tmp_path: Path) -> None:
        de = "language: de\nexampels:\n  letters: [brief]\n"
        assert lines(tmp_path, {"topics.yaml": TOPICS, "de.yaml": de}) == [
            "nlu/de.yaml:2:1: error[N100] unknown key 'exampels' (did you mean 'examples'?)"
        ]

    def test_unknown_key_in_topics_yaml(self, tmp_path: Path) -> None:
        topics = "topics:\n  letters: {label: x, flwo: letters}\n"
        assert lines(tmp_path, {"topics.yaml": topics}) == [
            "nlu/topics.yaml:2:23: error[N100] unknown key 'flwo' (did you mean 'flow'?)"
        ]

    def test_unknown_topic_with_did_you_mean(self, tmp_path: Path) -> None:
        de = "language: de\nexamples:\n" + examples("letters") + examples("housng")
        assert lines(tmp_path, {"topics.yaml": TOPICS, "de.yaml": de}) == [
            f"nlu/de.yaml:{3 + MIN_EXAMPLES + 1}:3: error[N101] unknown topic 'housng' "
            "(did you mean 'housing'?)"
        ]

    def test_unknown_topic_without_a_close_one(self, tmp_path: Path) -> None:
        de = "language: de\nexamples:\n  zzz: [irgendwas]\n"
        assert lines(tmp_path, {"topics.yaml": TOPICS, "de.yaml": de}) == [
            "nlu/de.yaml:3:3: error[N101] unknown topic 'zzz' (topics are listed in topics.yaml)"
        ]

    def test_too_few_examples_is_a_warning(self, tmp_path: Path) -> None:
        de = "language: de\nexamples:\n  letters:\n    - brief\n    - bescheid\n"
        folder = write(tmp_path, {"topics.yaml": TOPICS, "de.yaml": de})
        data, issues = load_nlu(folder, tmp_path, [])
        assert [str(i) for i in issues] == [
            f"nlu/de.yaml:3:3: warning[N102] topic 'letters' has 2 examples; "
            f"write at least {MIN_EXAMPLES}"
        ]
        assert not issues.errors
        assert data.examples["de"]["letters"] == ("brief", "bescheid")

    def test_same_example_under_two_topics_points_at_the_second(self, tmp_path: Path) -> None:
        de = (
            "language: de\n"
            "examples:\n"
            + examples("letters")
            + examples("housing", 3)
            + "    - Letters Beispiel, Nummer 7!\n"  # folds like the eighth letters example
            + examples("person", 0).replace(":\n", ": []\n")
        )
        housing = 3 + MIN_EXAMPLES + 1  # after the header lines and the letters block
        second = housing + 4  # housing's three examples, then the one also under letters
        assert lines(tmp_path, {"topics.yaml": TOPICS, "de.yaml": de}) == [
            f"nlu/de.yaml:{housing}:3: warning[N102] topic 'housing' has 4 examples; "
            f"write at least {MIN_EXAMPLES}",
            f"nlu/de.yaml:{second}:7: error[N103] the example 'Letters Beispiel, Nummer 7!' "
            "is also listed under 'letters' (an example may stand under one topic only)",
            f"nlu/de.yaml:{second + 1}:3: warning[N102] topic 'person' has 0 examples; "
            f"write at least {MIN_EXAMPLES}",
        ]

    def test_same_example_twice_under_one_topic_is_no_conflict(self, tmp_path: Path) -> None:
        de = (
            "language: de\nexamples:\n" + examples("letters") + "    - letters beispiel nummer 0\n"
        )
        assert lines(tmp_path, {"topics.yaml": TOPICS, "de.yaml": de}) == []

    def test_prefix_cue_too_short(self, tmp_path: Path) -> None:
        de = "language: de\nsafety:\n  violence:\n    - schlägt mich\n    - a*\n"
        assert lines(tmp_path, {"topics.yaml": TOPICS, "de.yaml": de}) == [
            "nlu/de.yaml:5:7: error[N106] the cue word 'a*' needs at least 3 letters before '*'"
        ]

    def test_cue_without_letters(self, tmp_path: Path) -> None:
        de = "language: de\nsafety:\n  calls: ['!!!']\n"
        assert lines(tmp_path, {"topics.yaml": TOPICS, "de.yaml": de}) == [
            "nlu/de.yaml:3:11: error[N106] the cue '!!!' has no letters or digits"
        ]

    def test_file_name_and_language_differ(self, tmp_path: Path) -> None:
        folder = write(tmp_path, {"topics.yaml": TOPICS, "de.yaml": GOOD_EN})
        data, issues = load_nlu(folder, tmp_path, [])
        assert [str(i) for i in issues] == [
            "nlu/de.yaml:1:1: error[N100] language 'en' does not match the file name "
            "(rename the file to en.yaml)"
        ]
        assert data.examples == {}
        assert data.cues["violence"] == ()  # the file's cues are not used either

    SYNTAX_ERROR = "language: de\nexamples:\n  letters: [brief, bescheid\n  housing: [miete]\n"

    def test_yaml_syntax_error_names_its_line(self, tmp_path: Path) -> None:
        folder = write(tmp_path, {"topics.yaml": TOPICS, "de.yaml": self.SYNTAX_ERROR})
        data, issues = load_nlu(folder, tmp_path, [])
        [issue] = [i for i in issues if i.code == "Y100"]
        assert (issue.file, issue.line, issue.col) == ("nlu/de.yaml", 4, 10)
        assert issue.severity is Severity.ERROR
        assert issue.message.startswith("YAML syntax error: ")
        assert "line 3" in issue.message  # where the unclosed list began
        assert data.examples == {}

    @pytest.mark.parametrize("name", ["de.yaml", "topics.yaml"])
    def test_yaml_syntax_error_is_the_only_issue_of_its_file(
        self, tmp_path: Path, name: str
    ) -> None:
        files = {"topics.yaml": TOPICS, "de.yaml": "language: de\n"}
        files[name] = self.SYNTAX_ERROR
        found = lines(tmp_path, files)
        assert [line.split(" ", 2)[1] for line in found] == ["error[Y100]"]

    def test_offered_language_without_a_file_is_a_warning(self, tmp_path: Path) -> None:
        folder = write(tmp_path, {"topics.yaml": TOPICS, "de.yaml": GOOD_DE})
        data, issues = load_nlu(folder, tmp_path, ["de", "uk"])
        assert [str(i) for i in issues] == [
            f"{folder / 'uk.yaml'}:1:1: warning[N105] no examples for the offered language 'uk'"
        ]
        assert not issues.errors
        assert set(data.examples) == {"de"}

    def test_all_problems_of_all_files_at_once(self, tmp_path: Path) -> None:
        files = {
            "topics.yaml": TOPICS,
            "de.yaml": "language: de\nexamples:\n  housng: [x]\nsafety:\n  violence: [ab*]\n",
            "en.yaml": "language: en\nreview: maybe\n",
        }
        found = lines(tmp_path, files)
        assert [line.split(" ", 2)[1] for line in found] == [
            "error[N101]",
            "error[N106]",
            "error[N100]",
        ]
        assert found[2] == (
            "nlu/en.yaml:2:1: error[N100] review: Input should be 'ok', 'machine' or "
            "'needs_review'"
        )


class TestTrainingSet:
    def test_order_is_by_language_then_topic_then_as_written(self) -> None:
        data = NluData(
            examples={
                "en": {"work": ("job", "work"), "food": ("hungry",)},
                "de": {"work": ("arbeit",), "food": ("tafel", "essen")},
            }
        )
        assert data.training_set() == [
            ("tafel", "food"),
            ("essen", "food"),
            ("arbeit", "work"),
            ("hungry", "food"),
            ("job", "work"),
            ("work", "work"),
        ]

    def test_same_files_give_the_same_list(self, tmp_path: Path) -> None:
        folder = write(tmp_path, {"topics.yaml": TOPICS, "de.yaml": GOOD_DE, "en.yaml": GOOD_EN})
        first, _ = load_nlu(folder, tmp_path, ["en", "de"])
        second, _ = load_nlu(folder, tmp_path, ["de", "en"])
        assert first.training_set() == second.training_set()
        pairs = first.training_set()
        assert pairs[0] == ("housing beispiel nummer 0", "housing")
        assert pairs[-1] == (f"person beispiel nummer {MIN_EXAMPLES - 1}", "person")
        assert len(pairs) == 4 * MIN_EXAMPLES

    def test_empty_data_trains_on_nothing(self) -> None:
        assert NluData().training_set() == []


@pytest.mark.parametrize("name", ["notes.txt", "README.md"])
def test_only_yaml_files_are_read(tmp_path: Path, name: str) -> None:
    assert lines(tmp_path, {"topics.yaml": TOPICS, name: "language: xx\n: ["}) == []
