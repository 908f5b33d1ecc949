"""Words the engine listens for, computed once per engine from the catalogues.

"Talk to a person" phrases per language and the words describing each option of each
question; all normalised, so a typed message is compared against sets instead of re-reading
the catalogues. (Danger is recognised by :mod:`bot.nlu`, from the cues in ``nlu/``.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.core.matching import normalise
from bot.core.replies import Option
from bot.flowspec.model import AskStep
from bot.i18n import Catalogs

HUMAN_KEY = "keywords.human"


class Vocabulary:
    """Normalised keyword sets over a fixed set of catalogues."""

    def __init__(self, texts: Catalogs, languages: Sequence[str]) -> None:
        self.texts = texts
        self.languages = tuple(languages)
        self._human: dict[str, re.Pattern[str]] = {}
        self._options: dict[tuple[str, str], dict[str, list[str]]] = {}
        self._labels: dict[tuple[int, str], tuple[Option, ...]] = {}

    def _list(self, language: str, key: str) -> set[str]:
        if not self.texts.has(language, key):
            return set()
        return {normalise(w) for w in self.texts.text(language, key).split(",")} - {""}

    def wants_human(self, text: str, language: str) -> bool:
        """True when the text asks for a person, in the resident's language, German or English."""
        pattern = self._human.get(language)
        if pattern is None:
            found: set[str] = set()
            for lang in {language, "de", "en"}:
                found |= self._list(lang, HUMAN_KEY)
            # One search for every phrase, each as whole words ("mensch", not "menschen").
            phrases = "|".join(map(re.escape, sorted(found, key=len, reverse=True)))
            pattern = self._human[language] = re.compile(rf"(?<!\S)(?:{phrases or '(?!)'})(?!\S)")
        return pattern.search(normalise(text)) is not None

    def labels(
        self, step: AskStep, language: str, render: Callable[[str], str]
    ) -> tuple[Option, ...]:
        """The buttons of a question; cached unless a label uses ``{variables}``."""
        cache_key = (id(step), language)
        cached = self._labels.get(cache_key)
        if cached is not None:
            return cached
        options = tuple(Option(o.id, render(o.label)) for o in step.options)
        # Steps live as long as the engine that owns this vocabulary, so their ids are stable.
        if all("{" not in self.texts.text(language, o.label) for o in step.options):
            self._labels[cache_key] = options
        return options

    def option_words(self, step: AskStep, language: str) -> dict[str, list[str]]:
        """Option id → the words that choose it: labels (own language and German), keywords."""
        cache_key = (step.ask + "|" + ",".join(o.id for o in step.options), language)
        words = self._options.get(cache_key)
        if words is None:
            words = self._options[cache_key] = {
                o.id: [
                    self.texts.text(language, o.label),
                    self.texts.text("de", o.label),
                    *o.keywords.get(language, ()),
                    *o.keywords.get("de", ()),
                    *o.keywords.get("en", ()),
                ]
                for o in step.options
            }
        return words
