"""Is a message written in a language Lotse does not offer at all?

Two ways to say so, both only for clear text (three words or more, see below):

* Script: most of the message's letters are in a script no offered language uses (Ge'ez
  for Tigrinya and Amharic, Georgian, Armenian, Hebrew, Devanagari, Tamil, Thai, CJK...).
* Model: in a script Lotse does offer (Latin, Cyrillic, Arabic), py3langid over *all* its
  languages is the second opinion. The best unoffered language competes with every offered
  candidate, which keeps the evidence the detector already has (letter rules and word
  lists) on top of its n-gram score; "not ours" must win with
  :data:`UNOFFERED_PROBABILITY`. Letters only unoffered languages write (š, ř, ñ, ђ, ے,
  ێ...) add to that side. In Arabic script such a letter is required: Urdu and Sorani
  n-grams are too close to Persian and Pashto to go on without one.

Short, ambiguous or content-free messages are never "not ours": "ok", "da", "po", one
greeting or two words say too little, and calling them foreign would push a resident out
of their own language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from bot.core.ports import Detection
from bot.langid.model import NgramModel
from bot.langid.rules import unoffered_letters
from bot.langid.text import Script, Token, letter_weight

MIN_WORDS = 3
"""Content words needed before a message may be called unoffered (two words are "short")."""
MIN_LETTERS = 12
"""Letters needed as well (weighted by script, see :func:`bot.langid.text.letter_weight`)."""
MIN_SCRIPT_SHARE = 0.75
"""Share of the content letters that must be in the dominant script: mixed-script
messages ("Привет hello مرحبا") are not called unoffered."""
UNOFFERED_PROBABILITY = 0.97
"""Posterior "none of the offered languages" needed in an offered script."""
MAX_BABBLE_UNIT = 3
"""Longest unit a word may repeat and still count as babble ("hahaha", "wkwkwk")."""

# Labels py3langid keeps apart that Lotse counts as an offered language.
KIN: Mapping[str, str] = {"arz": "ar", "ary": "ar"}  # Egyptian and Moroccan Arabic


class UnofferedCheck:
    """Tells clear text in an unoffered language apart from text in an offered one.

    Args:
        model: The n-gram model the detector uses.
        offered: The offered ISO 639-1 codes.
    """

    def __init__(self, model: NgramModel, offered: Sequence[str]) -> None:
        self._model = model
        self._offered = frozenset(offered)
        # Which model label speaks for which offered language, and which for none of them.
        self._ours = {
            label: KIN.get(label, label)
            for label in model.labels
            if KIN.get(label, label) in self._offered
        }
        self._theirs = tuple(label for label in model.labels if label not in self._ours)

    def by_script(self, content: Sequence[Token], script: Script) -> Detection | None:
        """Judge a message whose dominant script no offered language uses.

        Args:
            content: All content tokens of the message.
            script: Their dominant script.

        Returns:
            An unoffered detection (reliable only for clear text), or None when other
            scripts make up too much of the message to say anything.
        """
        words = [token for token in content if token.script is script]
        share = _share(words, content)
        if share < MIN_SCRIPT_SHARE:
            return None
        return Detection(
            language=None,
            confidence=round(share, 4),
            reliable=_clear(words, spaced=False),
            unoffered=True,
        )

    def by_model(
        self,
        content: Sequence[Token],
        words: Sequence[Token],
        script: Script,
        bonuses: Mapping[str, float],
    ) -> Detection | None:
        """Judge a clear message in a script offered languages use.

        Args:
            content: All content tokens of the message.
            words: The content tokens in the dominant script.
            script: The dominant script.
            bonuses: The detector's letter and word evidence per offered candidate (log
                units, without the n-gram score); its keys are the candidates.

        Returns:
            A reliable unoffered detection, or None when the message may be in an offered
            language (or is too short or mixed to tell).
        """
        if len(words) < MIN_WORDS or not _clear(words, spaced=True):
            return None
        if _share(words, content) < MIN_SCRIPT_SHARE:
            return None
        letters = unoffered_letters(words, script, self._offered)
        if letters is None:
            return None
        wide = self._model.wide_scores(" ".join(token.text for token in words))
        ours: dict[str, float] = {}
        for label, lang in self._ours.items():
            if lang in bonuses:
                ours[lang] = max(ours.get(lang, -math.inf), wide[label])
        logits = [value + bonuses[lang] for lang, value in ours.items()]
        logits.append(max(wide[label] for label in self._theirs) + letters)
        top = max(logits)
        probability = math.exp(logits[-1] - top) / sum(math.exp(x - top) for x in logits)
        if probability < UNOFFERED_PROBABILITY:
            return None
        return Detection(
            language=None, confidence=round(probability, 4), reliable=True, unoffered=True
        )


def _share(words: Sequence[Token], content: Sequence[Token]) -> float:
    total = sum(len(token.text) for token in content)
    return sum(len(token.text) for token in words) / total if total else 0.0


def _clear(words: Sequence[Token], *, spaced: bool) -> bool:
    """Enough text to call it unoffered: three different words, or (in a script that may
    be written without spaces) as much text. Repeats ("ሰላም ሰላም ሰላም") and laughter
    ("hahaha", "wkwkwk") do not count."""
    distinct = {token.folded for token in words if not _babble(token.folded)}
    letters = sum(letter_weight(word) for word in distinct)
    if len(distinct) >= MIN_WORDS:
        return letters >= MIN_LETTERS
    return not spaced and letters >= 2 * MIN_LETTERS


def _babble(word: str) -> bool:
    """A word that repeats one short unit: "hahaha", "jajaja", "mmmm", "wkwkwk"."""
    return any(
        len(word) >= 2 * size and word == word[:size] * (len(word) // size)
        for size in range(1, MAX_BABBLE_UNIT + 1)
    )
