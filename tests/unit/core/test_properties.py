"""Property tests: random event sequences never crash the engine and leave a valid session."""

from __future__ import annotations

from datetime import timedelta

from fakes import MONDAY_10, make_engine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.engine import Engine
from bot.core.events import COMMANDS, Button, Command, Event, Location, Start, Text, Unsupported
from bot.core.ports import GeoPoint
from bot.core.replies import Ask
from bot.core.session import Mode, Session

ENGINE = make_engine()
STEPS = [
    "main.menu",
    "main.office",
    "main.after",
    "sub.q",
    "_lang",
    "_consent",
    "_delete",
    "_switch",
    "nonsense",
]
OPTIONS = [
    "letter",
    "age",
    "date",
    "where",
    "sub",
    "person",
    "bye",
    "jobcenter",
    "abh",
    "menu",
    "open",
    "done",
    "ok",
    "de",
    "en",
    "agree",
    "more",
    "decline",
    "yes",
    "no",
    "_back",
    "_lang",
    "other",
    "zz",
]

times = st.integers(min_value=0, max_value=24 * 14).map(lambda h: MONDAY_10 + timedelta(hours=h))
hints = st.sampled_from([None, "de", "en", "uk", "ar", "zz", "en-US"])
events: st.SearchStrategy[Event] = st.one_of(
    st.builds(
        Start, at=times, language_hint=hints, payload=st.sampled_from(["", "treff", "x-en"])
    ),
    st.builds(
        Text,
        at=times,
        language_hint=hints,
        text=st.one_of(
            st.text(max_size=40), st.sampled_from(["1", "2", "9", "brief", "notfall", "Mensch"])
        ),
    ),
    st.builds(
        Button,
        at=times,
        language_hint=hints,
        step=st.sampled_from(STEPS),
        option=st.sampled_from(OPTIONS),
    ),
    st.builds(Command, at=times, language_hint=hints, name=st.sampled_from(COMMANDS)),
    st.builds(
        Location,
        at=times,
        point=st.builds(
            GeoPoint, st.floats(-90, 90, allow_nan=False), st.floats(-180, 180, allow_nan=False)
        ),
    ),
    st.builds(Unsupported, at=times, kind=st.sampled_from(["photo", "sticker", "voice"])),
)


def _assert_valid(engine: Engine, session: Session) -> None:
    assert Session.model_validate_json(session.model_dump_json()) == session
    assert session.language is None or session.language in engine.offered()
    if session.position:
        assert engine.flows.step(session.position.flow, session.position.step) is not None
    for frame in (*(c.frame for c in session.history), *session.stack):
        assert engine.flows.step(frame.flow, frame.step) is not None
    if session.mode is Mode.SWITCH:
        assert session.offer in engine.offered()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(events, max_size=25))
def test_random_events_never_crash_and_leave_a_valid_session(sequence: list[Event]) -> None:
    session = Session(resident="prop:1")
    for event in sequence:
        outcome = ENGINE.handle(event, session)
        session = outcome.session
        _assert_valid(ENGINE, session)


@settings(max_examples=100, deadline=None)
@given(st.lists(events, max_size=15))
def test_the_engine_is_deterministic(sequence: list[Event]) -> None:
    def replay() -> list[object]:
        session, seen = Session(resident="prop:2"), []
        for event in sequence:
            outcome = ENGINE.handle(event, session)
            session = outcome.session
            seen.append((outcome.replies, session))
        return seen

    assert replay() == replay()


@settings(max_examples=100, deadline=None)
@given(st.lists(events, max_size=15))
def test_every_question_can_be_answered_by_its_options(sequence: list[Event]) -> None:
    session = Session(resident="prop:3")
    for event in sequence:
        outcome = ENGINE.handle(event, session)
        session = outcome.session
    asks = [
        r
        for r in ENGINE.handle(Command(at=MONDAY_10, name="help"), session).replies
        if isinstance(r, Ask)
    ]
    for ask in asks:
        for option in ask.options:
            ENGINE.handle(Button(at=MONDAY_10, step=ask.step, option=option.id), session)
