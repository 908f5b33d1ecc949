"""The dialogue engine: (flows, session, event) → (new session, replies). No I/O.

The engine is deterministic: it reads the time from the event, the flows and texts from
values loaded beforehand, and asks the directory and the language detector only pure,
in-memory questions. Channels translate to and from it; storage keeps its sessions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core import builtins, needs, person, steps
from bot.core.dialogue import EngineSettings, Turn
from bot.core.events import Button, Command, Event, Location, Start, Text, Unsupported
from bot.core.language import LanguagePolicy
from bot.core.matching import Candidate, OptionMatcher, SimpleMatcher
from bot.core.ports import Directory, LanguageDetector, Reading, TopicRoute, Understanding
from bot.core.replies import Analytics, Reply, Say
from bot.core.session import Frame, Mode, Session
from bot.core.vocabulary import Vocabulary
from bot.flowspec import FlowSet
from bot.flowspec.model import AskStep
from bot.i18n import Catalogs


@dataclass(frozen=True)
class Outcome:
    """What one event did: the new session, the replies and anonymous statistics.

    ``relay`` is True when the event belongs to a person (an open handoff): the channel
    passes it on to staff instead of showing replies.
    """

    session: Session
    replies: tuple[Reply, ...]
    analytics: tuple[Analytics, ...] = ()
    relay: bool = False


class Engine:
    """Runs flows for one event at a time; safe to share between residents."""

    def __init__(
        self,
        flows: FlowSet,
        texts: Catalogs,
        settings: EngineSettings,
        *,
        directory: Directory | None = None,
        detector: LanguageDetector | None = None,
        matcher: OptionMatcher | None = None,
        understanding: Understanding | None = None,
    ) -> None:
        self.flows = flows
        self.texts = texts
        self.settings = settings
        self.directory = directory
        self.matcher = matcher or SimpleMatcher()
        self.understanding = understanding
        self.fillable: dict[str, tuple[tuple[str, AskStep], ...]] = {}
        """Per flow, the questions typed messages may answer in advance (filled lazily)."""
        self.tz = ZoneInfo(settings.timezone)
        self.language_policy = LanguagePolicy(settings.languages, detector)
        self.vocabulary = Vocabulary(texts, settings.languages)

    def handle(self, event: Event, session: Session) -> Outcome:
        """Answer one event; never mutates ``session``."""
        turn = Turn(session=session, at=event.at)
        try:
            self._dispatch(turn, event)
        except Exception as exc:
            exc.add_note(f"while handling {type(event).__name__} at {self._where(session)}")
            raise
        return Outcome(turn.session, tuple(turn.replies), tuple(turn.analytics), turn.relay)

    # -- texts -------------------------------------------------------------------------

    def text(self, turn: Turn, key: str, **params: object) -> str:
        """Render a catalogue text in the turn's language with the session's variables."""
        return self.texts.text(turn.language, key, **{**turn.session.vars, **params})

    def say(self, turn: Turn, key: str, **params: object) -> None:
        """Append a plain message."""
        turn.replies.append(Say(self.text(turn, key, **params), key))

    # -- dispatch ----------------------------------------------------------------------

    def _dispatch(self, turn: Turn, event: Event) -> None:
        if turn.session.language is None:
            # No language yet: someone new, or someone who erased their data (counted anew).
            turn.update(language=self.language_policy.first_guess(event))
            turn.note("first_contact")
        reading = needs.read(self, event.text) if isinstance(event, Text) else Reading()
        danger = needs.alarm(self, turn, reading)  # the numbers come before anything else
        if self._restarted_changed_flow(turn):
            return
        if isinstance(event, Start):
            builtins.start(self, turn, event.payload)
        elif isinstance(event, Command):
            builtins.command(self, turn, event.name)
        elif turn.session.mode is Mode.HANDOFF and not isinstance(event, Button):
            turn.relay = True  # a person answers; the numbers above were shown all the same
        elif isinstance(event, Button):
            self._button(turn, event)
        elif isinstance(event, Text):
            self._text(turn, event, reading, danger=danger)
        elif isinstance(event, Location):
            steps.location(self, turn, event)
        elif isinstance(event, Unsupported):
            self.say(turn, "system.edited" if event.kind == "edited" else "system.unsupported")
            self.render_current(turn)

    def _button(self, turn: Turn, event: Button) -> None:
        if builtins.handles_button(self, turn, event):
            return
        position = turn.session.position
        current = steps.step_key(position) if position else None
        if turn.session.mode is not Mode.FLOW or event.step != current:
            self.say(turn, "system.stale_menu")
            self.render_current(turn)
            return
        if event.option.startswith("_"):
            builtins.extra_option(self, turn, event.option)
        else:
            steps.choose(self, turn, event.option)

    def _text(self, turn: Turn, event: Text, reading: Reading, *, danger: bool) -> None:
        session = turn.session
        if not danger and builtins.wants_human(self, turn, event.text):
            person.hand_off(self, turn, place=None, topic=None)
            return
        if not danger and self.language_policy.consider(self, turn, event):
            return
        if self.settings.require_consent and not session.consent and session.mode is Mode.FLOW:
            # Someone who writes before /start meets the language choice and the privacy
            # notice first; what they need is entered once they agree (only the topic is kept).
            builtins.start(self, turn, "")
            needs.keep_for_later(self, turn, reading, event.text)
            return
        if session.mode in (Mode.LANGUAGE, Mode.CONSENT):
            if danger:
                needs.keep_for_later(self, turn, reading, event.text)
            elif builtins.answer_in_mode(self, turn, event.text):
                return
            if not danger:
                self.say(turn, "system.not_understood")
            builtins.render_mode(self, turn)
            return
        if danger:
            # The numbers are shown; go on into the danger's flow, or let the words answer
            # the question on screen ("Gewalt" may also be an option).
            followed = needs.follow_danger(self, turn, reading)
            if not followed and not steps.choose_if_named(self, turn, event.text):
                self.render_current(turn)
            return
        if session.mode is not Mode.FLOW:
            self._text_in_mode(turn, event.text, reading)
        elif session.position is None:
            if not needs.understand(self, turn, event.text, reading):
                needs.show_menu(self, turn)
                menu = turn.replies.pop()  # shown only when the text chooses none of it
                if not steps.choose_if_named(self, turn, event.text):
                    turn.replies.append(menu)
        elif not builtins.pressed_number(self, turn, event.text):
            steps.typed(self, turn, event.text, reading)

    def _text_in_mode(self, turn: Turn, text: str, reading: Reading) -> None:
        """Typed text at a built-in question (delete, switch, topic)."""
        if builtins.answer_in_mode(self, turn, text):
            return
        if turn.session.mode is Mode.TOPIC:
            # Not one of the offered topics: read it afresh as a need.
            turn.update(mode=Mode.FLOW, topics=())
            if not needs.understand(self, turn, text, reading):
                steps.not_understood(self, turn)
            return
        self.say(turn, "system.not_understood")
        builtins.render_mode(self, turn)

    # -- positions ---------------------------------------------------------------------

    def enter_flow(self, turn: Turn, flow_id: str, step_id: str | None = None) -> None:
        """Start a flow (at its start step or ``step_id``) and run until it waits."""
        flow = self.flows.flows.get(flow_id)
        if flow is None:
            msg = f"flow {flow_id!r} does not exist"
            raise LookupError(msg)
        turn.note("flow_start", flow=flow_id, topic=flow.topic)
        steps.run(self, turn, Frame(flow=flow_id, step=step_id or flow.start))

    def rank_options(self, step: AskStep, text: str, language: str) -> list[Candidate]:
        """The options of a question that typed text may mean, best first."""
        return self.matcher.rank(text, self.vocabulary.option_words(step, language), language)

    def route(self, topic: str | None) -> TopicRoute | None:
        """Where a recognised topic leads; None for no topic or one that leads nowhere."""
        if not topic or self.understanding is None:
            return None
        route = self.understanding.routes.get(topic)
        return route if route and (route.flow or route.handoff) else None

    def enter_topic(self, turn: Turn, topic: str) -> None:
        """Go where a topic leads (a button on "which topic?", or one kept until consent)."""
        turn.update(pending=None)
        route = self.route(topic)
        if route is None:
            needs.show_menu(self, turn)
        else:
            needs.enter(self, turn, route, "")

    def show_menu(self, turn: Turn) -> None:
        """Show the main menu."""
        needs.show_menu(self, turn)

    def render_current(self, turn: Turn) -> None:
        """Show again what the engine is waiting for (question, prompt or picker)."""
        builtins.render_mode(self, turn)

    def _restarted_changed_flow(self, turn: Turn) -> bool:
        """Handle a session stored under an older version of its flow.

        Where the step still exists the resident simply continues; otherwise they are taken
        back to the flow's start with a short explanation, keeping everything else.
        """
        session = turn.session
        if not session.flow:
            return False
        version = self.flows.versions.get(session.flow)
        if version == session.flow_version:
            return False
        if session.step and self.flows.step(session.flow, session.step) is not None:
            turn.update(flow_version=version)
            return False
        self.say(turn, "system.flow_changed")
        turn.session = turn.session.at(None).model_copy(
            update={"history": (), "stack": (), "mode": Mode.FLOW}
        )
        known = session.flow in self.flows.flows
        self.enter_flow(turn, session.flow if known else self.settings.welcome_flow)
        return True

    def _where(self, session: Session) -> str:
        return self.flows.where(session.flow, session.step) if session.flow else "no flow"

    def offered(self) -> Sequence[str]:
        """The languages residents can choose."""
        return self.settings.languages
