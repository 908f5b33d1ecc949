"""Typed needs: safety first, then the topic, and answers the resident already gave.

Residents often start by writing what they need in their own words. For every typed
message the engine asks the :class:`~bot.core.ports.Understanding` for a reading, then:

1. shows the emergency numbers first when the message describes danger (a strong alarm
   continues into the flow for that danger; a weak one adds only a short line);
2. goes straight into the flow of a confidently recognised topic, asks with 2–3 topic
   buttons when unsure, and leaves the menu on screen when nothing was recognised;
3. remembers which later questions the message already answered (an office, a quarter,
   a person, a deadline), so that those questions are skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.matching import decisive
from bot.core.person import hand_off
from bot.core.ports import Reading, TopicRoute
from bot.core.session import Mode
from bot.flowspec.model import AskStep, GotoStep

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue, Turn

CONFIDENT_TOPIC = 0.5
"""A topic this probable goes straight into its flow..."""
MARGIN = 0.15
"""...when the runner-up is at least this much less probable."""
CLARIFY_TOPIC = 0.12
"""Topics at least this probable are offered as buttons when none is confident..."""
AWAY_TOPIC = 0.35
"""...and inside a flow, only when the likeliest is at least this probable."""
ORDINARY = 0.4
"""An ordinary message ("hallo") this probable is not matched against menu keywords."""
MAX_OFFERED = 3
SURE_ANSWER = 0.85
"""An earlier message answers a question only with a whole keyword or phrase, or its
inflected form: never with a guess from a misspelling."""
MENU_STEP = "menu"
"""The welcome flow's step with every topic, where "☰ all topics" leads."""
DANGER_NUMBERS = {"violence": "violence.first", "emergency": "emergency.numbers"}
"""The first words of a strong alarm, by kind of danger."""


def read(engine: Dialogue, text: str) -> Reading:
    """The understanding's reading of ``text``; empty without an understanding."""
    return engine.understanding.read(text) if engine.understanding else Reading()


def alarm(engine: Dialogue, turn: Turn, reading: Reading) -> bool:
    """Show the numbers a reading calls for, before anything else; True for a strong alarm."""
    if reading.alarm == "strong" and reading.danger:
        engine.say(turn, DANGER_NUMBERS.get(reading.danger, "emergency.numbers"))
        turn.note("emergency", topic=reading.danger)
        return True
    if reading.alarm == "weak" and turn.session.mode is not Mode.HANDOFF:
        # (In a handoff a person reads every message: only a strong alarm adds numbers.)
        engine.say(turn, "emergency.short")
        turn.note("emergency_hint", topic=reading.danger)
    return False


def follow_danger(engine: Dialogue, turn: Turn, reading: Reading) -> bool:
    """After the numbers of a strong alarm, continue into the flow for that danger; False
    when no flow serves it (the text is then read as usual)."""
    route = engine.route(reading.danger)
    if route is None:
        return False
    enter(engine, turn, route, "")  # words of panic answer no question of the flow
    return True


def confident(engine: Dialogue, reading: Reading) -> TopicRoute | None:
    """The route of a confidently recognised topic, if any."""
    topics = reading.topics
    if not topics or topics[0].probability < CONFIDENT_TOPIC:
        return None
    if len(topics) > 1 and topics[1].probability > topics[0].probability - MARGIN:
        return None
    return engine.route(topics[0].topic)


def ordinary(engine: Dialogue, reading: Reading) -> bool:
    """The message is most likely no need at all ("hallo", "wie ist das Wetter?")."""
    topics = reading.topics
    return (
        bool(topics)
        and engine.route(topics[0].topic) is None
        and (topics[0].probability >= ORDINARY)
    )


def keep_for_later(engine: Dialogue, turn: Turn, reading: Reading, text: str) -> None:
    """Before consent: remember the topic (not the text) to enter once the resident agrees."""
    route = engine.route(reading.danger) if reading.alarm == "strong" else None
    route = route or confident(engine, reading)
    if route is None:
        return
    turn.update(pending=route.topic)
    if route.flow:
        remember_answers(engine, turn, text, route.flow)


def understand(engine: Dialogue, turn: Turn, text: str, reading: Reading) -> bool:
    """A typed need: enter its topic, or ask among 2–3 topics; False when none fits."""
    route = confident(engine, reading)
    if route is not None:
        enter(engine, turn, route, text)
        return True
    return offer_topics(engine, turn, reading)


def switch(engine: Dialogue, turn: Turn, text: str, reading: Reading) -> bool:
    """Typed text at a question that clearly belongs to another topic: say so and switch."""
    route = confident(engine, reading)
    current = engine.flows.flows.get(turn.session.flow or "")
    if route is None or (current is not None and route.topic == current.topic):
        return False
    if route.flow == turn.session.flow:
        return False
    engine.say(turn, "system.topic_switch", topic=_label(engine, turn, route))
    enter(engine, turn, route, text)
    return True


def offer_topics(engine: Dialogue, turn: Turn, reading: Reading, *, away: bool = False) -> bool:
    """Ask which of the likely topics was meant; False when there is nothing to offer.

    Nothing is offered for an ordinary message ("hallo", "ok"): its likeliest topic leads
    nowhere, and guessing would only confuse. ``away`` (typed at a question inside a flow)
    asks for more certainty that the text is about another topic at all.
    """
    topics = reading.topics
    if not topics or engine.route(topics[0].topic) is None:
        return False
    if away and topics[0].probability < AWAY_TOPIC:
        return False
    likely = [
        t.topic
        for t in topics[:MAX_OFFERED]
        if t.probability >= CLARIFY_TOPIC and engine.route(t.topic) is not None
    ]
    current = engine.flows.flows.get(turn.session.flow or "")
    likely = [t for t in likely if current is None or t != current.topic]
    if not likely:
        return False
    turn.update(mode=Mode.TOPIC, topics=tuple(likely))
    engine.render_current(turn)
    return True


def show_menu(engine: Dialogue, turn: Turn) -> None:
    """Show the main menu with every topic (the welcome flow's menu, without the greeting)."""
    welcome = engine.settings.welcome_flow
    step = MENU_STEP if engine.flows.step(welcome, MENU_STEP) else None
    turn.session = turn.session.at(None).model_copy(update={"stack": ()})
    engine.enter_flow(turn, welcome, step)


def enter(engine: Dialogue, turn: Turn, route: TopicRoute, text: str) -> None:
    """Leave the current position and go where the topic leads."""
    turn.note("topic", topic=route.topic)
    turn.update(mode=Mode.FLOW, topics=())
    if route.handoff or not route.flow:
        hand_off(engine, turn, place=None, topic=None)
        return
    if text:
        remember_answers(engine, turn, text, route.flow)
    turn.session = turn.session.remembered().at(None).model_copy(update={"stack": ()})
    engine.enter_flow(turn, route.flow, route.step)


def remember_answers(
    engine: Dialogue, turn: Turn, text: str, flow: str, *, skip: str | None = None
) -> None:
    """Note which questions of ``flow`` (and the flows it calls) ``text`` clearly answers."""
    heard = dict(turn.session.heard)
    for key, step in fillable(engine, flow):
        if key == skip or key in heard:
            continue
        option = clear_answer(engine, step, text, turn.language)
        if option is not None:
            heard[key] = option
    if heard != turn.session.heard:
        turn.update(heard=heard)


def clear_answer(engine: Dialogue, step: AskStep, text: str, language: str) -> str | None:
    """The option ``text`` names without doubt, or None."""
    best = decisive(engine.rank_options(step, text, language), SURE_ANSWER)
    return best.option if best else None


def fillable(engine: Dialogue, flow: str) -> tuple[tuple[str, AskStep], ...]:
    """The questions with ``from_text`` in ``flow`` and the flows it calls, by step key."""
    cached = engine.fillable.get(flow)
    if cached is not None:
        return cached
    found: list[tuple[str, AskStep]] = []
    seen: set[str] = set()
    todo = [flow]
    while todo:
        flow_id = todo.pop()
        spec = engine.flows.flows.get(flow_id)
        if spec is None or flow_id in seen or flow_id == engine.settings.welcome_flow:
            continue
        seen.add(flow_id)
        for step_id, step in spec.steps.items():
            if isinstance(step, AskStep) and step.from_text:
                found.append((f"{flow_id}.{step_id}", step))
            elif isinstance(step, GotoStep) and not isinstance(step.goto, str):
                todo.append(step.goto.flow)
    engine.fillable[flow] = result = tuple(found)
    return result


def _label(engine: Dialogue, turn: Turn, route: TopicRoute) -> str:
    return engine.text(turn, route.label)
