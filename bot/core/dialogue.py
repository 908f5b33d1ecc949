"""What the parts of the engine share: its settings, the turn of one event, and the engine as
they may use it.

The step kinds (:mod:`~bot.core.steps`), what works everywhere
(:mod:`~bot.core.builtins`), typed needs (:mod:`~bot.core.needs`), the language rules
(:mod:`~bot.core.language`) and conditions (:mod:`~bot.core.conditions`) work on a
:class:`Turn` and reach the engine through :class:`Dialogue` only. None of them imports
:mod:`~bot.core.engine`, so the modules of ``bot.core`` import each other in one direction
(an import-linter contract keeps it so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.matching import Candidate
from bot.core.ports import Directory, TopicRoute, Understanding
from bot.core.replies import Analytics, Reply
from bot.core.session import Session
from bot.core.vocabulary import Vocabulary
from bot.flowspec import FlowSet
from bot.flowspec.model import AskStep
from bot.i18n import Catalogs


@dataclass(frozen=True)
class EngineSettings:
    """The parts of the configuration the engine needs."""

    languages: tuple[str, ...] = ("de",)
    default_language: str = "de"
    welcome_flow: str = "welcome"
    require_consent: bool = True
    timezone: str = "Europe/Berlin"


@dataclass
class Turn:
    """The work area of one event: the session as it changes and what to answer."""

    session: Session
    at: datetime
    replies: list[Reply] = field(default_factory=list)
    analytics: list[Analytics] = field(default_factory=list)
    relay: bool = False

    @property
    def language(self) -> str:
        """The language to answer in."""
        return self.session.language or "de"

    def update(self, **changes: object) -> None:
        """Replace fields of the session."""
        self.session = self.session.model_copy(update=changes)

    def note(self, kind: str, **details: str | None) -> None:
        """Record an anonymous statistics event."""
        extra = {k: v for k, v in details.items() if k not in _ANALYTICS_FIELDS and v}
        known = {k: v for k, v in details.items() if k in _ANALYTICS_FIELDS}
        self.analytics.append(
            Analytics(kind=kind, language=self.session.language, extra=extra, **known)
        )


_ANALYTICS_FIELDS = {"flow", "step", "topic", "quarter"}


class Dialogue(Protocol):
    """The engine as the parts of one turn use it (:class:`~bot.core.engine.Engine`).

    Content and settings to read, texts to say, and the few moves that start over from the
    top: entering a flow or a topic, the main menu, showing again what the engine waits for.
    """

    flows: FlowSet
    texts: Catalogs
    settings: EngineSettings
    directory: Directory | None
    understanding: Understanding | None
    vocabulary: Vocabulary
    tz: ZoneInfo
    fillable: dict[str, tuple[tuple[str, AskStep], ...]]
    """Per flow, the questions typed messages may answer in advance (filled lazily)."""

    def text(self, turn: Turn, key: str, **params: object) -> str:
        """Render a catalogue text in the turn's language with the session's variables."""
        ...

    def say(self, turn: Turn, key: str, **params: object) -> None:
        """Append a plain message."""
        ...

    def offered(self) -> Sequence[str]:
        """The languages residents can choose."""
        ...

    def route(self, topic: str | None) -> TopicRoute | None:
        """Where a recognised topic leads; None for no topic or one that leads nowhere."""
        ...

    def rank_options(self, step: AskStep, text: str, language: str) -> list[Candidate]:
        """The options of a question that typed text may mean, best first."""
        ...

    def enter_flow(self, turn: Turn, flow_id: str, step_id: str | None = None) -> None:
        """Start a flow (at its start step or ``step_id``) and run until it waits."""
        ...

    def enter_topic(self, turn: Turn, topic: str) -> None:
        """Go where a topic leads."""
        ...

    def show_menu(self, turn: Turn) -> None:
        """Show the main menu."""
        ...

    def render_current(self, turn: Turn) -> None:
        """Show again what the engine is waiting for (question, prompt or picker)."""
        ...
