"""The option matcher used in production (see :class:`bot.core.matching.OptionMatcher`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import simplemma
from rapidfuzz import fuzz, process

from bot.core.matching import Candidate, normalise

LEMMA_LANGUAGES = frozenset({"ar", "bg", "de", "en", "fa", "pl", "ro", "ru", "sq", "tr", "uk"})
"""Languages simplemma has dictionaries for (of those Lotse offers)."""
MIN_PREFIX = 4
"""Shorter words are compared whole: "arzt" must not match "art"."""
MIN_FUZZY = 5
FUZZY_CUTOFF = 84.0
EXACT, PHRASE, PARTIAL, PREFIX = 1.0, 0.95, 0.85, 0.85


@lru_cache(maxsize=65536)
def _lemma(word: str, language: str) -> str:
    if language not in LEMMA_LANGUAGES:
        return word
    return normalise(simplemma.lemmatize(word, lang=language))


@dataclass
class _Prepared:
    """The words of one question's options, normalised once."""

    whole: dict[str, str] = field(default_factory=dict)
    """Normalised full phrase → option (typed text equal to a label)."""
    words: dict[str, str] = field(default_factory=dict)
    """Single word (and its lemma) → option."""
    phrases: list[tuple[str, str]] = field(default_factory=list)
    """Multi-word phrases with their option."""


class FuzzyMatcher:
    """Scores typed text against option words: exact, lemma, phrase, prefix, then fuzzy."""

    def __init__(self) -> None:
        self._prepared: dict[int, tuple[Mapping[str, Sequence[str]], _Prepared]] = {}

    def _prepare(self, choices: Mapping[str, Sequence[str]], language: str) -> _Prepared:
        cached = self._prepared.get(id(choices))
        if cached is not None and cached[0] is choices:
            return cached[1]
        prepared = _Prepared()
        for option, texts in choices.items():
            for text in texts:
                phrase = normalise(text)
                if not phrase:
                    continue
                prepared.whole.setdefault(phrase, option)
                if " " in phrase:
                    prepared.phrases.append((phrase, option))
                else:
                    prepared.words.setdefault(phrase, option)
                    prepared.words.setdefault(_lemma(phrase, language), option)
        if len(self._prepared) > 4096:
            self._prepared.clear()
        self._prepared[id(choices)] = (choices, prepared)
        return prepared

    def rank(
        self, text: str, choices: Mapping[str, Sequence[str]], language: str
    ) -> list[Candidate]:
        """Return candidates, best first, with scores between 0 and 1."""
        typed = normalise(text)
        if not typed:
            return []
        prepared = self._prepare(choices, language)
        scores: dict[str, float] = {}

        def hit(option: str, score: float) -> None:
            scores[option] = max(score, scores.get(option, 0.0))

        if typed in prepared.whole:
            hit(prepared.whole[typed], EXACT)
        words = typed.split()
        for word in words:
            for form in (word, _lemma(word, language), _lemma(word, "de")):
                if form in prepared.words:
                    hit(prepared.words[form], PHRASE)
        padded = f" {typed} "
        for phrase, option in prepared.phrases:
            if f" {phrase} " in padded:
                hit(option, PHRASE)
            elif fuzz.partial_ratio(phrase, typed) >= 90:
                hit(option, PARTIAL)
        if not any(s >= PHRASE for s in scores.values()):
            self._fuzzy(words, prepared, hit)
        return sorted(
            (Candidate(o, s) for o, s in scores.items()), key=lambda c: (-c.score, c.option)
        )

    @staticmethod
    def _fuzzy(words: list[str], prepared: _Prepared, hit: Callable[[str, float], None]) -> None:
        """Inflected or misspelt words: shared prefixes, then an edit-distance ratio."""
        for word in words:
            if len(word) < MIN_PREFIX:
                continue
            for known, option in prepared.words.items():
                if len(known) >= MIN_PREFIX and (word.startswith(known) or known.startswith(word)):
                    hit(option, PREFIX)
            if len(word) < MIN_FUZZY:
                continue
            for known, ratio, _ in process.extract(
                word,
                list(prepared.words),
                scorer=fuzz.ratio,
                score_cutoff=FUZZY_CUTOFF,
                limit=None,
            ):
                if len(known) >= MIN_FUZZY:
                    hit(prepared.words[known], 0.6 + ratio / 500)
