"""Turn flows into pictures: steps, buttons, branches, gotos, referrals and handoffs, with
dead ends, unreachable steps and questions without a way back marked.

The marks reuse the validator's rules (:mod:`bot.flowspec.checks`,
:mod:`bot.flowspec.paths`) and its issues, so a picture and ``validate`` always agree. A file
that failed validation is still drawn from its YAML: the steps that are valid as usual, the
others as red boxes carrying their errors.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bot.flowgraph.model import Edge, FlowGraph, Kind, Mark, Node, shorten
from bot.flowspec import FlowSet
from bot.flowspec.checks import (
    KIND_OF,
    WAITING_KINDS,
    trapped_steps,
    unreachable_steps,
)
from bot.flowspec.model import (
    AskStep,
    BranchStep,
    Condition,
    EndStep,
    Flow,
    GotoStep,
    HandoffStep,
    InputStep,
    ReferStep,
    SayStep,
    SetStep,
    Step,
)
from bot.flowspec.paths import has_way_back
from bot.source import Document, Issue, Severity, load_documents

INPUT_NAMES = {
    "text": "Text",
    "number": "Zahl",
    "date": "Datum",
    "street": "Straße",
    "location": "Standort",
}
DEAD = frozenset({Mark.DEAD_END})
UNCHECKED = "Die Datei hat Fehler: ob jeder Schritt erreicht wird, ist noch nicht geprüft."

_STEP = TypeAdapter[Step](Step)


def build_graphs(
    flows: FlowSet,
    issues: Iterable[Issue],
    texts: Mapping[str, str],
    *,
    menu: str = "welcome",
    unloaded: Sequence[Document] = (),
) -> list[FlowGraph]:
    """Draw every loaded flow and every flow file that failed to load, sorted by name.

    ``texts`` maps text keys to their German text; ``menu`` is the flow of the main menu;
    ``unloaded`` are the documents of flow files that did not load (see
    :func:`unloaded_documents`).
    """
    errors = [issue for issue in issues if issue.severity is Severity.ERROR]
    graphs = [_loaded(flows, flow, errors, texts, menu) for flow in flows.flows.values()]
    names = {graph.name for graph in graphs}
    for doc in unloaded:
        graph = _unloaded(doc, flows, errors, texts, names)
        names.add(graph.name)
        graphs.append(graph)
    return sorted(graphs, key=lambda graph: graph.name)


def unloaded_documents(files: Iterable[Path], root: Path, flows: FlowSet) -> list[Document]:
    """The flow files that did not load (syntax or shape errors), read again for drawing."""
    loaded = {ref.file for (_, step), ref in flows.sources.items() if step is None}
    return [doc for doc in load_documents(files, root) if doc.file not in loaded]


class _Drawing:
    """Collects the nodes and edges of one flow's picture."""

    def __init__(
        self, steps: Iterable[str], flows: Mapping[str, Flow], texts: Mapping[str, str]
    ) -> None:
        self.steps = set(steps)
        self.flows = flows
        self.texts = texts
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []

    def text(self, key: str, lines: int = 2) -> tuple[str, ...]:
        return shorten(self.texts.get(key, key), lines)

    def add(self, node: Node) -> str:
        self.nodes.setdefault(node.id, node)
        return node.id

    def mark(self, node_id: str, *marks: Mark, notes: Sequence[str] = ()) -> None:
        node = self.nodes[node_id]
        self.nodes[node_id] = replace(
            node, marks=node.marks | set(marks), notes=(*node.notes, *notes)
        )

    def link(
        self, source: str, target: str | None, label: str = "", *, dashed: bool = False
    ) -> None:
        """An edge to a step of this flow; None: the flow ends there; unknown: missing."""
        if target is None:
            end = self.add(Node("n_finish", Kind.FINISH, "Flow endet"))
            self.edges.append(Edge(source, end, label, dashed))
        elif target in self.steps:
            self.edges.append(Edge(source, step_id(target), label, dashed))
        else:
            missing = self.add(Node(f"m_{_safe(target)}", Kind.MISSING, target, ("fehlt",), DEAD))
            self.edges.append(Edge(source, missing, label, dashed))

    def start(self, start: object) -> None:
        """The entry arrow; a file without a usable ``start`` gets none."""
        if isinstance(start, str):
            self.link(self.add(Node("n_start", Kind.START, "Start")), start)

    def step(self, name: str, step: Step) -> None:
        """Draw one valid step and its ways on."""
        me = step_id(name)
        kind = Kind(KIND_OF[type(step)])
        self.add(Node(me, kind, name, self.describe(step)))
        if isinstance(step, AskStep):
            for option in step.options:
                self.link(me, option.next, self.texts.get(option.label, option.label))
        elif isinstance(step, BranchStep):
            for rule in step.branch:
                self.link(me, rule.next, " und ".join(map(_condition, rule.conditions)))
            self.link(me, step.else_, "sonst")
        elif isinstance(step, GotoStep):
            self.goto(me, step)
        elif isinstance(step, HandoffStep):
            if step.next:
                self.link(me, step.next, "nach /bot", dashed=True)
        elif not isinstance(step, EndStep):
            self.link(me, step.next)

    def goto(self, me: str, step: GotoStep) -> None:
        if isinstance(step.goto, str):
            self.link(me, step.goto)
            return
        target = step.goto
        node_id = f"f_{_safe(target.flow)}" + (f"__{_safe(target.step)}" if target.step else "")
        lines = (f"Schritt {target.step}",) if target.step else ()
        node = Node(node_id, Kind.FLOW, f"Flow {target.flow}", lines)
        flow = self.flows.get(target.flow)
        if flow is None or (target.step and target.step not in flow.steps):
            node = replace(node, lines=(*lines, "fehlt"), marks=DEAD)
        self.edges.append(Edge(me, self.add(node), "mit Rückkehr" if target.return_ else ""))
        if target.return_ and step.next:
            self.link(me, step.next, "zurück", dashed=True)

    def describe(self, step: Step) -> tuple[str, ...]:
        """The German lines a step shows under its name."""
        if isinstance(step, SayStep):
            each = 2 if len(step.keys) == 1 else 1
            return ("Text:", *(line for key in step.keys for line in self.text(key, each)))
        if isinstance(step, AskStep):
            return ("Frage:", *self.text(step.ask, 3))
        if isinstance(step, InputStep):
            return (f"Eingabe ({INPUT_NAMES[step.input]}):", *self.text(step.prompt))
        if isinstance(step, BranchStep):
            return ("Weiche",)
        if isinstance(step, SetStep):
            return ("Merken:", *(f"{k} = {v or '(leer)'}" for k, v in step.set.items()))
        if isinstance(step, GotoStep):
            return ("Sprung",)
        if isinstance(step, ReferStep):
            spec = step.refer
            found = [("Thema", spec.topic), ("Zielgruppe", spec.audience)]
            found += [("Stadtteil", spec.quarter), ("Ort", spec.place)]
            wanted = [f"{name}: {value}" for name, value in found if value]
            intro = self.text(step.intro) if step.intro else ()
            return ("Orte zeigen", *wanted, f"höchstens {spec.limit}", *intro)
        if isinstance(step, HandoffStep):
            spec_h = step.handoff
            where = [f"{n}: {v}" for n, v in (("Thema", spec_h.topic), ("Ort", spec_h.place)) if v]
            said = self.text(step.text) if step.text else ()
            return ("An einen Menschen übergeben", *where, *said)
        return ("Ende", *(self.text(step.end) if step.end else ()))

    def broken(self, name: str, raw: object) -> None:
        """A step the validator rejected; its ways on as far as the YAML shows them."""
        me = self.add(Node(step_id(name), Kind.BROKEN, name, ("Schritt mit Fehlern",)))
        for label, target in _raw_links(raw):
            self.link(me, target, self.texts.get(label, label))

    def locate(self, errors: Iterable[Issue], lines: Mapping[str, int]) -> list[str]:
        """Attach errors to the step written at their line; returns those of the whole flow."""
        starts = sorted((line, name) for name, line in lines.items())
        whole = []
        for issue in errors:
            owner = [name for line, name in starts if line <= issue.line]
            if owner and step_id(owner[-1]) in self.nodes:
                self.mark(step_id(owner[-1]), Mark.ERROR, notes=[_note(issue)])
            else:
                whole.append(_note(issue))
        return whole

    def graph(self, name: str, file: str, description: str, notes: Sequence[str]) -> FlowGraph:
        if notes:
            self.add(
                Node(
                    "n_note",
                    Kind.NOTE,
                    "Fehler im Flow",
                    (),
                    frozenset({Mark.ERROR}),
                    tuple(notes),
                )
            )
        return FlowGraph(name, file, description, tuple(self.nodes.values()), tuple(self.edges))


def step_id(name: str) -> str:
    """The node id of a step."""
    return f"s_{_safe(name)}"


def _loaded(
    flows: FlowSet, flow: Flow, errors: list[Issue], texts: Mapping[str, str], menu: str
) -> FlowGraph:
    drawing = _Drawing(flow.steps, flows.flows, texts)
    drawing.start(flow.start)
    for name, step in flow.steps.items():
        drawing.step(name, step)
    for name in unreachable_steps(flow, flows):
        drawing.mark(step_id(name), Mark.UNREACHABLE)
    for name in trapped_steps(flow):
        drawing.mark(step_id(name), Mark.DEAD_END)
    for name, step in flow.steps.items():
        if KIND_OF[type(step)] in WAITING_KINDS and not has_way_back(
            flows, flow.id, name, menu=menu
        ):
            drawing.mark(step_id(name), Mark.NO_WAY_BACK)
    file = flows.sources[(flow.id, None)].file
    lines = {name: flows.sources[(flow.id, name)].line for name in flow.steps}
    whole = drawing.locate((i for i in errors if i.file == file), lines)
    return drawing.graph(flow.id, file, flow.description, whole)


def _unloaded(
    doc: Document, flows: FlowSet, errors: list[Issue], texts: Mapping[str, str], taken: set[str]
) -> FlowGraph:
    data = doc.data if isinstance(doc.data, dict) else {}
    raw_steps = data.get("steps")
    raw_steps = raw_steps if isinstance(raw_steps, dict) else {}
    names = {str(name): raw for name, raw in raw_steps.items()}
    drawing = _Drawing(names, flows.flows, texts)
    drawing.start(data.get("start"))
    for name, raw in names.items():
        step = _valid_step(raw)
        if step is None:
            drawing.broken(name, raw)
        else:
            drawing.step(name, step)
    lines = {str(name): doc.where(("steps", name))[0] for name in raw_steps}
    whole = drawing.locate((i for i in errors if i.file == doc.file), lines)
    name = _free_name(data.get("flow"), Path(doc.file).stem, taken)
    description = data.get("description")
    about = description if isinstance(description, str) else ""
    return drawing.graph(name, doc.file, about, [*whole, UNCHECKED])


def _valid_step(raw: Any) -> Step | None:
    try:
        return _STEP.validate_python(raw)
    except ValidationError:
        return None


def _raw_links(raw: object) -> list[tuple[str, str]]:
    """(button label key or "", target) pairs that a broken step's YAML names."""
    if not isinstance(raw, dict):
        return []
    links = [("", raw[key]) for key in ("next", "else", "goto") if isinstance(raw.get(key), str)]
    for item in [*_items(raw.get("options")), *_items(raw.get("branch"))]:
        if isinstance(item.get("next"), str):
            label = item.get("label")
            links.append((label if isinstance(label, str) else "", item["next"]))
    return links


def _items(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _condition(condition: Condition) -> str:
    """A branch condition in a few German words."""
    if condition.var is not None:
        if condition.equals is not None:
            return f"{condition.var} = {condition.equals}"
        if condition.in_ is not None:
            return f"{condition.var} = {' oder '.join(condition.in_)}"
        return f"{condition.var} {'gesetzt' if condition.is_set else 'leer'}"
    if condition.language is not None:
        return f"Sprache {', '.join(condition.language)}"
    if condition.quarter is not None:
        return f"Stadtteil {', '.join(condition.quarter)}"
    return f"{condition.open_now} geöffnet"


_STEP_PREFIX = re.compile(r"^step '[^']*':? ")


def _note(issue: Issue) -> str:
    """An error as a node shows it: code, message without the step name, did-you-mean."""
    hint = f" ({issue.hint})" if issue.hint.startswith("did you mean") else ""
    return f"{issue.code}: {_STEP_PREFIX.sub('', issue.message)}{hint}"


def _free_name(wanted: object, stem: str, taken: set[str]) -> str:
    name = wanted if isinstance(wanted, str) and wanted not in taken else stem
    while name in taken:
        name += "_"
    return name


def _safe(text: str) -> str:
    """An id made of a-z, 0-9 and _; other names get a short hash to stay apart."""
    if re.fullmatch(r"[a-z0-9_]*", text):
        return text
    cleaned = re.sub(r"[^a-z0-9_]", "_", text.lower())
    return f"{cleaned}_{hashlib.sha256(text.encode()).hexdigest()[:6]}"
