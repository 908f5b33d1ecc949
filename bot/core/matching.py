"""Understanding typed words as a choice among options."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Protocol

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Candidate:
    """An option the resident may mean, with how sure the matcher is (0..1)."""

    option: str
    score: float


AHEAD = 0.1
"""How much better than the runner-up the best option must score to be chosen."""


def decisive(ranked: Sequence[Candidate], at_least: float) -> Candidate | None:
    """The best candidate when it scores ``at_least`` and clearly beats the runner-up."""
    if not ranked or ranked[0].score < at_least:
        return None
    if len(ranked) > 1 and ranked[1].score >= ranked[0].score - AHEAD:
        return None
    return ranked[0]


class OptionMatcher(Protocol):
    """Scores typed text against the words that describe each option."""

    def rank(
        self, text: str, choices: Mapping[str, Sequence[str]], language: str
    ) -> list[Candidate]:
        """Return candidates, best first; ``choices`` maps option id → words and labels."""


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Casefold, drop diacritics and punctuation: "Ausländerbehörde!" → "auslanderbehorde"."""
    text = text.casefold().replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(stripped))


class SimpleMatcher:
    """A dependency-free matcher: whole words, prefixes and close spellings.

    Good enough for tests and small deployments; :mod:`bot.nlu` offers a better one with
    lemmatisation and fuzzy matching.
    """

    def rank(
        self, text: str, choices: Mapping[str, Sequence[str]], language: str
    ) -> list[Candidate]:
        """Score every option by its best-matching word or phrase."""
        del language
        typed = normalise(text)
        words = typed.split()
        found = []
        for option, phrases in choices.items():
            best = max((_phrase_score(typed, words, normalise(p)) for p in phrases), default=0.0)
            if best > 0:
                found.append(Candidate(option, best))
        return sorted(found, key=lambda c: (-c.score, c.option))


def _phrase_score(typed: str, words: list[str], phrase: str) -> float:
    if not phrase:
        return 0.0
    if typed == phrase:
        return 1.0
    if f" {phrase} " in f" {typed} ":
        return 0.9
    phrase_words = phrase.split()
    if len(phrase_words) == 1:
        return max((_word_score(w, phrase) for w in words), default=0.0)
    return 0.0


def _word_score(word: str, target: str) -> float:
    if len(word) >= 4 and (target.startswith(word) or word.startswith(target)):
        return 0.8
    if min(len(word), len(target)) >= 5:
        ratio = SequenceMatcher(None, word, target).ratio()
        return 0.7 if ratio >= 0.85 else 0.0
    return 0.0
