"""Every flow, every button combination, in German: each path ends in real help.

Breadth-first over sessions, deduplicated by (flow, step, variables, return stack, mode, help
seen so far). A path ends well when, before it stops, the resident got a place card, a phone
number in a message, a person (handoff), or came back to the main menu. No path may crash,
stop without help, or leave a question whose buttons lead nowhere.

Then every ``refer`` step, for every quarter a resident can choose: it shows at least one
place, and were the directory ever empty, its "no places" text is followed by a question that
offers a person.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import real_lotse
from real_lotse import TUESDAY_10, Resident, gives_help, keys, leaks

from bot.core import steps
from bot.core.dialogue import Turn
from bot.core.engine import Engine
from bot.core.events import Button, Location, Text
from bot.core.ports import GeoPoint, PlaceMatch, PlaceQuery
from bot.core.replies import Ask, End, PlaceCard, Reply, Say
from bot.core.session import Frame, Mode, Session
from bot.flowspec.model import (
    AskStep,
    BranchStep,
    GotoStep,
    HandoffStep,
    InputStep,
    ReferStep,
    SayStep,
    SetStep,
)

MAX_PRESSES = 30
"""No path needs more presses than this to find help; deeper means a loop without help."""
MAIN_MENU = ("welcome", "menu")
QUARTER_FLOW, QUARTER_STEP, QUARTER_VAR = "choose_quarter", "ask_quarter", "quarter"
INPUTS: dict[str, tuple[Text | Location, ...]] = {
    # what a resident sends at an input step: a known street, an unknown one, a location
    "street": (
        Text(at=TUESDAY_10, text="Marienthaler Straße", language_hint="de"),
        Text(at=TUESDAY_10, text="Musterweg 1", language_hint="de"),
        Location(at=TUESDAY_10, point=GeoPoint(52.113, 9.392), language_hint="de"),
    ),
    "location": (Location(at=TUESDAY_10, point=GeoPoint(52.113, 9.392), language_hint="de"),),
    "text": (Text(at=TUESDAY_10, text="Ich weiß es nicht genau", language_hint="de"),),
    "number": (Text(at=TUESDAY_10, text="3", language_hint="de"),),
    "date": (Text(at=TUESDAY_10, text="01.12.2026", language_hint="de"),),
}
_TEMPLATE = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Path:
    """Where a path is, what it has pressed, and whether help has appeared on it."""

    session: Session
    replies: tuple[Reply, ...]
    helped: bool
    presses: tuple[str, ...]

    def key(self) -> object:
        session = self.session
        return (
            session.flow,
            session.step,
            tuple(sorted(session.vars.items())),
            session.stack,
            session.mode,
            self.helped,
        )


def _german_resident(lotse: Engine) -> Session:
    resident = Resident(lotse, hint="de")
    resident.ready_in("de")
    return resident.session.model_copy(update={"history": ()})


def _caller(lotse: Engine, flow_id: str) -> Frame | None:
    """Where a flow that is only ever called (``return: true``) returns to, if it is one."""
    returns = []
    for caller_id, caller in sorted(lotse.flows.flows.items()):
        for step in caller.steps.values():
            if not isinstance(step, GotoStep) or isinstance(step.goto, str):
                continue
            if step.goto.flow != flow_id:
                continue
            if not (step.goto.return_ and step.next):
                return None  # also entered for good: explore it on its own
            returns.append(Frame(flow=caller_id, step=step.next))
    return returns[0] if returns else None


def _enter(lotse: Engine, flow_id: str) -> Path:
    """A German resident who has just entered ``flow_id`` (as its callers would)."""
    session = _german_resident(lotse)
    caller = _caller(lotse, flow_id)
    turn = Turn(
        session=session.model_copy(update={"stack": (caller,) if caller else ()}), at=TUESDAY_10
    )
    lotse.enter_flow(turn, flow_id)
    replies = tuple(turn.replies)
    return Path(turn.session, replies, gives_help(replies), (flow_id,))


def _next_events(lotse: Engine, path: Path) -> Iterator[tuple[str, Button | Text | Location]]:
    """Every answer the resident can give where the path waits."""
    session = path.session
    step = lotse.flows.step(session.flow or "", session.step or "")
    if isinstance(step, AskStep):
        question = [r for r in path.replies if isinstance(r, Ask)][-1]
        for option in question.options:
            if not option.id.startswith("_"):  # back and language are tested elsewhere
                yield (
                    option.id,
                    Button(
                        at=TUESDAY_10, step=question.step, option=option.id, language_hint="de"
                    ),
                )
    elif isinstance(step, InputStep):
        for event in INPUTS[step.input]:
            yield f"{step.input}:{getattr(event, 'text', 'location')}", event


def _ended(path: Path) -> bool:
    session = path.session
    return (
        session.mode is Mode.HANDOFF
        or any(isinstance(r, End) for r in path.replies)
        or (len(path.presses) > 1 and (session.flow, session.step) == MAIN_MENU)
    )


def explore(lotse: Engine, flow_id: str) -> tuple[int, list[str]]:
    """Press everything from the start of ``flow_id``; return (states seen, problems)."""
    problems: list[str] = []
    queue = deque([_enter(lotse, flow_id)])
    seen: set[object] = set()
    while queue:
        path = queue.popleft()
        if path.key() in seen:
            continue
        seen.add(path.key())
        where = " → ".join(path.presses)
        if leaked := leaks(path.replies):
            problems.append(f"{where}: {leaked}")
        if _ended(path):
            back_at_menu = (path.session.flow, path.session.step) == MAIN_MENU
            if not (path.helped or back_at_menu):
                problems.append(f"{where}: ends without help ({keys(path.replies)})")
            continue
        if len(path.presses) > MAX_PRESSES:
            problems.append(f"{where}: no help after {MAX_PRESSES} presses")
            continue
        answers = list(_next_events(lotse, path))
        if not answers:
            problems.append(f"{where}: dead end, nothing to press ({keys(path.replies)})")
        for label, event in answers:
            outcome = lotse.handle(event, path.session)
            replies = outcome.replies
            queue.append(
                Path(
                    outcome.session,
                    replies,
                    path.helped or gives_help(replies),
                    (*path.presses, label),
                )
            )
    return len(seen), problems


@pytest.mark.parametrize("flow_id", sorted(real_lotse.content().flows.flows))
def test_every_path_of_the_flow_ends_in_help(lotse: Engine, flow_id: str) -> None:
    """Every button combination reaches a place, a phone number, a person or the menu."""
    states, problems = explore(lotse, flow_id)
    assert states > 1, "the flow was not explored"
    assert not problems, "\n".join(problems[:20])


def test_every_flow_is_explored(lotse: Engine) -> None:
    """The parametrisation above covers all shipped flows (15 at the time of writing)."""
    assert len(lotse.flows.flows) >= 15
    assert lotse.settings.welcome_flow in lotse.flows.flows


def test_the_phone_pattern_knows_german_numbers() -> None:
    """The numbers the flows give: emergency, helplines, Hameln landlines, mobiles."""
    for number in ("110", "112", "116 016", "116 117", "05151 25299", "05151 202-3444"):
        assert real_lotse.PHONE.search(f"Rufen Sie {number} an."), number
    for number in ("0800 111 0 111", "+49 5151 576115", "0151 14197269", "030 1815 1111"):
        assert real_lotse.PHONE.search(f"Telefon: {number}"), number
    for not_a_phone in ("2014–2018", "10:00 bis 12:00", "Kaiserstraße 80", "31785 Hameln"):
        assert not real_lotse.PHONE.search(not_a_phone), not_a_phone


# -- refer steps ---------------------------------------------------------------------------


def _refer_steps() -> list[tuple[str, str]]:
    flows = real_lotse.content().flows.flows
    return [
        (flow_id, step_id)
        for flow_id, flow in sorted(flows.items())
        for step_id, step in flow.steps.items()
        if isinstance(step, ReferStep)
    ]


def _quarters(lotse: Engine) -> list[str]:
    """Every quarter a resident can end up with, and none ("I don't know").

    The four buttons, and every other quarter of the directory: a typed street or a shared
    location can give those too.
    """
    step = lotse.flows.step(QUARTER_FLOW, QUARTER_STEP)
    assert isinstance(step, AskStep)
    buttons = {o.id for o in step.options if o.next == "remember"}
    assert lotse.directory is not None
    known = {quarter.id for quarter in lotse.directory.quarters()}
    assert buttons <= known
    return [*sorted(known), ""]


def _template_values(lotse: Engine, flow_id: str, step: ReferStep) -> list[dict[str, str]]:
    """Every value the flow's options can give the variables the refer step names."""
    spec = step.refer
    names = _TEMPLATE.findall(" ".join(filter(None, (spec.topic, spec.audience, spec.place))))
    flow = lotse.flows.flows[flow_id]
    values = {
        name: sorted(
            {
                option.set[name]
                for s in flow.steps.values()
                if isinstance(s, AskStep)
                for option in s.options
                if name in option.set
            }
        )
        for name in names
    }
    for name, found in values.items():
        assert found, f"{flow_id}: nothing sets {{{name}}}"
    return [dict(zip(values, combo, strict=True)) for combo in itertools.product(*values.values())]


def _run_refer(lotse: Engine, flow_id: str, step_id: str, variables: dict[str, str]) -> Turn:
    session = _german_resident(lotse).with_vars(**variables)
    turn = Turn(session=session, at=TUESDAY_10)
    steps.run(lotse, turn, Frame(flow=flow_id, step=step_id))
    return turn


def _leads_to_handoff(lotse: Engine, flow_id: str, step_id: str | None, hops: int = 6) -> bool:
    """True when the step (following says, sets, branches and gotos) reaches a handoff."""
    if step_id is None or hops == 0:
        return False
    step = lotse.flows.step(flow_id, step_id)
    if isinstance(step, HandoffStep):
        return True
    if isinstance(step, SayStep | SetStep):
        return _leads_to_handoff(lotse, flow_id, step.next, hops - 1)
    if isinstance(step, BranchStep):
        targets = [rule.next for rule in step.branch] + [step.else_]
        return all(_leads_to_handoff(lotse, flow_id, t, hops - 1) for t in targets)
    if isinstance(step, GotoStep) and isinstance(step.goto, str):
        return _leads_to_handoff(lotse, flow_id, step.goto, hops - 1)
    return False


@pytest.mark.parametrize(("flow_id", "step_id"), _refer_steps())
def test_refer_finds_places_for_every_quarter(lotse: Engine, flow_id: str, step_id: str) -> None:
    """Every quarter (and "I don't know") gets at least one place card."""
    step = lotse.flows.step(flow_id, step_id)
    assert isinstance(step, ReferStep)
    empty = []
    for quarter in _quarters(lotse):
        for variables in _template_values(lotse, flow_id, step):
            turn = _run_refer(lotse, flow_id, step_id, {QUARTER_VAR: quarter, **variables})
            if not any(isinstance(r, PlaceCard) for r in turn.replies):
                empty.append((quarter or "(none)", variables, keys(turn.replies)))
    assert not empty


class _NothingFound:
    """The real directory, except that it never finds a place."""

    def __init__(self, directory: object) -> None:
        self._directory = directory

    def find(self, query: PlaceQuery) -> list[PlaceMatch]:
        del query
        return []

    def __getattr__(self, name: str) -> object:
        return getattr(self._directory, name)


@pytest.fixture(scope="module")
def lotse_without_places() -> Engine:
    """The real engine over a directory that finds nothing."""
    real = real_lotse.engine()
    return Engine(
        real.flows,
        real.texts,
        real.settings,
        directory=_NothingFound(real.directory),  # type: ignore[arg-type]
        matcher=real.matcher,
    )


@pytest.mark.parametrize(("flow_id", "step_id"), _refer_steps())
def test_refer_without_places_offers_a_person(
    lotse_without_places: Engine, flow_id: str, step_id: str
) -> None:
    """No place found: the "none" text, then a question with a button that hands over.

    Where the text points at the "💬" button by its label, that button is on screen.
    """
    lotse = lotse_without_places
    step = lotse.flows.step(flow_id, step_id)
    assert isinstance(step, ReferStep)
    turn = _run_refer(lotse, flow_id, step_id, {QUARTER_VAR: ""})
    replies = turn.replies
    none_key = step.none or "system.no_places"
    assert isinstance(replies[0], Say), keys(replies)
    assert replies[0].key == none_key
    assert not any(isinstance(r, PlaceCard) for r in replies)
    question = replies[-1]
    assert isinstance(question, Ask), keys(replies)
    position = turn.session.position
    assert position is not None
    asked = lotse.flows.step(position.flow, position.step)
    assert isinstance(asked, AskStep)
    handing_over = [o for o in asked.options if _leads_to_handoff(lotse, position.flow, o.next)]
    assert handing_over, f"{question.key}: no button hands over to a person"
    labels = {o.label for o in question.options}
    for option in handing_over:
        label = lotse.texts.text("de", option.label)
        if label in replies[0].text:
            assert label in labels
