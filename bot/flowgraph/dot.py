"""Flow pictures as Graphviz ``dot`` source, built with the ``graphviz`` package.

Building the source needs no Graphviz program; rendering to svg or png calls the system's
``dot`` (Debian package ``graphviz``), see :func:`render`.
"""

from __future__ import annotations

import hashlib
import html

import graphviz

from bot.flowgraph.model import FlowGraph, Kind, Node

FONT = "DejaVu Sans"
"""A font with German umlauts on every Debian; emoji in button labels come from
fonts-noto-color-emoji where it is installed."""

SHAPES = {
    Kind.ASK: {"shape": "box", "style": "rounded,filled", "fillcolor": "#e3eefb"},
    Kind.INPUT: {"shape": "box", "style": "rounded,filled,dashed", "fillcolor": "#e3eefb"},
    Kind.BRANCH: {"shape": "diamond"},
    Kind.SET: {"shape": "box", "style": "dashed"},
    Kind.GOTO: {"shape": "box", "style": "rounded,dashed"},
    Kind.FLOW: {"shape": "tab", "style": "filled", "fillcolor": "#eeeeee"},
    Kind.REFER: {"shape": "component", "style": "filled", "fillcolor": "#e2f3e5"},
    Kind.HANDOFF: {"shape": "house", "style": "filled", "fillcolor": "#e2f3e5"},
    Kind.END: {"shape": "box", "style": "rounded", "peripheries": "2"},
    Kind.FINISH: {"shape": "box", "style": "rounded", "peripheries": "2"},
    Kind.START: {"shape": "circle"},
    Kind.MISSING: {"shape": "octagon"},
    Kind.NOTE: {"shape": "note"},
}
"""Node shapes by kind; every other kind is a plain box."""

COLOURS = {
    "red": {"fillcolor": "#ffd6d6", "color": "#c00000", "penwidth": "3"},
    "orange": {"fillcolor": "#ffe2b8", "color": "#e07000", "penwidth": "3"},
}
"""Red for errors, dead ends and unreachable steps; orange for questions with no way back."""


def to_dot(graph: FlowGraph, *, fingerprint: bool = False) -> graphviz.Digraph:
    """One flow as a Graphviz digraph; ``fingerprint`` adds :func:`fingerprint` as a comment
    that dot copies into the svg, so a stale picture can be told without rendering."""
    dot = graphviz.Digraph(
        graph.name,
        graph_attr={
            "label": graphviz.escape(graph.heading),
            "labelloc": "t",
            "fontname": FONT,
            "fontsize": "16",
            "rankdir": "TB",
        },
        node_attr={"fontname": FONT, "fontsize": "11", "shape": "box"},
        edge_attr={"fontname": FONT, "fontsize": "10"},
    )
    if fingerprint:
        dot.attr(comment=f"lotse dot source sha256 {source_fingerprint(graph)}")
    for node in graph.nodes:
        dot.node(node.id, _label(node), **_style(node))
    for edge in graph.edges:
        extra = {"style": "dashed"} if edge.dashed else {}
        dot.edge(edge.source, edge.target, graphviz.escape(edge.label), **extra)
    return dot


def source_fingerprint(graph: FlowGraph) -> str:
    """The sha256 of the dot source (without the fingerprint), kept inside generated svgs."""
    return hashlib.sha256(to_dot(graph).source.encode()).hexdigest()


def render(graph: FlowGraph, fmt: str, *, fingerprint: bool = False) -> bytes:
    """Render with the system's ``dot``; raises ``graphviz.ExecutableNotFound`` without it."""
    rendered: bytes = to_dot(graph, fingerprint=fingerprint).pipe(format=fmt)
    return rendered


def _label(node: Node) -> str:
    """An HTML-like label: the step's name in bold, then its lines."""
    title, *lines = (html.escape(line, quote=False) for line in node.text)
    return f"<<b>{title}</b>{''.join(f'<br/>{line}' for line in lines)}>"


def _style(node: Node) -> dict[str, str]:
    shape = SHAPES.get(node.kind, {})
    colour = COLOURS.get(node.colour or "")
    if colour is None:
        return shape
    styles = {*shape.get("style", "").split(","), "filled", "bold"} - {""}
    return {**shape, **colour, "style": ",".join(sorted(styles))}
