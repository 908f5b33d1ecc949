"""Which language to answer in: the first guess, and when to offer a switch.

Rules: the very first reply uses the channel's hint (Telegram's language_code) when Lotse
offers that language. Detection of typed text never switches silently once the resident has
chosen; after several messages clearly written in another language Lotse *offers* a switch.
Before a choice, a reliable detection of a longer message switches at once, while a short or
uncertain one leads to a question instead.

Text clearly written in a language Lotse does not offer (Tigrinya, Somali, Croatian...) never
switches anything: Lotse says, one line each in a few widely read languages, that it does not
speak it yet, and opens the language menu with a button to write to a person. It says so once
per conversation position: a resident who keeps writing in that language at the same question
gets the question's usual answers (and the menu's person button stays), not the same note
again. Short, ambiguous or content-free messages never count: the detector reports them as
unreliable, and only a reliable "not offered" leads to the note.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.core.events import Event, Text
from bot.core.ports import LanguageDetector
from bot.core.replies import Say
from bot.core.session import Mode, Session

if TYPE_CHECKING:
    from bot.core.dialogue import Dialogue, Turn

STREAK_TO_OFFER = 2
"""Messages in a row clearly in another language before Lotse offers to switch."""
SHORT_MESSAGE_WORDS = 2
UNOFFERED_KEY = "system.unoffered"
"""The one-line "I do not speak this language yet" text, in each catalogue's language."""
NOTE_LANGUAGES = ("en", "de", "ar", "fa", "ru", "tr")
"""Languages of the note besides the conversation's own: read by many who speak none of
the offered languages as their first (English, Arabic, Persian, Russian, Turkish); German
because it is the language of the city around them."""


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

    def consider(self, engine: Dialogue, turn: Turn, event: Text) -> bool:
        """Look at the language of typed text; True when it opened a switch offer."""
        session = turn.session
        if self.detector is None or session.mode is not Mode.FLOW:
            return False
        short = len(event.text.split()) <= SHORT_MESSAGE_WORDS
        if short and session.language_chosen:
            # One or two words never move a chosen language, nor are they clearly a
            # language Lotse does not offer (that takes three words): no detection needed.
            return False
        chosen = session.language if session.language_chosen else None
        if chosen and self.detector.written_in(event.text, chosen):
            turn.update(foreign_streak=0)  # clearly the chosen language: no model needed
            return False
        found = self.detector.detect(event.text, event.language_hint)
        if found.unoffered:
            turn.update(foreign_streak=0)
            return found.reliable and self._unoffered(engine, turn)
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

    def _offer(self, engine: Dialogue, turn: Turn, language: str) -> bool:
        turn.update(mode=Mode.SWITCH, offer=language, foreign_streak=0)
        engine.render_current(turn)
        return True

    def _unoffered(self, engine: Dialogue, turn: Turn) -> bool:
        """The note and the language menu, unless already said at this position."""
        here = position_key(turn.session)
        if turn.session.unoffered_at == here:
            return False
        lines = [
            engine.texts.text(lang, UNOFFERED_KEY)
            for lang in dict.fromkeys((turn.language, *NOTE_LANGUAGES))
            if lang in self.offered
        ]
        turn.replies.append(Say("\n".join(lines), UNOFFERED_KEY))
        turn.update(mode=Mode.LANGUAGE, unoffered_at=here)
        turn.note("language_unoffered")
        engine.render_current(turn)
        return True


def position_key(session: Session) -> str:
    """The conversation position as ``flow.step``; "" outside any flow."""
    position = session.position
    return f"{position.flow}.{position.step}" if position else ""


def unoffered_here(session: Session) -> bool:
    """Whether Lotse said at this position that it does not speak the resident's language."""
    return session.unoffered_at == position_key(session)


def normalise_code(code: str | None) -> str:
    """ "en-US" → "en", "pt_BR" → "pt"; empty for None."""
    if not code:
        return ""
    return code.replace("_", "-").split("-")[0].lower()
