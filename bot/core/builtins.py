"""What works everywhere: start, language, consent, help, back, delete, a person, emergency.

These are built into the engine rather than written as flows, because they cut across every
flow and must work even when a flow file is broken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import steps
from bot.core.buttons import LANGUAGE_OPTION, PERSON_OPTION, extra_options
from bot.core.cards import place_card
from bot.core.events import Button
from bot.core.language import unoffered_here
from bot.core.matching import normalise
from bot.core.person import hand_off
from bot.core.ports import PlaceQuery
from bot.core.replies import Ask, EraseData, LeaveHandOff, Option
from bot.core.session import Mode, Session
from bot.flowspec.model import AskStep, InputStep

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue, Turn

LANGUAGE_STEP = "_lang"
CONSENT_STEP = "_consent"
DELETE_STEP = "_delete"
SWITCH_STEP = "_switch"
TOPIC_STEP = "_topic"
ALL_TOPICS = "_menu"
PAYLOAD_SEPARATOR = "-"
"""Joins the place and the language in a deep-link payload."""
ENTRY_PLACE = "entry_place"
"""Session variable: the place of a deep link (a poster's QR code), shown once the resident
has chosen a language and agreed."""


def start(engine: Dialogue, turn: Turn, payload: str) -> None:
    """/start, optionally with a deep-link payload such as ``kaisers`` or ``kaisers-ar``."""
    place, language = _parse_payload(engine, payload)
    if language:
        turn.update(language=language, language_chosen=True)
    if place:
        turn.session = turn.session.with_vars(place=place, **{ENTRY_PLACE: place})
    turn.session = turn.session.at(None).model_copy(
        update={"history": (), "stack": (), "mode": Mode.FLOW, "offer": None}
    )
    turn.note("start", deep_link="yes" if payload else None, place=place)
    if len(engine.offered()) == 1:
        turn.update(language=engine.offered()[0], language_chosen=True)
    if not turn.session.language_chosen:
        open_language_picker(engine, turn)
    else:
        _after_language(engine, turn)


def start_payload(place: str | None, language: str | None) -> str:
    """The deep-link payload that /start reads back: ``kaisers-ar``, ``kaisers`` or ``ar``.

    Posters print it in ``https://t.me/<bot>?start=<payload>``. Place ids and language codes
    never contain ``-`` and stay within Telegram's 64 characters of A-Z a-z 0-9 _ -.
    """
    return PAYLOAD_SEPARATOR.join(part for part in (place, language) if part)


def _parse_payload(engine: Dialogue, payload: str) -> tuple[str | None, str | None]:
    """Split "kaisers-ar" into a known place and an offered language; ignore the rest."""
    place = language = None
    for part in payload.lower().split(PAYLOAD_SEPARATOR) if payload else ():
        if part in engine.offered():
            language = part
        elif engine.directory and engine.directory.place(part):
            place = part
    return place, language


def _after_language(engine: Dialogue, turn: Turn) -> None:
    if engine.settings.require_consent and not turn.session.consent:
        turn.update(mode=Mode.CONSENT)
        render_mode(engine, turn)
        return
    turn.update(mode=Mode.FLOW)
    _show_entry_place(engine, turn)
    if turn.session.pending:
        engine.enter_topic(turn, turn.session.pending)
    elif turn.session.position:
        render_mode(engine, turn)
    else:
        engine.enter_flow(turn, engine.settings.welcome_flow)


def _show_entry_place(engine: Dialogue, turn: Turn) -> None:
    """The card of the place a deep link came from, once, before anything else."""
    place = turn.session.vars.get(ENTRY_PLACE)
    if not place or engine.directory is None:
        return
    rest = {name: value for name, value in turn.session.vars.items() if name != ENTRY_PLACE}
    turn.update(vars=rest)
    query = PlaceQuery(at=turn.at, language=turn.language, place_id=place, limit=1)
    for match in engine.directory.find(query):
        engine.say(turn, "system.entry_place", place=match.place.name)
        turn.replies.append(place_card(match, engine.texts, turn.language, turn.at, engine.tz))


def command(engine: Dialogue, turn: Turn, name: str) -> None:
    """Global commands: start, back, language, help, human, delete, bot."""
    if name == "start":
        start(engine, turn, "")
    elif name == "language":
        open_language_picker(engine, turn)
    elif name == "help":
        engine.say(turn, "system.help")
        render_mode(engine, turn)
    elif name == "back":
        back(engine, turn)
    elif name == "human":
        hand_off(engine, turn, place=None, topic=None)
    elif name == "delete":
        turn.update(mode=Mode.DELETE)
        render_mode(engine, turn)
    elif name == "bot":
        leave_handoff(engine, turn)
    else:
        engine.say(turn, "system.help")
        render_mode(engine, turn)


def back(engine: Dialogue, turn: Turn) -> None:
    """Return to the previous question."""
    session = turn.session
    if session.mode is Mode.HANDOFF:
        leave_handoff(engine, turn)
        return
    if not session.history:
        engine.say(turn, "system.nothing_to_go_back")
        render_mode(engine, turn)
        return
    *rest, previous = session.history
    frame = previous.frame
    turn.session = session.at(frame, engine.flows.versions.get(frame.flow)).model_copy(
        update={"history": tuple(rest), "stack": previous.stack, "mode": Mode.FLOW}
    )
    steps.run(engine, turn, frame)


def open_language_picker(engine: Dialogue, turn: Turn) -> None:
    """Show every offered language, each named in its own script; the flow position stays."""
    turn.update(mode=Mode.LANGUAGE)
    render_mode(engine, turn)


def _language_options(engine: Dialogue, turn: Turn) -> tuple[Option, ...]:
    current = turn.language
    ordered = [current, *(lang for lang in engine.offered() if lang != current)]
    options = [
        Option(lang, engine.texts.native_name(lang))
        for lang in ordered
        if lang in engine.offered()
    ]
    if unoffered_here(turn.session):
        # The resident wrote a language Lotse does not offer here: staff can bring an
        # interpreter (the note above the menu points to this button).
        options.append(Option(PERSON_OPTION, engine.text(turn, "common.opt_person")))
    return tuple(options)


def render_mode(engine: Dialogue, turn: Turn) -> None:
    """Show what the engine waits for in the session's mode."""
    question = mode_question(engine, turn)
    if question is not None:
        turn.replies.append(question)
        return
    step = steps.current_step(engine, turn)
    if turn.session.mode is Mode.FLOW and isinstance(step, AskStep | InputStep):
        steps.render(engine, turn, step)


def mode_question(engine: Dialogue, turn: Turn) -> Ask | None:
    """The built-in question open in the session's mode, or None in flow and handoff mode."""
    mode = turn.session.mode
    if mode is Mode.LANGUAGE:
        return _ask(
            engine, turn, "system.choose_language", LANGUAGE_STEP, _language_options(engine, turn)
        )
    if mode is Mode.CONSENT:
        return _ask(
            engine,
            turn,
            "system.privacy_short",
            CONSENT_STEP,
            (
                Option("agree", engine.text(turn, "system.privacy_agree")),
                Option("more", engine.text(turn, "system.privacy_more")),
                Option("decline", engine.text(turn, "system.privacy_decline")),
            ),
        )
    if mode is Mode.DELETE:
        return _ask(
            engine,
            turn,
            "system.delete_confirm",
            DELETE_STEP,
            (
                Option("yes", engine.text(turn, "system.delete_yes")),
                Option("no", engine.text(turn, "system.delete_no")),
            ),
        )
    if mode is Mode.TOPIC:
        options = [
            Option(topic, engine.text(turn, route.label))
            for topic in turn.session.topics
            if (route := engine.route(topic)) is not None
        ]
        options.append(Option(ALL_TOPICS, engine.text(turn, "system.all_topics")))
        return _ask(engine, turn, "system.which_topic", TOPIC_STEP, tuple(options))
    if mode is Mode.SWITCH and turn.session.offer:
        offer = turn.session.offer
        name = engine.texts.native_name(offer)
        # Worded in the offered language: the resident may not read the current one.
        return Ask(
            engine.texts.text(offer, "system.switch_offer", language=name),
            SWITCH_STEP,
            (
                Option(offer, engine.texts.text(offer, "system.switch_yes", language=name)),
                Option(turn.language, engine.texts.native_name(turn.language)),
                Option("other", engine.texts.text(offer, "system.switch_other")),
            ),
            "system.switch_offer",
        )
    return None


def _ask(engine: Dialogue, turn: Turn, key: str, step: str, options: tuple[Option, ...]) -> Ask:
    return Ask(engine.text(turn, key), step, options, key)


def extra_option(engine: Dialogue, turn: Turn, option: str) -> None:
    """A press on a button that :func:`extra_options` added."""
    if option == LANGUAGE_OPTION:
        open_language_picker(engine, turn)
    elif option == PERSON_OPTION:
        hand_off(engine, turn, place=None, topic=None)
    else:
        back(engine, turn)


def pressed_number(engine: Dialogue, turn: Turn, text: str) -> bool:
    """A typed number at a flow question presses that button, counting the built-in ones."""
    step = steps.current_step(engine, turn)
    number = text.strip().rstrip(".)")
    if not isinstance(step, AskStep) or not (number.isascii() and number.isdigit()):
        return False
    shown = [o.id for o in step.options] + [o.id for o in extra_options(engine, turn)]
    if not 1 <= int(number) <= len(shown):
        return False
    chosen = shown[int(number) - 1]
    if chosen in {o.id for o in step.options}:
        steps.choose(engine, turn, chosen)
    else:
        extra_option(engine, turn, chosen)
    return True


def handles_button(engine: Dialogue, turn: Turn, event: Button) -> bool:
    """Answer presses on the built-in questions; False for flow questions."""
    handler = _BUTTONS.get(event.step)
    if handler is None:
        return False
    expected = {
        LANGUAGE_STEP: Mode.LANGUAGE,
        CONSENT_STEP: Mode.CONSENT,
        DELETE_STEP: Mode.DELETE,
        SWITCH_STEP: Mode.SWITCH,
        TOPIC_STEP: Mode.TOPIC,
    }[event.step]
    if turn.session.mode is not expected:
        engine.say(turn, "system.stale_menu")
        render_mode(engine, turn)
        return True
    handler(engine, turn, event.option)
    return True


def _chose_language(engine: Dialogue, turn: Turn, option: str) -> None:
    if option == PERSON_OPTION and unoffered_here(turn.session):
        hand_off(engine, turn, place=None, topic=None)
        return
    if option not in engine.offered():
        render_mode(engine, turn)
        return
    turn.update(language=option, language_chosen=True, foreign_streak=0, offer=None)
    turn.note("language", value=option)
    engine.say(turn, "system.language_set", language=engine.texts.native_name(option))
    _after_language(engine, turn)


def _consent_answer(engine: Dialogue, turn: Turn, option: str) -> None:
    if option == "agree":
        turn.update(consent=True)
        turn.note("consent")
        _after_language(engine, turn)
    elif option == "more":
        engine.say(turn, "system.privacy_full")
        render_mode(engine, turn)
    else:
        engine.say(turn, "system.privacy_declined")


def _delete_answer(engine: Dialogue, turn: Turn, option: str) -> None:
    if option == "yes":
        engine.say(turn, "system.deleted")
        turn.replies.append(EraseData())
        turn.note("delete")
        turn.session = Session(resident=turn.session.resident)
        return
    engine.say(turn, "system.delete_cancelled")
    turn.update(mode=Mode.FLOW)
    render_mode(engine, turn)


def _switch_answer(engine: Dialogue, turn: Turn, option: str) -> None:
    turn.update(mode=Mode.FLOW, offer=None, foreign_streak=0)
    if option == "other":
        open_language_picker(engine, turn)
    else:
        _chose_language(engine, turn, option)


def _topic_answer(engine: Dialogue, turn: Turn, option: str) -> None:
    turn.update(mode=Mode.FLOW, topics=())
    if engine.route(option) is not None:
        engine.enter_topic(turn, option)
    else:
        engine.show_menu(turn)


_BUTTONS = {
    LANGUAGE_STEP: _chose_language,
    CONSENT_STEP: _consent_answer,
    DELETE_STEP: _delete_answer,
    SWITCH_STEP: _switch_answer,
    TOPIC_STEP: _topic_answer,
}


def answer_in_mode(engine: Dialogue, turn: Turn, text: str) -> bool:
    """Typed text while a built-in question is open: a number or a name picks an option.

    False when the text names none of the options.
    """
    question = mode_question(engine, turn)
    if question is None:
        return False
    typed = normalise(text)
    for index, option in enumerate(question.options, start=1):
        if typed in (str(index), normalise(option.label), option.id):
            handles_button(engine, turn, Button(at=turn.at, step=question.step, option=option.id))
            return True
    return False


def wants_human(engine: Dialogue, turn: Turn, text: str) -> bool:
    """True when the text asks for a person ("ich will mit einem Menschen sprechen")."""
    return engine.vocabulary.wants_human(text, turn.language)


def leave_handoff(engine: Dialogue, turn: Turn) -> None:
    """/bot: leave the conversation with a person and continue with the flows."""
    if turn.session.mode is not Mode.HANDOFF:
        render_mode(engine, turn)
        return
    turn.update(mode=Mode.FLOW)
    turn.replies.append(LeaveHandOff())
    engine.say(turn, "system.handoff_left")
    position = turn.session.position
    if position is None:
        engine.enter_flow(turn, engine.settings.welcome_flow)
    else:
        steps.run(engine, turn, position)
