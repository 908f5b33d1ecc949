"""A flow as a picture: nodes with German text, edges with button labels, and marks.

The model knows nothing of mermaid or Graphviz; :mod:`bot.flowgraph.mermaid` and
:mod:`bot.flowgraph.dot` draw it. Node ids are safe in both languages.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from enum import StrEnum

WIDTH = 34
"""Characters per line in a node; longer texts wrap."""


class Kind(StrEnum):
    """What a node stands for: a step kind, or a node the picture adds."""

    SAY = "say"
    ASK = "ask"
    INPUT = "input"
    BRANCH = "branch"
    SET = "set"
    GOTO = "goto"
    REFER = "refer"
    HANDOFF = "handoff"
    END = "end"
    START = "start"
    FINISH = "finish"
    """The flow ends here without an ``end`` step (a step without ``next``)."""
    FLOW = "flow"
    """Another flow, entered by a goto."""
    MISSING = "missing"
    """A target that does not exist."""
    BROKEN = "broken"
    """A step the validator rejected."""
    NOTE = "note"
    """Errors of the flow or file as a whole."""


class Mark(StrEnum):
    """What is wrong with a node; the colour and a short German line say it."""

    ERROR = "Fehler"
    DEAD_END = "Sackgasse"
    UNREACHABLE = "nie erreicht"
    NO_WAY_BACK = "kein Weg zurück ins Menü"


RED = frozenset({Mark.ERROR, Mark.DEAD_END, Mark.UNREACHABLE})
ORANGE = frozenset({Mark.NO_WAY_BACK})


@dataclass(frozen=True)
class Node:
    """One box of the picture."""

    id: str
    kind: Kind
    title: str
    lines: tuple[str, ...] = ()
    """What the node shows below its title (German texts, already shortened)."""
    marks: frozenset[Mark] = frozenset()
    notes: tuple[str, ...] = ()
    """The validator's errors located here."""

    @property
    def text(self) -> tuple[str, ...]:
        """Every line the node shows: title, content, then what is wrong, with a warning sign."""
        warnings = [f"⚠ {mark}" for mark in Mark if mark in self.marks and mark is not Mark.ERROR]
        notes = [line for note in self.notes for line in shorten(f"⚠ {note}", 4, WIDTH + 8)]
        return (self.title, *self.lines, *warnings, *notes)

    @property
    def colour(self) -> str | None:
        """``red`` for errors, dead ends and unreachable steps, ``orange`` for no way back."""
        if self.marks & RED:
            return "red"
        return "orange" if self.marks & ORANGE else None


@dataclass(frozen=True)
class Edge:
    """One arrow; ``label`` is a German button label or a condition."""

    source: str
    target: str
    label: str = ""
    dashed: bool = False
    """A way that is taken later: after a called flow returns, or after a person."""


@dataclass(frozen=True)
class FlowGraph:
    """The picture of one flow file."""

    name: str
    file: str
    description: str = ""
    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()

    def marked(self, mark: Mark) -> list[str]:
        """The titles of the nodes with ``mark``, in drawing order."""
        return [node.title for node in self.nodes if mark in node.marks]

    @property
    def heading(self) -> str:
        """One line naming the flow, its file and what it is for."""
        about = f": {self.description}" if self.description else ""
        return f"Flow {self.name} ({self.file}){about}"


def shorten(text: str, lines: int = 2, width: int = WIDTH) -> tuple[str, ...]:
    """Wrap ``text`` into at most ``lines`` lines; a cut ends with "…"."""
    wrapped = textwrap.wrap(" ".join(text.split()), width, max_lines=lines, placeholder=" …")
    return tuple(wrapped) or ("",)
