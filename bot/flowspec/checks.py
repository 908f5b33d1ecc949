"""Meaning checks over loaded flows, one small function per rule.

Each function yields :class:`~bot.source.Issue` values located at the offending key.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.flowspec.model import (
    STEP_MODELS,
    AskStep,
    BranchStep,
    EndStep,
    Flow,
    GotoStep,
    HandoffStep,
    Step,
)
from bot.source import Document, Issue
from bot.source.issues import did_you_mean

if TYPE_CHECKING:
    from bot.flowspec.flowset import FlowSet

KIND_OF = {model: kind for kind, model in STEP_MODELS.items()}
WAITING_KINDS = ("ask", "input")
"""Steps that wait for the resident; every loop must pass through one of them."""


def successors(step: Step) -> list[tuple[tuple[str | int, ...], str]]:
    """Return the steps of the same flow a step can lead to, with the key path naming each."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    if isinstance(step, AskStep):
        found += [(("options", i, "next"), o.next) for i, o in enumerate(step.options) if o.next]
    elif isinstance(step, BranchStep):
        found += [(("branch", i, "next"), rule.next) for i, rule in enumerate(step.branch)]
        found.append((("else",), step.else_))
    elif isinstance(step, GotoStep) and isinstance(step.goto, str):
        found.append((("goto",), step.goto))
    following = getattr(step, "next", None)
    if isinstance(following, str):
        found.append((("next",), following))
    return found


def leaves_flow(step: Step) -> bool:
    """True when a step can end the flow or hand over (a way out of any loop)."""
    if isinstance(step, EndStep | HandoffStep):
        return True
    if isinstance(step, GotoStep):
        return not isinstance(step.goto, str)
    if isinstance(step, AskStep):
        return any(o.next is None for o in step.options)
    return not isinstance(step, BranchStep) and getattr(step, "next", None) is None


def check_flow(flow: Flow, flowset: FlowSet, doc: Document) -> Iterator[Issue]:
    """Run every meaning check on one flow."""
    yield from check_start(flow, doc)
    yield from check_targets(flow, doc)
    yield from check_gotos(flow, flowset, doc)
    yield from check_reachable(flow, doc, flowset)
    yield from check_busy_loops(flow, doc)
    yield from check_way_out(flow, doc)
    yield from check_button_data(flow, doc)


def check_start(flow: Flow, doc: Document) -> Iterator[Issue]:
    """F105: the start step must exist."""
    if flow.start not in flow.steps:
        yield doc.issue(
            ("start",),
            "F105",
            f"start step {flow.start!r} does not exist",
            did_you_mean(flow.start, flow.steps),
        )


def check_targets(flow: Flow, doc: Document) -> Iterator[Issue]:
    """F103: every ``next``, option, branch and ``goto`` target must be a step of the flow."""
    for step_id, step in flow.steps.items():
        for path, target in successors(step):
            if target not in flow.steps:
                yield doc.issue(
                    ("steps", step_id, *path),
                    "F103",
                    f"step {step_id!r}: {path[-1]} {target!r} does not exist",
                    did_you_mean(target, flow.steps),
                )


def check_gotos(flow: Flow, flowset: FlowSet, doc: Document) -> Iterator[Issue]:
    """F104: a ``goto`` to another flow must name an existing flow and step."""
    for step_id, step in flow.steps.items():
        if not isinstance(step, GotoStep) or isinstance(step.goto, str):
            continue
        target = flowset.flows.get(step.goto.flow)
        if target is None:
            yield doc.issue(
                ("steps", step_id, "goto", "flow"),
                "F104",
                f"step {step_id!r}: flow {step.goto.flow!r} does not exist",
                did_you_mean(step.goto.flow, flowset.flows),
            )
        elif step.goto.step and step.goto.step not in target.steps:
            yield doc.issue(
                ("steps", step_id, "goto", "step"),
                "F104",
                f"step {step_id!r}: flow {target.id!r} has no step {step.goto.step!r}",
                did_you_mean(step.goto.step, target.steps),
            )
        if step.goto.return_ and not step.next:
            yield doc.issue(
                ("steps", step_id, "goto"),
                "F104",
                f"step {step_id!r}: 'return: true' needs 'next' (where to go back to)",
            )


def unreachable_steps(flow: Flow, flowset: FlowSet) -> list[str]:
    """The steps reached neither from the start step nor by a goto from another flow."""
    entries = {flow.start} | {
        step.goto.step
        for other in flowset.flows.values()
        for step in other.steps.values()
        if isinstance(step, GotoStep)
        and not isinstance(step.goto, str)
        and step.goto.flow == flow.id
        and step.goto.step
    }
    seen = set().union(*(reachable(flow, entry) for entry in entries))
    return [step_id for step_id in flow.steps if step_id not in seen]


def check_reachable(flow: Flow, doc: Document, flowset: FlowSet) -> Iterator[Issue]:
    """F106: every step must be reachable from the start step or a goto from another flow."""
    for step_id in unreachable_steps(flow, flowset):
        yield doc.issue(
            ("steps", step_id),
            "F106",
            f"step {step_id!r} can never be reached from start {flow.start!r}",
            "link to it with next, an option or a branch, or remove it",
        )


def check_busy_loops(flow: Flow, doc: Document) -> Iterator[Issue]:
    """F107: a loop that never waits for the resident would spin forever."""
    for step_id, step in flow.steps.items():
        if _kind(step) in WAITING_KINDS:
            continue
        if _cycles_back(flow, step_id):
            yield doc.issue(
                ("steps", step_id),
                "F107",
                f"step {step_id!r} is in a loop that never waits for the resident",
                "put an ask or input step into the loop",
            )


def trapped_steps(flow: Flow) -> list[str]:
    """The steps from which no path ends the flow, hands over or goes to another flow."""
    exits = {sid for sid, step in flow.steps.items() if leaves_flow(step)}
    return [step_id for step_id in flow.steps if not (reachable(flow, step_id) & exits)]


def check_way_out(flow: Flow, doc: Document) -> Iterator[Issue]:
    """F108: from every step, some path must end the flow, hand over or go to another flow."""
    for step_id in trapped_steps(flow):
        yield doc.issue(
            ("steps", step_id),
            "F108",
            f"step {step_id!r} is in a loop with no way out",
            "add an option or branch that leads to an end, a handoff or a goto",
        )


CALLBACK_BYTES = 64
"""Telegram's limit for a button's data: ``<flow>.<step>|<option>`` must fit."""
BUILT_IN_OPTIONS = ("_back", "_lang")


def check_button_data(flow: Flow, doc: Document) -> Iterator[Issue]:
    """F112: a question's id and each option id must fit into Telegram's 64-byte button data."""
    for step_id, step in flow.steps.items():
        if not isinstance(step, AskStep):
            continue
        for index, option_id in enumerate([o.id for o in step.options] + list(BUILT_IN_OPTIONS)):
            data = f"{flow.id}.{step_id}|{option_id}"
            if len(data.encode()) > CALLBACK_BYTES:
                path = (
                    ("steps", step_id, "options", index)
                    if index < len(step.options)
                    else ("steps", step_id)
                )
                yield doc.issue(
                    path,
                    "F112",
                    f"button data {data!r} has {len(data.encode())} "
                    f"bytes; Telegram allows {CALLBACK_BYTES}",
                    "use shorter flow, step or option ids",
                )
                break


def reachable(flow: Flow, start: str) -> set[str]:
    """The steps of ``flow`` that ``start`` leads to, itself included (missing ones left out)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        current = todo.pop()
        if current in seen or current not in flow.steps:
            continue
        seen.add(current)
        todo.extend(target for _, target in successors(flow.steps[current]))
    return seen


def _cycles_back(flow: Flow, origin: str) -> bool:
    """True when ``origin`` can reach itself through steps that do not wait."""
    seen: set[str] = set()
    todo = [t for _, t in successors(flow.steps[origin])]
    while todo:
        current = todo.pop()
        if current == origin:
            return True
        step = flow.steps.get(current)
        if current in seen or step is None or _kind(step) in WAITING_KINDS:
            continue
        seen.add(current)
        todo.extend(t for _, t in successors(step))
    return False


def _kind(step: Step) -> str:
    return KIND_OF[type(step)]
