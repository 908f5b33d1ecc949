"""Which language to answer in: the first guess, and when to offer a switch.

Rules: the very first reply uses the channel's hint (Telegram's language_code) when Lotse
offers that language. Detection of typed text never switches silently once the resident has
chosen; after several messages clearly written in another language Lotse *offers* a switch.
Before a choice, a reliable detection of a longer message switches at once, while a short or
uncertain one leads to a question instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.core.events import Event, Text
from bot.core.ports import LanguageDetector
from bot.core.session import Mode

if TYPE_CHECKING:
    from bot.core.engine import Engine, Turn

STREAK_TO_OFFER = 2
"""Messages in a row clearly in another language before Lotse offers to switch."""
SHORT_MESSAGE_WORDS = 2


class LanguagePolicy:
    """Applies the language rules above for one engine."""

    def __init__(self, offered: Sequence[str], detector: LanguageDetector | None) -> None:
        self.offered = tuple(offered)
        self.detector = detector

    def first_guess(self, event: Event) -> str:
        """The language of a resident's very first reply."""
        hint = normalise_code(event.language_hint)
        if hint in self.offered:
            return hint
        if isinstance(event, Text) and self.detector:
            found = self.detector.detect(event.text, None)
            if found.language in self.offered and found.reliable:
                return found.language
        return self.offered[0] if self.offered else "de"

    def consider(self, engine: Engine, turn: Turn, event: Text) -> bool:
        """Look at the language of typed text; True when it opened a switch offer."""
        session = turn.session
        if self.detector is None or session.mode is not Mode.FLOW:
            return False
        short = len(event.text.split()) <= SHORT_MESSAGE_WORDS
        if short and session.language_chosen:
            return False  # one or two words never move a chosen language
        found = self.detector.detect(event.text, event.language_hint)
        other = found.language
        if other is None or other == session.language or other not in self.offered:
            turn.update(foreign_streak=0)
            return False
        if not found.reliable or short:
            if session.language_chosen:
                return False
            return self._offer(engine, turn, other)
        if not session.language_chosen:
            turn.update(language=other)
            turn.note("language_detected", value=other)
            return False
        streak = session.foreign_streak + 1
        turn.update(foreign_streak=streak)
        if streak >= STREAK_TO_OFFER:
            return self._offer(engine, turn, other)
        return False

    def _offer(self, engine: Engine, turn: Turn, language: str) -> bool:
        turn.update(mode=Mode.SWITCH, offer=language, foreign_streak=0)
        engine.render_current(turn)
        return True


def normalise_code(code: str | None) -> str:
    """ "en-US" → "en", "pt_BR" → "pt"; empty for None."""
    if not code:
        return ""
    return code.replace("_", "-").split("-")[0].lower()
