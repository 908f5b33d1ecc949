"""``python -m bot graph [FLOW ...] [--format mermaid|svg|png] [-o PATH] [--docs]``."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

import graphviz

from bot.cli import EXIT_ERROR, EXIT_OK
from bot.config import Settings
from bot.content import load_graphs
from bot.flowgraph import FlowGraph
from bot.flowgraph.docs import docs_texts
from bot.flowgraph.dot import render, source_fingerprint
from bot.flowgraph.mermaid import to_mermaid

SUFFIXES = {"mermaid": "mmd", "svg": "svg", "png": "png"}
NO_DOT = (
    "Für svg und png fehlt das Programm dot: bitte das Paket graphviz installieren "
    "(apt-get install graphviz)."
)


class GraphError(Exception):
    """A one-line German message for staff; the command exits 1."""


def graph(
    settings: Settings, names: Sequence[str], fmt: str, output: Path | None, *, docs: bool
) -> int:
    """Draw the named flows (all without names); with ``docs``, redraw ``docs/flows``."""
    graphs = load_graphs(settings)
    try:
        if docs and names:
            msg = "--docs zeichnet immer alle Flows: bitte ohne FLOW aufrufen."
            raise GraphError(msg)
        if docs:
            write_docs(graphs, output or settings.base_dir / "docs" / "flows")
        else:
            draw(choose(graphs, names), fmt, output)
    except GraphError as exc:
        print(exc, file=sys.stderr)
        return EXIT_ERROR
    except graphviz.ExecutableNotFound:
        print(NO_DOT, file=sys.stderr)
        return EXIT_ERROR
    except graphviz.CalledProcessError as exc:
        said = (exc.stderr or b"").decode(errors="replace").strip()
        print(f"dot ist gescheitert: {said}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"Kann nicht schreiben: {exc.filename}: {exc.strerror}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def choose(graphs: Sequence[FlowGraph], names: Sequence[str]) -> list[FlowGraph]:
    """The graphs named (all when none is); an unknown name is an error with a suggestion."""
    by_name = {graph.name: graph for graph in graphs}
    if not by_name:
        msg = "Keine Flows gefunden: prüfen Sie paths.flows in config.yaml."
        raise GraphError(msg)
    for name in names:
        if name not in by_name:
            close = difflib.get_close_matches(name, by_name, n=1)
            guess = f" Meinten Sie {close[0]!r}?" if close else ""
            msg = f"Flow {name!r} gibt es nicht.{guess} Flows: {', '.join(by_name)}"
            raise GraphError(msg)
    return [by_name[name] for name in dict.fromkeys(names)] or list(graphs)


def draw(graphs: Sequence[FlowGraph], fmt: str, output: Path | None) -> None:
    """Print mermaid (or one svg) without ``output``; else write a file, or a folder with
    one ``<flow>.<format>`` per flow when several are drawn or ``output`` is a folder."""
    if output is None:
        if fmt == "mermaid":
            print("\n".join(to_mermaid(graph) for graph in graphs), end="")
            return
        if fmt == "svg" and len(graphs) == 1:
            print(render(graphs[0], "svg").decode(), end="")
            return
        example = f"-o {graphs[0].name}.{fmt}" if len(graphs) == 1 else "-o bilder/"
        msg = f"{fmt} bitte mit -o in eine Datei oder einen Ordner schreiben, z. B. {example}"
        raise GraphError(msg)
    if len(graphs) == 1 and not output.is_dir():
        targets = [(graphs[0], output)]
    else:
        targets = [(graph, output / f"{graph.name}.{SUFFIXES[fmt]}") for graph in graphs]
    pictures = [(path, _picture(graph, fmt)) for graph, path in targets]
    for path, data in pictures:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"geschrieben: {path}")


def write_docs(graphs: Sequence[FlowGraph], folder: Path) -> None:
    """Redraw the folder: mermaid, svg (with its source fingerprint) and the index; files of
    flows that no longer exist are removed."""
    files = {name: text.encode() for name, text in docs_texts(graphs).items()}
    svgs = {f"{graph.name}.svg": graph for graph in graphs}
    for old in [*folder.glob("*.mmd"), *folder.glob("*.svg")]:
        if old.name not in files | svgs:
            old.unlink()
    for name, graph in svgs.items():
        # An svg drawn from the same source stays, so another dot version makes no churn.
        if source_fingerprint(graph) not in _read(folder / name):
            files[name] = render(graph, "svg", fingerprint=True)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    print(f"{len(graphs)} Flows gezeichnet in {folder}")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _picture(graph: FlowGraph, fmt: str) -> bytes:
    return to_mermaid(graph).encode() if fmt == "mermaid" else render(graph, fmt)
