"""Counting the questions between a typed need and the first place card or person."""

from __future__ import annotations

from pathlib import Path

from bot.flowspec import FlowSet, load_flows
from bot.flowspec.paths import has_way_back, questions_before_help

NEED = """
flow: need
start: what
topic: letters
steps:
  what:
    ask: t.q
    options:
      - {id: a, label: t.a, next: which}
      - {id: info, label: t.b, next: info}
      - {id: other, label: t.c, next: to_other}
  which:
    ask: t.q
    options:
      - {id: x, label: t.a, next: where}
  where:
    goto: {flow: quarter, return: true}
    next: places
  places:
    refer: {topic: letters}
  info:
    say: t.info
  to_other:
    goto: {flow: other}
"""
QUARTER = """
flow: quarter
start: ask
steps:
  ask:
    ask: t.q
    options:
      - {id: north, label: t.a}
      - {id: street, label: t.b, next: street}
  street:
    input: street
    prompt: t.p
    var: street
"""
OTHER = """
flow: other
start: q1
topic: health
steps:
  q1:
    ask: t.q
    options:
      - {id: a, label: t.a, next: q2}
  q2:
    ask: t.q
    options:
      - {id: a, label: t.a, next: q3}
  q3:
    ask: t.q
    options:
      - {id: a, label: t.a, next: help}
  help:
    handoff: {topic: health}
"""


def _flows(tmp_path: Path) -> FlowSet:
    for name, text in (("need", NEED), ("quarter", QUARTER), ("other", OTHER)):
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    flows, issues = load_flows(sorted(tmp_path.glob("*.yaml")), tmp_path)
    assert not issues.errors, [str(i) for i in issues.errors]
    return flows


def test_worst_path_counts_every_question_including_the_called_flow(tmp_path: Path) -> None:
    """what → which → the quarter (a button, or "street" and typing it: one question)."""
    assert questions_before_help(_flows(tmp_path), "need") == 3


def test_a_path_into_another_topic_is_a_new_need(tmp_path: Path) -> None:
    """The other topic's three questions are counted from its own start, not here."""
    flows = _flows(tmp_path)
    assert questions_before_help(flows, "other") == 3
    assert questions_before_help(flows, "need", "which") == 2


def test_information_only_paths_are_not_counted(tmp_path: Path) -> None:
    assert questions_before_help(_flows(tmp_path), "need", "info") is None


class TestWayBack:
    """A question leads back when some answer reaches the main menu, an end or a person."""

    MENU = """
flow: menu
start: hello
steps:
  hello:
    say: t.hello
    next: main
  main:
    ask: t.q
    options:
      - {id: call, label: t.a, next: call}
  call:
    goto: {flow: caller}
"""
    CALLER = """
flow: caller
start: first
steps:
  first:
    ask: t.q
    options:
      - {id: a, label: t.a, next: call}
      - {id: back, label: t.b, next: home}
  call:
    goto: {flow: callee, return: true}
    next: stuck
  stuck:
    ask: t.q
    options:
      - {id: again, label: t.a, next: stuck}
  home:
    goto: {flow: menu, step: main}
"""
    CALLEE = """
flow: callee
start: ask
steps:
  ask:
    ask: t.q
    options:
      - {id: done, label: t.a}
"""

    def _flows(self, tmp_path: Path) -> FlowSet:
        for name in ("menu", "caller", "callee"):
            text = getattr(self, name.upper())
            (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
        flows, _ = load_flows(sorted(tmp_path.glob("*.yaml")), tmp_path)
        return flows

    def test_an_answer_to_the_menu_is_a_way_back(self, tmp_path: Path) -> None:
        flows = self._flows(tmp_path)
        assert has_way_back(flows, "caller", "first", menu="menu")
        assert has_way_back(flows, "menu", "main", menu="menu")

    def test_a_called_flow_returns_where_it_was_called(self, tmp_path: Path) -> None:
        """callee ends, so on its own it leads back; called from caller it returns to stuck."""
        flows = self._flows(tmp_path)
        assert has_way_back(flows, "callee", "ask", menu="menu")
        assert not has_way_back(flows, "caller", "stuck", menu="menu")

    def test_without_a_menu_flow_only_ends_and_people_lead_back(self, tmp_path: Path) -> None:
        flows = self._flows(tmp_path)
        assert not has_way_back(flows, "caller", "first", menu="nowhere")
        assert has_way_back(flows, "callee", "ask", menu="nowhere")
