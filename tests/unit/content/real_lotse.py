"""The real Lotse for content tests: shipped config, flows, catalogues and places.

No Telegram, no database, no clock: every event happens on a fixed Tuesday morning.
Also the checks the content tests share: is a reply worded from a language's own catalogue,
does it leak a raw key or an unfilled placeholder, does it give a phone number.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from fakes import Conversation

from bot.app import build_engine
from bot.config import Settings, load_settings
from bot.content import Content, load_content
from bot.core.engine import Engine
from bot.core.events import Event
from bot.core.replies import HandOff, PlaceCard, Reply, Say, reply_texts
from bot.i18n import Catalogs

ROOT = Path(__file__).resolve().parents[3]
BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=BERLIN)
"""A Tuesday morning in Hameln, when most counselling services are open."""

PHONE = re.compile(
    r"(?<![\d+])"
    r"(?:11[02]"  # police, fire brigade and ambulance
    r"|116 ?\d{3}"  # 116 016, 116 117, 116 111 ...
    r"|0\d{2,5}[ /-]?\d[\d /-]{2,}\d"  # 05151 25299, 0800 111 0 111, 030 1815 1111
    r"|\+49[\d /()-]{6,}\d)"  # +49 5151 576115
    r"(?!\d)"
)
"""A German phone number as residents see it in texts."""

_PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}")


@cache
def settings() -> Settings:
    """The shipped config.yaml."""
    loaded, _ = load_settings(ROOT / "config.yaml")
    return loaded


@cache
def content() -> Content:
    """Flows, catalogues and places as shipped; asserted to be free of errors."""
    loaded = load_content(settings())
    assert loaded.ok, [str(issue) for issue in loaded.issues.errors]
    return loaded


@cache
def engine() -> Engine:
    """The engine as production builds it: real directory, detector and matcher."""
    return build_engine(settings(), content())


def languages() -> tuple[str, ...]:
    """The languages offered to residents, in menu order."""
    return tuple(settings().languages)


class Resident(Conversation):
    """A resident of Hameln on the real engine; remembers every reply of the conversation."""

    def __init__(self, lotse: Engine, *, hint: str | None) -> None:
        super().__init__(lotse, at=TUESDAY_10, hint=hint)
        self.seen: list[Reply] = []

    def send(self, event: Event) -> list[Reply]:
        """Send one event and keep its replies."""
        replies = super().send(event)
        self.seen.extend(replies)
        return replies

    def ready_in(self, language: str) -> list[Reply]:
        """/start, choose ``language``, agree: the main menu is on screen."""
        self.start()
        self.press(language, step="_lang")
        return self.press("agree", step="_consent")


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """A regex matching ``template`` with any value in each placeholder."""
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(".*?")
    return re.compile("".join(parts), re.DOTALL)


def worded_from(texts: Catalogs, language: str, key: str, text: str) -> bool:
    """True when ``text`` is the entry ``key`` of the language's OWN catalogue, filled in."""
    catalogue = texts.catalogues.get(language)
    entry = catalogue.entries.get(key) if catalogue else None
    if entry is None:
        return False
    return any(_pattern(form).fullmatch(text) for form in entry.forms())


def worded_from_any(texts: Catalogs, language: str, text: str, prefix: str = "") -> bool:
    """True when ``text`` is some entry (with ``prefix``) of the language's own catalogue."""
    entries = texts.catalogues[language].entries
    return any(
        worded_from(texts, language, key, text) for key in entries if key.startswith(prefix)
    )


@cache
def _raw_key() -> re.Pattern[str]:
    keys = sorted({key for cat in content().texts.catalogues.values() for key in cat.entries})
    alternatives = "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w.])")


def leaks(replies: Sequence[Reply]) -> list[str]:
    """Texts that show a catalogue key or a ``{placeholder}`` instead of words."""
    found = []
    for reply in replies:
        for text in reply_texts(reply):
            if _PLACEHOLDER.search(text) or _raw_key().search(text):
                found.append(f"{type(reply).__name__}: {text!r}")
    return found


def gives_help(replies: Sequence[Reply]) -> bool:
    """A place card, a phone number in a message, or a person taking over."""
    return any(
        isinstance(reply, PlaceCard | HandOff)
        or (isinstance(reply, Say) and PHONE.search(reply.text) is not None)
        for reply in replies
    )


def keys(replies: Sequence[Reply]) -> list[str]:
    """Catalogue keys of replies (the reply type where there is none), for messages."""
    return [getattr(reply, "key", "") or type(reply).__name__ for reply in replies]
