"""``python -m bot graph``: flow pictures as staff make them, and the ones in docs/flows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli.graph import NO_DOT
from bot.config import load_settings
from bot.content import load_graphs
from bot.flowgraph.docs import COMMAND, INDEX, docs_texts
from bot.flowgraph.dot import source_fingerprint
from tests.cli.test_cli import ROOT, run_bot, write_config

DOCS = ROOT / "docs" / "flows"
BAD = ROOT / "tests" / "data" / "flows" / "bad"
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None,
    reason="Graphviz's dot is not installed (Debian package graphviz); svg and png untested",
)


class TestCommand:
    def test_all_flows_as_mermaid_on_stdout_match_docs(self) -> None:
        result = run_bot("graph")
        assert result.returncode == 0, result.stderr
        charts = result.stdout.split("\n%% Flow ")
        assert len(charts) == len(list((ROOT / "flows").glob("*.yaml")))
        quarter = (DOCS / "choose_quarter.mmd").read_text(encoding="utf-8")
        assert f"\n{quarter}" in result.stdout
        assert 's_ask_quarter -->|"📍 Straße eingeben"| s_ask_street' in quarter

    def test_one_flow_by_name(self) -> None:
        result = run_bot("graph", "choose_quarter")
        assert result.returncode == 0, result.stderr
        assert result.stdout == (DOCS / "choose_quarter.mmd").read_text(encoding="utf-8")

    def test_unknown_flow_names_the_close_one_and_all(self) -> None:
        result = run_bot("graph", "leters", "--format", "svg")
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.startswith(
            "Flow 'leters' gibt es nicht. Meinten Sie 'letters'? Flows: addiction, children,"
        )
        assert len(result.stderr.splitlines()) == 1

    @needs_dot
    def test_svg_into_a_file(self, tmp_path: Path) -> None:
        target = tmp_path / "brief.svg"
        result = run_bot("graph", "letters", "--format", "svg", "-o", str(target))
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"geschrieben: {target}\n"
        svg = target.read_text(encoding="utf-8")
        assert svg.startswith("<?xml")
        assert "<title>letters</title>" in svg
        assert "🏢 Jobcenter" in svg

    @needs_dot
    def test_several_flows_as_png_into_a_folder(self, tmp_path: Path) -> None:
        result = run_bot("graph", "welcome", "letters", "--format", "png", "-o", str(tmp_path))
        assert result.returncode == 0, result.stderr
        for name in ("welcome", "letters"):
            assert (tmp_path / f"{name}.png").read_bytes().startswith(b"\x89PNG")

    def test_png_needs_a_file(self) -> None:
        result = run_bot("graph", "letters", "--format", "png")
        assert result.returncode == 1
        assert result.stderr == (
            "png bitte mit -o in eine Datei oder einen Ordner schreiben, z. B. -o letters.png\n"
        )

    def test_without_dot_one_line_names_the_package(self, tmp_path: Path) -> None:
        result = run_bot("graph", "letters", "--format", "svg", env={"PATH": str(tmp_path)})
        assert result.returncode == 1
        assert result.stderr == f"{NO_DOT}\n"
        assert "apt-get install graphviz" in NO_DOT

    def test_a_broken_flow_still_draws_with_the_validators_errors(self, tmp_path: Path) -> None:
        flows = tmp_path / "flows"
        flows.mkdir()
        for name in ("meaning", "shape"):
            shutil.copy(BAD / f"{name}.yaml", flows)
        config = write_config(
            tmp_path,
            f"paths:\n  flows: flows\n  locales: {ROOT / 'locales'}\n"
            f"  places: {ROOT / 'places'}\n  nlu: {ROOT / 'nlu'}\n",
        )
        result = run_bot("--config", str(config), "graph", "meaning", "shape")
        assert result.returncode == 0, result.stderr
        assert "⚠ F103: next 'mneu' does not exist" in result.stdout
        assert "F101: has no kind (did you mean 'say'?)" in result.stdout
        assert "class s_hello,s_menu,s_both,s_literal,s_nums,n_note red" in result.stdout


def test_docs_flows_are_current() -> None:
    """docs/flows matches the flows: mermaid and index by text, svgs by the fingerprint of
    their dot source (rendered bytes differ between Graphviz versions)."""
    settings, _ = load_settings(ROOT / "config.yaml")
    assert settings is not None
    graphs = load_graphs(settings)
    expected = docs_texts(graphs)
    svgs = {f"{graph.name}.svg": source_fingerprint(graph) for graph in graphs}
    stale = [name for name, text in expected.items() if _read(DOCS / name) != text]
    stale += [name for name, digest in svgs.items() if digest not in _read(DOCS / name)]
    extra = sorted({path.name for path in DOCS.iterdir()} - {*expected, *svgs})
    assert (stale, extra) == ([], []), f"docs/flows is stale: run `{COMMAND}`"
    assert INDEX in expected


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""
