"""Flow pictures as a model: which boxes and arrows a flow becomes, and what is marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.flowgraph import Edge, FlowGraph, Kind, Mark, build_graphs, unloaded_documents
from bot.flowgraph.dot import source_fingerprint, to_dot
from bot.flowgraph.mermaid import to_mermaid
from bot.flowspec import load_flows

BAD = Path(__file__).parents[2] / "data" / "flows" / "bad"

FLOWS = {
    "welcome": """
flow: welcome
start: menu
steps:
  menu:
    ask: t.menu
    options:
      - {id: letters, label: t.letters, next: to_letters}
      - {id: loop, label: t.loop, next: to_loop}
  to_letters:
    goto: {flow: letters}
  to_loop:
    goto: {flow: loop}
""",
    "letters": """
flow: letters
start: which
description: Brief vom Amt
steps:
  which:
    ask: t.which
    options:
      - {id: job, label: t.job, next: check}
      - {id: other, label: t.other, next: where}
  check:
    branch:
      - if: {var: office, equals: jobcenter}
        next: person
      - if: [{language: [ar, fa]}, {quarter: [nordstadt]}]
        next: places
    else: places
  where:
    goto: {flow: quarter, return: true}
    next: places
  places:
    refer: {topic: letters, audience: women, limit: 2}
    intro: t.places
    next: after
  person:
    handoff: {topic: letters}
    text: t.handoff
    next: after
  after:
    ask: t.after
    options:
      - {id: menu, label: t.to_menu, next: to_menu}
      - {id: done, label: t.done}
  to_menu:
    goto: {flow: welcome, step: menu}
  lonely:
    say: t.lonely
""",
    "quarter": """
flow: quarter
start: street
steps:
  street:
    input: street
    prompt: t.street
    var: street
""",
    "loop": """
flow: loop
start: first
steps:
  first:
    ask: t.first
    options:
      - {id: on, label: t.on, next: to_other}
  to_other:
    goto: {flow: other_loop}
""",
    "other_loop": """
flow: other_loop
start: second
steps:
  second:
    ask: t.second
    options:
      - {id: again, label: t.again, next: to_loop}
      - {id: typo, label: t.again, next: to_lop}
  to_loop:
    goto: {flow: loop}
""",
}
TEXTS = {
    "t.menu": "Wobei brauchen Sie Hilfe?",
    "t.letters": "✉️ Brief vom Amt",
    "t.which": "Von wem ist der Brief?",
    "t.job": "🏢 Jobcenter",
    "t.other": "🏛 Anderes Amt",
    "t.places": "Hier hilft man Ihnen mit dem Brief:",
    "t.handoff": "Ich verbinde Sie mit einem Menschen.",
    "t.after": "Wie geht es weiter?",
    "t.to_menu": "☰ Anderes Thema",
    "t.done": "✅ Fertig",
    "t.street": "In welcher Straße wohnen Sie?",
}


def _graphs(
    folder: Path, files: dict[str, str], texts: dict[str, str] = TEXTS
) -> dict[str, FlowGraph]:
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    paths = sorted(folder.glob("*.yaml"))
    flows, issues = load_flows(paths, folder)
    unloaded = unloaded_documents(paths, folder, flows)
    graphs = build_graphs(flows, issues, texts, menu="welcome", unloaded=unloaded)
    return {graph.name: graph for graph in graphs}


@pytest.fixture
def graphs(tmp_path: Path) -> dict[str, FlowGraph]:
    return _graphs(tmp_path, FLOWS)


def _edges(graph: FlowGraph, source: str) -> list[tuple[str, str]]:
    return [(e.label, e.target) for e in graph.edges if e.source == source]


def _node(graph: FlowGraph, title: str) -> tuple[Kind, tuple[str, ...], str | None]:
    node = next(n for n in graph.nodes if n.title == title)
    return node.kind, node.lines, node.colour


class TestDrawing:
    def test_buttons_are_arrows_with_their_german_labels(
        self, graphs: dict[str, FlowGraph]
    ) -> None:
        letters = graphs["letters"]
        assert _edges(letters, "n_start") == [("", "s_which")]
        assert _edges(letters, "s_which") == [
            ("🏢 Jobcenter", "s_check"),
            ("🏛 Anderes Amt", "s_where"),
        ]
        assert _node(letters, "which") == (Kind.ASK, ("Frage:", "Von wem ist der Brief?"), None)
        # An option without next ends the flow.
        assert ("✅ Fertig", "n_finish") in _edges(letters, "s_after")

    def test_branches_say_their_conditions(self, graphs: dict[str, FlowGraph]) -> None:
        assert _edges(graphs["letters"], "s_check") == [
            ("office = jobcenter", "s_person"),
            ("Sprache ar, fa und Stadtteil nordstadt", "s_places"),
            ("sonst", "s_places"),
        ]

    def test_gotos_lead_to_other_flows_and_back(self, graphs: dict[str, FlowGraph]) -> None:
        letters = graphs["letters"]
        assert Edge("s_where", "f_quarter", "mit Rückkehr") in letters.edges
        assert Edge("s_where", "s_places", "zurück", dashed=True) in letters.edges
        assert _edges(letters, "s_to_menu") == [("", "f_welcome__menu")]
        assert _node(letters, "Flow welcome") == (Kind.FLOW, ("Schritt menu",), None)

    def test_referrals_and_handoffs_show_what_they_look_for(
        self, graphs: dict[str, FlowGraph]
    ) -> None:
        letters = graphs["letters"]
        assert _node(letters, "places") == (
            Kind.REFER,
            (
                "Orte zeigen",
                "Thema: letters",
                "Zielgruppe: women",
                "höchstens 2",
                "Hier hilft man Ihnen mit dem",
                "Brief:",
            ),
            None,
        )
        kind, lines, _ = _node(letters, "person")
        assert (kind, lines[:2]) == (
            Kind.HANDOFF,
            ("An einen Menschen übergeben", "Thema: letters"),
        )
        assert Edge("s_person", "s_after", "nach /bot", dashed=True) in letters.edges

    def test_long_texts_are_wrapped_and_shortened(self, tmp_path: Path) -> None:
        texts = {"t.long": "Ein sehr langer Text " * 10}
        flow = "flow: long\nstart: s\nsteps:\n  s:\n    say: t.long\n"
        _, lines, _ = _node(_graphs(tmp_path, {"long": flow}, texts)["long"], "s")
        assert lines == (
            "Text:",
            "Ein sehr langer Text Ein sehr",
            "langer Text Ein sehr langer Text …",
        )


class TestMarks:
    def test_unreachable_steps_are_red(self, graphs: dict[str, FlowGraph]) -> None:
        letters = graphs["letters"]
        assert letters.marked(Mark.UNREACHABLE) == ["lonely"]
        assert _node(letters, "lonely")[2] == "red"
        lonely = next(n for n in letters.nodes if n.title == "lonely")
        assert "⚠ nie erreicht" in lonely.text
        assert any(note.startswith("F106: can never be reached") for note in lonely.notes)

    def test_questions_with_no_way_back_are_orange(self, graphs: dict[str, FlowGraph]) -> None:
        assert graphs["loop"].marked(Mark.NO_WAY_BACK) == ["first"]
        assert _node(graphs["loop"], "first")[2] == "orange"
        assert graphs["letters"].marked(Mark.NO_WAY_BACK) == []
        assert graphs["welcome"].marked(Mark.NO_WAY_BACK) == []
        assert graphs["quarter"].marked(Mark.NO_WAY_BACK) == []

    def test_a_missing_target_is_a_red_dead_end_with_the_validators_words(
        self, graphs: dict[str, FlowGraph]
    ) -> None:
        other = graphs["other_loop"]
        assert _edges(other, "s_second") == [("t.again", "s_to_loop"), ("t.again", "m_to_lop")]
        assert _node(other, "to_lop") == (Kind.MISSING, ("fehlt",), "red")
        second = next(n for n in other.nodes if n.title == "second")
        assert second.marks == {Mark.ERROR, Mark.NO_WAY_BACK}
        assert second.colour == "red"
        assert second.notes == ("F103: next 'to_lop' does not exist (did you mean 'to_loop'?)",)

    def test_a_loop_without_a_way_out_is_a_dead_end(self, tmp_path: Path) -> None:
        trap = _graphs(tmp_path, {"trap": (BAD / "trap.yaml").read_text()})["trap"]
        assert trap.marked(Mark.DEAD_END) == ["ask_forever", "tell"]
        assert trap.marked(Mark.NO_WAY_BACK) == ["ask_forever"]
        assert {n.colour for n in trap.nodes if n.kind is not Kind.START} == {"red"}

    def test_a_goto_to_a_missing_flow_is_a_dead_end(self, tmp_path: Path) -> None:
        meaning = _graphs(tmp_path, {"meaning": (BAD / "meaning.yaml").read_text()})["meaning"]
        assert _node(meaning, "Flow nowhere") == (Kind.FLOW, ("fehlt",), "red")
        assert meaning.marked(Mark.DEAD_END) == ["mneu", "Flow nowhere", "spin", "spin_again"]


class TestBrokenFiles:
    def test_a_file_that_fails_validation_still_draws_with_its_errors(
        self, tmp_path: Path
    ) -> None:
        text = (BAD / "shape.yaml").read_text() + "  fine:\n    say: t.street\n    next: gone\n"
        shape = _graphs(tmp_path, {"shape": text})["shape"]
        broken = {n.title: n.notes for n in shape.nodes if n.kind is Kind.BROKEN}
        assert broken == {
            "hello": ("F101: has no kind (did you mean 'say'?)",),
            "menu": ("F100: unknown key 'nxet' (did you mean 'next'?)",),
            "both": ("F102: has several kinds: say, end",),
            "literal": (
                "F100: say: 'Hallo, wie geht es Ihnen?' is not a text key; put the text into "
                "locales/de.yaml and write its key here, e.g. 'letter.intro'",
            ),
            "nums": (
                "F100: input: Input should be 'text', 'number', 'date', 'street' or 'location'",
            ),
        }
        # A valid step of the broken file is drawn as usual, its missing target marked.
        assert _node(shape, "fine") == (Kind.SAY, ("Text:", "In welcher Straße wohnen Sie?"), None)
        assert _edges(shape, "s_fine") == [("", "m_gone")]
        assert _node(shape, "gone")[2] == "red"
        assert _node(shape, "Fehler im Flow")[2] == "red"

    def test_a_broken_step_keeps_the_ways_its_yaml_names(self, tmp_path: Path) -> None:
        flow = (
            "flow: b\nstart: q\nsteps:\n  q:\n    ask: t.which\n    colour: red\n"
            "    options:\n      - {id: a, label: t.job, next: e}\n  e:\n    end:\n"
        )
        graph = _graphs(tmp_path, {"b": flow})["b"]
        assert _node(graph, "q")[0] is Kind.BROKEN
        assert _edges(graph, "s_q") == [("🏢 Jobcenter", "s_e")]

    def test_a_yaml_syntax_error_draws_a_note(self, tmp_path: Path) -> None:
        syntax = _graphs(tmp_path, {"syntax": (BAD / "syntax.yaml").read_text()})["syntax"]
        assert [n.kind for n in syntax.nodes] == [Kind.NOTE]
        assert syntax.nodes[0].notes[0].startswith("Y100: YAML syntax error")

    def test_every_file_of_the_bad_set_draws(self, tmp_path: Path) -> None:
        flows, issues = load_flows(sorted(BAD.glob("*.yaml")), BAD)
        unloaded = unloaded_documents(sorted(BAD.glob("*.yaml")), BAD, flows)
        graphs = build_graphs(flows, issues, {}, unloaded=unloaded)
        assert [g.name for g in graphs] == [
            "a_rather_long_flow_identifier_x",
            "dup_b",
            "empty",
            "meaning",
            "shape",
            "syntax",
            "trap",
            "twice",
            "twin",
        ]
        for graph in graphs:
            assert to_mermaid(graph).startswith(f"%% Flow {graph.name} (")
            assert to_dot(graph).source.startswith(f"digraph {graph.name} {{")


class TestText:
    def test_mermaid_marks_colours_and_escapes_quotes(self, graphs: dict[str, FlowGraph]) -> None:
        text = to_mermaid(graphs["loop"])
        assert text.splitlines()[:3] == [
            "%% Flow loop (loop.yaml)",
            "flowchart TD",
            '  n_start(("Start"))',
        ]
        assert '  s_first("first<br/>Frage:<br/>t.first<br/>⚠ kein Weg zurück ins Menü")' in text
        assert "  class s_first orange" in text
        assert "#quot;" in to_mermaid(
            FlowGraph("q", "q.yaml", nodes=(), edges=(Edge("a", "b", 'say "hi"'),))
        )

    def test_dot_source_is_deterministic_and_has_a_fingerprint(
        self, graphs: dict[str, FlowGraph], tmp_path: Path
    ) -> None:
        source = to_dot(graphs["letters"]).source
        assert source == to_dot(_graphs(tmp_path, FLOWS)["letters"]).source
        assert 's_which -> s_check [label="🏢 Jobcenter"]' in source
        assert 'fillcolor="#ffd6d6"' in source  # lonely is red
        fingerprint = source_fingerprint(graphs["letters"])
        assert (
            f"lotse dot source sha256 {fingerprint}"
            in to_dot(graphs["letters"], fingerprint=True).source
        )
