"""Flow pictures as mermaid text (GitHub, GitLab and many editors draw it)."""

from __future__ import annotations

from bot.flowgraph.model import Edge, FlowGraph, Kind, Node

SHAPES = {
    Kind.ASK: ('("', '")'),
    Kind.INPUT: ('[/"', '"/]'),
    Kind.BRANCH: ('{"', '"}'),
    Kind.GOTO: ('[["', '"]]'),
    Kind.FLOW: ('{{"', '"}}'),
    Kind.REFER: ('>"', '"]'),
    Kind.HANDOFF: ('>"', '"]'),
    Kind.END: ('(["', '"])'),
    Kind.FINISH: ('(["', '"])'),
    Kind.START: ('(("', '"))'),
}
"""Node shapes by kind; every other kind is a plain box."""

CLASSES = {
    "red": "fill:#ffd6d6,stroke:#c00000,stroke-width:3px,color:#000",
    "orange": "fill:#ffe2b8,stroke:#e07000,stroke-width:3px,color:#000",
    "question": "fill:#e3eefb,stroke:#4a78b5,color:#000",
    "help": "fill:#e2f3e5,stroke:#3f8f50,color:#000",
}
"""Fills: red and orange for problems, blue for questions, green for real help."""

_KIND_CLASS = {Kind.ASK: "question", Kind.INPUT: "question"}
_KIND_CLASS |= {Kind.REFER: "help", Kind.HANDOFF: "help"}


def to_mermaid(graph: FlowGraph) -> str:
    """One flow as a mermaid flowchart, deterministic for the same flow and texts."""
    out = [f"%% {graph.heading}", "flowchart TD"]
    out += [f"  {_node(node)}" for node in graph.nodes]
    out += [f"  {_edge(edge)}" for edge in graph.edges]
    out += [f"  classDef {name} {style}" for name, style in CLASSES.items()]
    for name in CLASSES:
        members = [node.id for node in graph.nodes if _class(node) == name]
        if members:
            out.append(f"  class {','.join(members)} {name}")
    return "\n".join(out) + "\n"


def _node(node: Node) -> str:
    left, right = SHAPES.get(node.kind, ('["', '"]'))
    return f"{node.id}{left}{'<br/>'.join(map(_escape, node.text))}{right}"


def _edge(edge: Edge) -> str:
    arrow = "-.->" if edge.dashed else "-->"
    label = f'|"{_escape(edge.label)}"|' if edge.label else ""
    return f"{edge.source} {arrow}{label} {edge.target}"


def _class(node: Node) -> str | None:
    return node.colour or _KIND_CLASS.get(node.kind)


def _escape(text: str) -> str:
    """Mermaid entity codes for the characters that end a label or start HTML."""
    return (
        text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    )
