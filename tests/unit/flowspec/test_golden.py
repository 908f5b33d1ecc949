"""Golden tests: broken flow files paired with the exact messages staff will read."""

from __future__ import annotations

from pathlib import Path

from bot.flowspec import load_flows

BAD = Path(__file__).parents[2] / "data" / "flows" / "bad"


def test_every_issue_of_every_file_is_listed_with_position() -> None:
    _, issues = load_flows(sorted(BAD.glob("*.yaml")), BAD)
    expected = (BAD / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [str(issue) for issue in issues] == expected


def test_good_flows_of_a_set_still_load_beside_broken_ones() -> None:
    flows, _ = load_flows(sorted(BAD.glob("*.yaml")), BAD)
    assert set(flows.flows) == {
        "a_rather_long_flow_identifier_x",
        "meaning",
        "trap",
        "twice",
        "twin",
    }


def test_versions_change_with_content(tmp_path: Path) -> None:
    flow = tmp_path / "a.yaml"
    flow.write_text("flow: a\nstart: s\nsteps:\n  s:\n    end:\n", encoding="utf-8")
    first, _ = load_flows([flow], tmp_path)
    flow.write_text("flow: a\nstart: s\nsteps:\n  s:\n    end: x.bye\n", encoding="utf-8")
    second, _ = load_flows([flow], tmp_path)
    assert first.versions["a"] != second.versions["a"]


def test_yaml_1_1_booleans_stay_words(tmp_path: Path) -> None:
    flow = tmp_path / "a.yaml"
    flow.write_text(
        "flow: a\nstart: q\nsteps:\n  q:\n    ask: x.q\n    options:\n"
        "      - {id: no, label: x.no, keywords: {en: [no, off, yes]}}\n",
        encoding="utf-8",
    )
    flows, issues = load_flows([flow], tmp_path)
    assert not issues.errors
    step = flows.flows["a"].steps["q"]
    assert step.options[0].keywords == {"en": ["no", "off", "yes"]}  # type: ignore[union-attr]


def test_missing_file_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    _, issues = load_flows([tmp_path / "nope.yaml"], tmp_path)
    assert [str(i) for i in issues] == [
        "nope.yaml:1:1: error[Y001] file not found (check the path in config.yaml)"
    ]
