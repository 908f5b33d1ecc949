"""What ``docs/flows/`` holds: per flow a mermaid file and an svg, and an index.

The texts are deterministic, so a test can tell stale pictures by comparing them, and the
svgs by the dot-source fingerprint they carry (rendered bytes differ between dot versions).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.flowgraph.mermaid import to_mermaid
from bot.flowgraph.model import FlowGraph, Kind, Node

COMMAND = "python -m bot graph --docs"
INDEX = "README.md"
STEP_KINDS = frozenset(Kind) - {Kind.START, Kind.FINISH, Kind.FLOW, Kind.MISSING, Kind.NOTE}

LEGEND = """\
## So lesen Sie die Bilder

- **Blau**: eine Frage mit Knöpfen oder eine Eingabe. An den Pfeilen stehen die deutschen
  Knopf-Texte aus `locales/de.yaml`.
- **Grün**: Hilfe. "Orte zeigen" zeigt Ortskarten aus dem Verzeichnis, "An einen Menschen
  übergeben" gibt das Gespräch an das Team.
- **Raute**: eine Weiche. An den Pfeilen steht die Bedingung; "sonst" gilt für den Rest.
- **Flow …**: ein Sprung in einen anderen Flow. Gestrichelt geht es weiter, wenn der
  andere Flow zurückkehrt ("zurück") oder nach dem Gespräch mit einem Menschen ("nach /bot").
- **Rot**: ein Fehler (mit der Meldung von `validate`), eine Sackgasse oder ein Schritt, der
  nie erreicht wird.
- **Orange**: eine Frage, von der kein Weg zurück ins Hauptmenü führt.
"""


def docs_texts(graphs: Sequence[FlowGraph]) -> dict[str, str]:
    """The text files of the folder by name: ``<flow>.mmd`` for each flow, and the index."""
    files = {f"{graph.name}.mmd": to_mermaid(graph) for graph in graphs}
    files[INDEX] = index(graphs)
    return files


def index(graphs: Sequence[FlowGraph]) -> str:
    """The folder's README: how to read the pictures, and one row per flow."""
    rows = [
        f"| {g.name} | {g.description} | {_count(g.nodes, STEP_KINDS)} "
        f"| {_count(g.nodes, {Kind.ASK, Kind.INPUT})} | {_marked(g)} "
        f"| [svg]({g.name}.svg) · [mermaid]({g.name}.mmd) | [{g.file}](../../{g.file}) |"
        for g in graphs
    ]
    return "\n".join(
        [
            "# Flow pictures",
            "",
            f"Made from `flows/` and `locales/de.yaml` by `{COMMAND}`; do not edit them by",
            "hand. `tests/cli/test_graph.py` fails when they are stale.",
            "",
            LEGEND,
            "| Flow | What for | Steps | Questions | Marked | Picture | Source |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
        ]
    )


def _count(nodes: Sequence[Node], kinds: frozenset[Kind] | set[Kind]) -> int:
    return sum(node.kind in kinds for node in nodes)


def _marked(graph: FlowGraph) -> str:
    red = sum(node.colour == "red" for node in graph.nodes)
    orange = sum(node.colour == "orange" for node in graph.nodes)
    found = [f"{red} rot"] * bool(red) + [f"{orange} orange"] * bool(orange)
    return ", ".join(found) or "–"
