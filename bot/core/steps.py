"""Running flow steps: what each step kind does, and how typed answers are understood."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.core import needs
from bot.core.buttons import extra_options
from bot.core.cards import place_card
from bot.core.conditions import holds, template
from bot.core.events import Location
from bot.core.matching import decisive
from bot.core.person import hand_off
from bot.core.ports import GeoPoint, PlaceQuery, Reading
from bot.core.replies import Ask, AskLocation, End, Option
from bot.core.session import Frame, Mode
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
    Step,
)
from bot.flowspec.model import Option as OptionSpec

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue, Turn

MAX_AUTOMATIC_STEPS = 200
"""A guard against loops that validation missed; a flow never needs this many in a row."""

CONFIDENT = 0.8
"""A typed answer scoring this high chooses an option directly."""
PLAUSIBLE = 0.5
"""Options scoring this high are offered as "did you mean" buttons."""
MAX_TEXT_INPUT = 1000


def step_key(frame: Frame) -> str:
    """The key of a question, used by channels to recognise stale buttons."""
    return f"{frame.flow}.{frame.step}"


def run(engine: Dialogue, turn: Turn, frame: Frame | None) -> None:
    """Execute steps from ``frame`` until one waits for the resident or the flow ends."""
    for _ in range(MAX_AUTOMATIC_STEPS):
        if frame is None:
            return
        step = engine.flows.step(frame.flow, frame.step)
        if step is None:
            msg = f"step {frame.step!r} of flow {frame.flow!r} does not exist"
            raise LookupError(msg)
        turn.session = turn.session.at(frame, engine.flows.versions.get(frame.flow))
        frame = _execute(engine, turn, frame, step)
    msg = f"more than {MAX_AUTOMATIC_STEPS} steps without waiting for the resident"
    raise RuntimeError(msg)


def _execute(engine: Dialogue, turn: Turn, frame: Frame, step: Step) -> Frame | None:
    """Do one step; return the next frame to run, or None to stop (waiting or ended)."""
    here = frame.flow
    if isinstance(step, AskStep) and (option := _heard(turn, frame, step)):
        # Answered in an earlier typed message: show what was understood and go on.
        engine.say(turn, "system.understood", answer=engine.text(turn, option.label))
        return _apply(engine, turn, frame, step, option)
    if isinstance(step, AskStep | InputStep):
        render(engine, turn, step)
        return None
    if isinstance(step, SayStep):
        for key in step.keys:
            engine.say(turn, key)
        return _follow(engine, turn, here, step.next)
    if isinstance(step, SetStep):
        values = {k: template(v, turn.session.vars) or "" for k, v in step.set.items()}
        turn.session = turn.session.with_vars(**values)
        return _follow(engine, turn, here, step.next)
    if isinstance(step, BranchStep):
        rule = next(
            (r for r in step.branch if all(holds(engine, turn, c) for c in r.conditions)), None
        )
        return Frame(flow=here, step=rule.next if rule else step.else_)
    if isinstance(step, GotoStep):
        return _goto(engine, turn, here, step)
    if isinstance(step, ReferStep):
        refer(engine, turn, step)
        return _follow(engine, turn, here, step.next)
    if isinstance(step, HandoffStep):
        variables = turn.session.vars
        topic = template(step.handoff.topic, variables) or engine.flows.flows[here].topic
        place = template(step.handoff.place, variables)
        hand_off(engine, turn, place=place, topic=topic, text_key=step.text)
        # Leaving the person later (/bot) continues at ``next``; without one, at the start.
        following = Frame(flow=here, step=step.next) if step.next else None
        turn.session = turn.session.at(following, engine.flows.versions.get(here))
        return None
    if isinstance(step, EndStep):
        return finish_flow(engine, turn, step.end)
    msg = f"unknown step kind {type(step).__name__}"
    raise TypeError(msg)


def _follow(engine: Dialogue, turn: Turn, flow: str, next_step: str | None) -> Frame | None:
    return Frame(flow=flow, step=next_step) if next_step else finish_flow(engine, turn, None)


def _goto(engine: Dialogue, turn: Turn, here: str, step: GotoStep) -> Frame | None:
    if isinstance(step.goto, str):
        return Frame(flow=here, step=step.goto)
    target = engine.flows.flows[step.goto.flow]
    if step.goto.return_ and step.next:
        turn.update(stack=(*turn.session.stack, Frame(flow=here, step=step.next)))
    turn.note("flow_start", flow=target.id, topic=target.topic)
    return Frame(flow=target.id, step=step.goto.step or target.start)


def finish_flow(engine: Dialogue, turn: Turn, text_key: str | None) -> Frame | None:
    """End the current flow: return to a calling flow, or say goodbye and rest."""
    turn.note("flow_end", flow=turn.session.flow)
    if turn.session.stack:
        *rest, back_to = turn.session.stack
        turn.update(stack=tuple(rest))
        if text_key:
            engine.say(turn, text_key)
        return back_to
    text = engine.text(turn, text_key) if text_key else ""
    turn.replies.append(End(text, text_key or ""))
    turn.session = turn.session.at(None).model_copy(update={"history": ()})
    return None


def render(engine: Dialogue, turn: Turn, step: AskStep | InputStep) -> None:
    """Show a waiting step: a question with buttons, or a prompt for input."""
    position = _position(turn)
    if isinstance(step, AskStep):
        labels = engine.vocabulary.labels(step, turn.language, lambda k: engine.text(turn, k))
        options = [*labels, *extra_options(engine, turn)]
        turn.replies.append(
            Ask(engine.text(turn, step.ask), step_key(position), tuple(options), step.ask)
        )
    elif step.input in ("location", "street"):
        turn.replies.append(
            AskLocation(
                engine.text(turn, step.prompt),
                engine.text(turn, "system.share_location"),
                step.prompt,
            )
        )
    else:
        engine.say(turn, step.prompt)


def _position(turn: Turn) -> Frame:
    """The current position, where the caller knows there is one."""
    position = turn.session.position
    if position is None:
        msg = "no current step"
        raise LookupError(msg)
    return position


def current_step(engine: Dialogue, turn: Turn) -> Step | None:
    """The step the session waits at, if any."""
    position = turn.session.position
    return engine.flows.step(position.flow, position.step) if position else None


def choose(engine: Dialogue, turn: Turn, option_id: str) -> None:
    """Apply the resident's choice of an option at the current question."""
    step = current_step(engine, turn)
    position = turn.session.position
    if not isinstance(step, AskStep) or position is None:
        return
    option = next((o for o in step.options if o.id == option_id), None)
    if option is None:
        engine.say(turn, "system.stale_menu")
        engine.render_current(turn)
        return
    run(engine, turn, _apply(engine, turn, position, step, option))


def _apply(
    engine: Dialogue, turn: Turn, frame: Frame, step: AskStep, option: OptionSpec
) -> Frame | None:
    """Store a chosen option's values; return where the flow goes on."""
    values = {k: template(v, turn.session.vars) or "" for k, v in option.set.items()}
    if step.var:
        values[step.var] = option.id
    turn.session = turn.session.remembered().with_vars(**values)
    return _follow(engine, turn, frame.flow, option.next)


def _heard(turn: Turn, frame: Frame, step: AskStep) -> OptionSpec | None:
    """The option an earlier typed message chose for this question; it is used up."""
    if not step.from_text:
        return None
    key = step_key(frame)
    chosen = turn.session.heard.get(key)
    if chosen is None:
        return None
    turn.update(heard={k: v for k, v in turn.session.heard.items() if k != key})
    return next((o for o in step.options if o.id == chosen), None)


def typed(engine: Dialogue, turn: Turn, text: str, reading: Reading) -> None:
    """Understand typed text at the current step: an option, input, or another topic."""
    step = current_step(engine, turn)
    position = _position(turn)
    needs.remember_answers(engine, turn, text, position.flow, skip=step_key(position))
    if isinstance(step, AskStep):
        _typed_answer(engine, turn, step, text, reading)
    elif isinstance(step, InputStep):
        _input(engine, turn, step, text, reading)
    else:
        not_understood(engine, turn)


def _typed_answer(
    engine: Dialogue, turn: Turn, step: AskStep, text: str, reading: Reading
) -> None:
    """Typed text at a question, tried in order: the topic (at the main menu),
    an option, another topic, "did you mean" options, likely topics; else a kind miss."""
    at_menu = turn.session.flow == engine.settings.welcome_flow
    if at_menu:
        route = needs.confident(engine, reading)
        if route is not None:
            needs.enter(engine, turn, route, text)
            return
        if needs.ordinary(engine, reading):
            not_understood(engine, turn)  # "Здравейте" must not choose "здраве" (health)
            return
    ranked = engine.rank_options(step, text, turn.language)
    best = decisive(ranked, CONFIDENT)
    if best:
        choose(engine, turn, best.option)
        return
    if needs.switch(engine, turn, text, reading):
        return
    likely = [c.option for c in ranked if c.score >= PLAUSIBLE][:3]
    if likely:
        _did_you_mean(engine, turn, step, likely)
    elif not needs.offer_topics(engine, turn, reading, away=not at_menu):
        not_understood(engine, turn)


def choose_if_named(engine: Dialogue, turn: Turn, text: str) -> bool:
    """Choose the option of the current question that typed text clearly names; True if so.

    No "did you mean" and no "not understood": for text that was mainly about something
    else (an emergency), or typed to a resting bot ("Ich habe einen Brief").
    """
    step = current_step(engine, turn)
    if not isinstance(step, AskStep) or turn.session.mode is not Mode.FLOW:
        return False
    best = decisive(engine.rank_options(step, text, turn.language), CONFIDENT)
    if best is None:
        return False
    choose(engine, turn, best.option)
    return True


def _did_you_mean(engine: Dialogue, turn: Turn, step: AskStep, likely: list[str]) -> None:
    labels = {o.id: engine.text(turn, o.label) for o in step.options}
    turn.replies.append(
        Ask(
            engine.text(turn, "system.did_you_mean"),
            step_key(_position(turn)),
            tuple(Option(i, labels[i]) for i in likely),
            "system.did_you_mean",
        )
    )


def not_understood(engine: Dialogue, turn: Turn) -> None:
    """Say kindly that the text was not understood; from the second miss in a row on,
    offer a person and the emergency numbers instead of asking for a tap again."""
    misses = turn.session.misunderstood + 1
    turn.update(misunderstood=misses)
    engine.say(turn, "system.not_understood" if misses < 2 else "system.not_understood_again")
    engine.render_current(turn)


def _input(engine: Dialogue, turn: Turn, step: InputStep, text: str, reading: Reading) -> None:
    value, default_error = _parse_input(engine, step, text.strip())
    if value is None:
        if needs.switch(engine, turn, text, reading):
            return
        misses = turn.session.misunderstood + 1
        turn.update(misunderstood=misses)
        engine.say(turn, step.invalid or default_error)
        if misses >= 2:
            engine.say(turn, "system.not_understood_again")
        render(engine, turn, step)
        return
    _accept_input(engine, turn, step, value)


def _accept_input(engine: Dialogue, turn: Turn, step: InputStep, values: dict[str, str]) -> None:
    position = _position(turn)
    turn.session = turn.session.remembered().with_vars(**values)
    if "quarter" in values:
        turn.note("quarter", quarter=values["quarter"])
    run(engine, turn, _follow(engine, turn, position.flow, step.next))


_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


def _parse_input(
    engine: Dialogue, step: InputStep, text: str
) -> tuple[dict[str, str] | None, str]:
    """Return the variables to store, or None and the default error key."""
    if step.input == "text":
        ok = 0 < len(text) <= MAX_TEXT_INPUT
        return ({step.var: text} if ok else None), "system.invalid_input"
    if step.input == "number":
        if not _NUMBER.match(text):
            return None, "system.invalid_number"
        number = float(text.replace(",", "."))
        if (step.min is not None and number < step.min) or (
            step.max is not None and number > step.max
        ):
            return None, "system.invalid_number"
        return {step.var: f"{number:g}"}, "system.invalid_number"
    if step.input == "date":
        parsed = _parse_date(text)
        return ({step.var: parsed.isoformat()} if parsed else None), "system.invalid_date"
    match = engine.directory.match_street(text) if engine.directory else None
    if match is None:
        key = "system.invalid_street" if step.input == "street" else "system.invalid_location"
        return None, key
    return {step.var: match.street, "quarter": match.quarter}, "system.invalid_street"


def _parse_date(text: str) -> date | None:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def location(engine: Dialogue, turn: Turn, event: Location) -> None:
    """A shared location answers a location or street question; elsewhere it is unexpected."""
    step = current_step(engine, turn)
    if not isinstance(step, InputStep) or step.input not in ("location", "street"):
        engine.say(turn, "system.unsupported")
        engine.render_current(turn)
        return
    point = event.point
    values = {
        step.var: f"{point.lat:.5f},{point.lon:.5f}",
        "lat": f"{point.lat:.5f}",
        "lon": f"{point.lon:.5f}",
    }
    quarter = engine.directory.quarter_at(point) if engine.directory else None
    if quarter:
        values["quarter"] = quarter
    _accept_input(engine, turn, step, values)


def refer(engine: Dialogue, turn: Turn, step: ReferStep) -> None:
    """Ask the directory for the best places and show them as cards."""
    spec, variables = step.refer, turn.session.vars
    topic = template(spec.topic, variables)
    quarter = template(spec.quarter, variables) or variables.get("quarter") or None
    point = None
    if "lat" in variables and "lon" in variables:
        point = GeoPoint(float(variables["lat"]), float(variables["lon"]))
    # The quarter a shared location maps to is a guess from quarter middles, not a fact.
    directory = engine.directory
    guessed = bool(point and quarter and directory and directory.quarter_at(point) == quarter)
    query = PlaceQuery(
        at=turn.at,
        language=turn.language,
        topic=topic,
        audience=template(spec.audience, variables),
        quarter=quarter,
        location=point,
        place_id=template(spec.place, variables),
        limit=spec.limit,
        quarter_estimated=guessed,
    )
    matches = list(engine.directory.find(query)) if engine.directory else []
    turn.note(
        "refer", flow=turn.session.flow, topic=topic, quarter=quarter, count=str(len(matches))
    )
    if not matches:
        engine.say(turn, step.none or "system.no_places")
        return
    engine.say(turn, step.intro or "system.places_found", count=len(matches))
    for match in matches:
        turn.note("refer_place", place=match.place.id)  # referrals by place, for funders
        turn.replies.append(place_card(match, engine.texts, turn.language, turn.at, engine.tz))
