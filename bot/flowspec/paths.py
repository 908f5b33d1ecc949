"""Paths through flows, across gotos and returns: how far help is, and whether a question
leads back.

A resident who typed their need should meet the first concrete referral (a place card or a
person) after at most two further questions, usually only "where do you live?". This walks
every path from a topic's entry, through branches and called flows, and reports the worst.
A question should also never trap anyone: some answer must lead back to the main menu.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from bot.flowspec.checks import KIND_OF, WAITING_KINDS, leaves_flow, successors
from bot.flowspec.flowset import FlowSet
from bot.flowspec.model import (
    AskStep,
    BranchStep,
    EndStep,
    GotoStep,
    HandoffStep,
    InputStep,
    ReferStep,
    SayStep,
    SetStep,
)

MAX_DEPTH = 60
"""Longer automatic chains are loops; validation reports those separately."""

Frame = tuple[str, str]


class _Walk(NamedTuple):
    """Where a path stands: the return points of called flows, and what it went through."""

    stack: tuple[Frame, ...]
    seen: frozenset[Frame]
    menu: str

    def through(self, frame: Frame) -> _Walk:
        return self._replace(seen=self.seen | {frame})


def questions_before_help(
    flows: FlowSet, flow: str, step: str | None = None, *, menu: str = "welcome"
) -> int | None:
    """The most questions on any path from ``flow`` (at ``step``) to the first referral or
    handoff; None when no path reaches one.

    Paths that end with information only (say "call 116 117", then goodbye) are not
    counted: the information is the help. An option that asks for input ("📍 type your
    street") is one question together with that input. A path into another topic's flow,
    or back to the ``menu`` flow, starts a new need and is not followed.
    """
    start = step or flows.flows[flow].start
    return _worst(flows, (flow, start), _Walk((), frozenset(), menu))


def _worst(flows: FlowSet, frame: Frame, walk: _Walk) -> int | None:
    step = flows.step(*frame)
    if step is None or frame in walk.seen or len(walk.seen) > MAX_DEPTH or frame[0] == walk.menu:
        return None
    if isinstance(step, ReferStep | HandoffStep):
        return 0
    here, walk = frame[0], walk.through(frame)
    if isinstance(step, AskStep):
        nexts = [_past_input(flows, here, o.next) for o in step.options]
        return _most([_after(flows, here, n, walk) for n in nexts], 1)
    if isinstance(step, InputStep):
        return _most([_after(flows, here, step.next, walk)], 1)
    if isinstance(step, BranchStep):
        targets = [r.next for r in step.branch] + [step.else_]
        return _most([_worst(flows, (here, t), walk) for t in targets], 0)
    if isinstance(step, GotoStep):
        return _goto(flows, here, step, walk)
    if isinstance(step, SayStep | SetStep):
        return _after(flows, here, step.next, walk)
    if isinstance(step, EndStep) and walk.stack:
        return _worst(flows, walk.stack[-1], walk._replace(stack=walk.stack[:-1]))
    return None


def _goto(flows: FlowSet, here: str, step: GotoStep, walk: _Walk) -> int | None:
    if isinstance(step.goto, str):
        return _worst(flows, (here, step.goto), walk)
    target = flows.flows.get(step.goto.flow)
    if target is None or (target.topic and not step.goto.return_ and target.id != here):
        return None  # another topic: a new need, counted from its own start
    if step.goto.return_ and step.next:
        walk = walk._replace(stack=(*walk.stack, (here, step.next)))
    return _worst(flows, (target.id, step.goto.step or target.start), walk)


def _most(counts: list[int | None], extra: int) -> int | None:
    known = [c for c in counts if c is not None]
    return extra + max(known) if known else None


def _past_input(flows: FlowSet, flow: str, next_step: str | None) -> str | None:
    step = flows.step(flow, next_step) if next_step else None
    return step.next if isinstance(step, InputStep) else next_step


def _after(flows: FlowSet, flow: str, next_step: str | None, walk: _Walk) -> int | None:
    if next_step:
        return _worst(flows, (flow, next_step), walk)
    if walk.stack:
        return _worst(flows, walk.stack[-1], walk._replace(stack=walk.stack[:-1]))
    return None


MAX_CALLS = 8
"""Deeper nesting of flows called with ``return: true`` is a recursion; it is not followed."""

Calls = tuple[Frame, ...]


def has_way_back(flows: FlowSet, flow: str, step: str, *, menu: str = "welcome") -> bool:
    """True when some path from a question (or input) leads back to the main menu.

    Back means: into the opening of the ``menu`` flow (its steps up to its first question),
    to the end of the conversation (the next message opens the menu), or to a handoff
    without ``next`` (``/bot`` then opens the menu). An ending flow that was called with
    ``return: true`` goes on where it was called. The built-in back button does not count:
    it only retraces the way in.
    """
    home = _opening(flows, menu)
    seen: set[tuple[Frame, Calls]] = set()
    todo = list(_moves(flows, (flow, step), ()))
    while todo:
        move = todo.pop()
        if move is None or move[0] in home:
            return True
        if move in seen or len(move[1]) > MAX_CALLS:
            continue
        seen.add(move)
        todo.extend(_moves(flows, *move))
    return False


def _moves(flows: FlowSet, frame: Frame, calls: Calls) -> Iterator[tuple[Frame, Calls] | None]:
    """Where a step can lead, with the return points of called flows; None: the main menu."""
    step = flows.step(*frame)
    here = frame[0]
    if isinstance(step, GotoStep) and not isinstance(step.goto, str):
        target = flows.flows.get(step.goto.flow)
        if target is not None:
            back = ((here, step.next),) if step.goto.return_ and step.next else ()
            yield (target.id, step.goto.step or target.start), (*calls, *back)
        return
    if step is None:
        return
    yield from (((here, target), calls) for _, target in successors(step))
    if isinstance(step, HandoffStep):
        if step.next is None:
            yield None
    elif leaves_flow(step):
        yield (calls[-1], calls[:-1]) if calls else None


def _opening(flows: FlowSet, menu: str) -> set[Frame]:
    """The menu flow's steps from its start up to and including its first questions."""
    flow = flows.flows.get(menu)
    if flow is None:
        return set()
    found: set[Frame] = set()
    todo = [flow.start]
    while todo:
        step_id = todo.pop()
        step = flow.steps.get(step_id)
        if step is None or (menu, step_id) in found:
            continue
        found.add((menu, step_id))
        if KIND_OF[type(step)] not in WAITING_KINDS:
            todo.extend(target for _, target in successors(step))
    return found
