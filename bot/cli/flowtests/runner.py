"""Run conversation tests through the real engine: events in, replies checked, in memory.

No Telegram and no database: the engine is a pure function of (event, session), so a test
keeps the session itself and moves the clock with ``wait``. The engine, content, topic model
and language detection are exactly those of the running bot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.cli.flowtests import checks
from bot.cli.flowtests.buttons import AmbiguousLabel, find_button, no_such_button
from bot.cli.flowtests.model import (
    Action,
    ConversationTest,
    Problem,
    Send,
    Share,
    Step,
    Tap,
    Type,
    Wait,
    suggest,
)
from bot.cli.flowtests.transcript import BUILT_IN_QUESTIONS, Entry, describe, render
from bot.core.builtins import (
    CONSENT_STEP,
    DELETE_STEP,
    LANGUAGE_STEP,
    SWITCH_STEP,
    TOPIC_STEP,
)
from bot.core.dialogue import Turn
from bot.core.engine import Engine
from bot.core.events import Button, Command, Event, Location, Start, Text
from bot.core.ports import GeoPoint
from bot.core.replies import Ask, Reply
from bot.core.session import Mode, Session

DEFAULT_START = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
"""A Tuesday morning, when most places are open: the same for every run (the wall time
counts; it is read in the configured time zone)."""
GERMAN = "de"
_MODE_QUESTIONS = {
    Mode.LANGUAGE: LANGUAGE_STEP,
    Mode.CONSENT: CONSENT_STEP,
    Mode.DELETE: DELETE_STEP,
    Mode.SWITCH: SWITCH_STEP,
    Mode.TOPIC: TOPIC_STEP,
}


@dataclass(frozen=True)
class Result:
    """The outcome of one test: passed, or the failures and the conversation up to them."""

    test: ConversationTest
    failures: tuple[str, ...] = ()
    transcript: str = ""
    flows: frozenset[str] = frozenset()
    """Every flow the conversation was in (or that waited for another to return)."""
    language: str | None = None
    """The language Lotse spoke at the end."""

    @property
    def passed(self) -> bool:
        """True when every step did what the test expects."""
        return not self.failures

    def report(self) -> str:
        """The failures (``file:line: …``) and, when the test ran, the conversation so far."""
        text = "\n".join(self.failures)
        return f"{text}\n  Verlauf bis hier:\n{self.transcript}" if self.transcript else text


class Runner:
    """Runs conversation tests on one engine; the engine is shared, each test gets a session."""

    def __init__(self, engine: Engine, *, start: datetime = DEFAULT_START) -> None:
        self.engine = engine
        self.start = start
        self.step_keys = {
            *BUILT_IN_QUESTIONS,
            *(f"{flow.id}.{step}" for flow in engine.flows.flows.values() for step in flow.steps),
        }
        directory = engine.directory
        self.place_ids = tuple(directory.place_ids) if directory else ()

    def run(self, test: ConversationTest) -> Result:
        """Run one test, stopping at its first failing step."""
        problems = sorted([*test.problems, *self.check(test)], key=lambda p: p.line)
        if problems:
            return Result(test, tuple(map(str, problems)))
        start = (test.time or self.start).replace(tzinfo=self.engine.tz)
        chat = _Chat(self.engine, at=start, hint=test.language_code or test.language)
        try:
            if test.language:
                chat.prepare(test.language)
            for step in test.steps:
                failures = chat.take(step)
                if failures:
                    head = f"Test »{test.name}«, Schritt {step.number}"
                    return chat.result(test, _headed(test.file, head, failures))
        except Exception as exc:  # noqa: BLE001 - one broken conversation must not stop the rest
            crash = (
                f"{test.file}:{chat.line}: Lotse ist hier abgestürzt ({type(exc).__name__}: "
                f"{exc}). Das ist ein Fehler im Programm, nicht im Test: bitte an die Technik "
                "melden."
            )
            return chat.result(test, (crash,))
        return chat.result(test, ())

    def check(self, test: ConversationTest) -> list[Problem]:
        """Names in the test that Lotse does not know: language, steps, flows, places."""
        problems = []
        offered = self.engine.offered()
        if test.language and test.language not in offered:
            problems.append(
                Problem(
                    test.file,
                    test.language_line,
                    f"Die Sprache »{test.language}« bietet Lotse nicht an."
                    f"{suggest(test.language, offered)} Angeboten: {', '.join(offered)}.",
                )
            )
        known: dict[str, tuple[str, Iterable[str]]] = {
            "step": ("den Schritt", self.step_keys),
            "flow": ("den Ablauf", self.engine.flows.flows),
            "place": ("den Ort", self.place_ids),
        }
        for step in test.steps:
            for expectation in step.expectations:
                # A handoff names the place where a person should answer.
                kind = "place" if expectation.kind == "handoff" else expectation.kind
                value = expectation.value
                if kind not in known or not isinstance(value, str):
                    continue
                what, names = known[kind]
                if value not in names:
                    message = f"Lotse kennt {what} »{value}« nicht.{suggest(value, names)}"
                    problems.append(Problem(test.file, expectation.line, message))
            if isinstance(step.action, Send) and step.action.name == "start":
                problems.extend(self._deep_link(test.file, step.line, step.action.argument))
        return problems

    def _deep_link(self, file: str, line: int, payload: str) -> list[Problem]:
        """A /start payload names places and languages joined by "-"; typos are caught here
        (Lotse itself silently ignores unknown parts)."""
        names = [*self.place_ids, *self.engine.offered()]
        return [
            Problem(
                file,
                line,
                f"Im Link »{payload}« ist »{part}« weder ein Ort noch eine Sprache."
                f"{suggest(part, names)}",
            )
            for part in payload.lower().split("-")
            if payload and part not in names
        ]


def _headed(file: str, head: str, failures: list[tuple[int, str]]) -> tuple[str, ...]:
    return tuple(f"{file}:{line}: {head}: {message}" for line, message in failures)


@dataclass
class _Chat:
    """One resident talking to the engine; keeps the session, the clock and the transcript."""

    engine: Engine
    at: datetime
    hint: str | None
    session: Session = field(default_factory=lambda: Session(resident="test:1"))
    buttons: Ask | None = None
    """The question whose buttons are on screen."""
    entries: list[Entry] = field(default_factory=list)
    line: int = 1
    """The line of the step being run, for a crash report."""
    visited: set[str] = field(default_factory=set)

    def result(self, test: ConversationTest, failures: tuple[str, ...]) -> Result:
        """The test's result with the conversation so far."""
        transcript = render(self.entries)
        visited, language = frozenset(self.visited), self.session.language
        return Result(test, failures, transcript, visited, language)

    def prepare(self, language: str) -> None:
        """/start, choose ``language``, agree to the privacy notice: the main menu shows."""
        said = ["/start"]
        replies, relayed = self.send(Start(at=self.at, language_hint=self.hint))
        choices = {Mode.LANGUAGE: (LANGUAGE_STEP, language), Mode.CONSENT: (CONSENT_STEP, "agree")}
        while (choice := choices.pop(self.session.mode, None)) is not None:
            question, option = choice
            label = self._label(question, option)
            replies, relayed = self.send(self._press(question, option))
            said.append(f"tippt auf »{label}«")
        self.record(0, " · ".join(said), replies, relayed=relayed)

    def take(self, step: Step) -> list[tuple[int, str]]:
        """Do one step; return the failed expectations as (line, message)."""
        self.line = step.line
        action = step.action
        label = ""
        event: Event
        if isinstance(action, Wait):
            self.at += action.duration
            self.record(step.number, describe(action, at=self.at))
            return self.verify(step, ())
        if isinstance(action, Tap):
            found = self.resolve(action.label)
            if isinstance(found, str):
                self.record(step.number, f"{describe(action)} – geht nicht")
                return [(step.line, found)]
            event, label = found
        else:
            event = self.event(action)
        replies, relayed = self.send(event)
        self.record(step.number, describe(action, label=label), replies, relayed=relayed)
        return self.verify(step, replies)

    def record(
        self, number: int, did: str, replies: tuple[Reply, ...] = (), *, relayed: bool = False
    ) -> None:
        """Add a turn to the transcript, with where the conversation stands after it."""
        reached, with_person = self.reached(), self.session.mode is Mode.HANDOFF
        self.entries.append(Entry(number, did, replies, reached, relayed, with_person))

    def event(self, action: Action) -> Event:
        hint = self.hint
        if isinstance(action, Type):
            return Text(at=self.at, text=action.text, language_hint=hint)
        if isinstance(action, Share):
            point = GeoPoint(action.lat, action.lon)
            return Location(at=self.at, point=point, language_hint=hint)
        if isinstance(action, Send) and action.name == "start":
            return Start(at=self.at, payload=action.argument, language_hint=hint)
        if isinstance(action, Send):
            name, argument = action.name, action.argument
            return Command(at=self.at, name=name, argument=argument, language_hint=hint)
        msg = f"no event for {action!r}"
        raise TypeError(msg)

    def send(self, event: Event) -> tuple[tuple[Reply, ...], bool]:
        outcome = self.engine.handle(event, self.session)
        self.session = outcome.session
        self.visited.update(self.flows())
        asked = [reply for reply in outcome.replies if isinstance(reply, Ask)]
        if asked:
            self.buttons = asked[-1]
        elif isinstance(event, Button):
            self.buttons = None  # a pressed keyboard disappears
        return outcome.replies, outcome.relay

    def _press(self, question: str, option: str) -> Button:
        return Button(at=self.at, step=question, option=option, language_hint=self.hint)

    def _label(self, question: str, option: str) -> str:
        shown = self.buttons.options if self.buttons and self.buttons.step == question else ()
        return next((o.label for o in shown if o.id == option), option)

    # -- tapping by label --------------------------------------------------------------

    def resolve(self, wanted: str) -> tuple[Button, str] | str:
        """The press a ``tap:`` means, with the label shown; or why there is none."""
        question = self.buttons
        if question is None:
            return "Hier ist kein Knopf zu sehen: Lotse hat gerade keine Frage mit Knöpfen."
        german = self.german_labels(question)
        try:
            option = find_button(wanted, question, german)
        except AmbiguousLabel as exc:
            return str(exc)
        if option is None:
            return no_such_button(wanted, question, german)
        return self._press(question.step, option), self._label(question.step, option)

    def german_labels(self, question: Ask) -> dict[str, str]:
        """The German labels of the buttons on screen (staff may tap by those)."""
        if self.session.language == GERMAN:
            return {}
        turn = Turn(session=self.session.model_copy(update={"language": GERMAN}), at=self.at)
        self.engine.render_current(turn)
        same = [r for r in turn.replies if isinstance(r, Ask) and r.step == question.step]
        return {option.id: option.label for option in same[-1].options} if same else {}

    # -- expectations ------------------------------------------------------------------

    def reached(self) -> str:
        """The built-in question on screen, or the flow step (``flow.step``); "" for none."""
        question = _MODE_QUESTIONS.get(self.session.mode)
        if question:
            return question
        position = self.session.position
        return f"{position.flow}.{position.step}" if position else ""

    def flows(self) -> list[str]:
        """The current flow and the flows waiting for it to return."""
        frames = [*(frame.flow for frame in self.session.stack), self.session.flow]
        return [flow for flow in frames if flow]

    def verify(self, step: Step, replies: tuple[Reply, ...]) -> list[tuple[int, str]]:
        """The step's expectations that the turn does not meet, as (line, why)."""
        turn = checks.Turn(replies, self.reached(), self.flows())
        found = ((e.line, checks.failure(e, turn)) for e in step.expectations)
        return [(line, why) for line, why in found if why]
