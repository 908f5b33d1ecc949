"""The option matcher used in production (see :class:`bot.core.matching.OptionMatcher`)."""

from __future__ import annotations

import re
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
FUZZY_CUTOFF = 80.0
"""One wrong letter in a five-to-seven-letter word ("docter") still counts."""
MAX_ENDING = 4
"""How many letters an inflection may add to a keyword and still be sure."""
EXACT, PHRASE, PARTIAL, PREFIX, UNSURE = 1.0, 0.95, 0.85, 0.85, 0.45


_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=65536)
def _lemma(word: str, language: str) -> str:
    """The dictionary form, normalised; lemmatised *before* diacritics are dropped."""
    if language not in LEMMA_LANGUAGES:
        return normalise(word)
    return normalise(simplemma.lemmatize(word, lang=language))


def _forms(text: str, language: str) -> set[str]:
    """Every word of ``text`` as typed (normalised) and as lemma in the language and German."""
    forms: set[str] = set()
    for raw in _WORD.findall(text.casefold()):
        forms |= {normalise(raw), _lemma(raw, language), _lemma(raw, "de")}
    return forms - {""}


@lru_cache(maxsize=65536)
def _is_word(word: str, language: str) -> bool:
    """True for a correctly spelt word of the resident's language: no typo to forgive."""
    return language in LEMMA_LANGUAGES and bool(simplemma.is_known(word, lang=language))


def _covers(phrase: str, forms: set[str]) -> bool:
    """Every word of the phrase was typed, in any order, inflected or as its lemma."""
    return all(
        word in forms
        or any(
            len(word) >= MIN_PREFIX
            and form.startswith(word)
            and len(form) - len(word) <= MAX_ENDING
            for form in forms
        )
        for word in phrase.split()
    )


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
                    for form in _forms(text, language):
                        prepared.words.setdefault(form, option)
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
        forms = _forms(text, language)
        for form in forms:
            if form in prepared.words:
                hit(prepared.words[form], PHRASE)
        padded = f" {typed} "
        for phrase, option in prepared.phrases:
            if f" {phrase} " in padded:
                hit(option, PHRASE)
            elif _covers(phrase, forms):
                hit(option, PARTIAL)  # every word of the phrase, in another order or form
        if not any(s >= PHRASE for s in scores.values()):
            spelt = {normalise(w) for w in _WORD.findall(text.casefold()) if _is_word(w, language)}
            self._fuzzy(words, spelt, prepared, hit)
        return sorted(
            (Candidate(o, s) for o, s in scores.items()), key=lambda c: (-c.score, c.option)
        )

    @staticmethod
    def _fuzzy(
        words: list[str], spelt: set[str], prepared: _Prepared, hit: Callable[[str, float], None]
    ) -> None:
        """Inflected or misspelt words: shared prefixes, then an edit-distance ratio.

        Only words that are not correctly spelt words of their own get the ratio: "wetter"
        must not become "letter", but "docter" may become "doctor".
        """
        for word in words:
            if len(word) < MIN_PREFIX:
                continue
            for known, option in prepared.words.items():
                if len(known) < MIN_PREFIX:
                    continue
                if word.startswith(known) and len(word) - len(known) <= MAX_ENDING:
                    hit(option, PREFIX)  # an inflected form: "jobcenters", "borçlarım"
                elif known.startswith(word):
                    hit(option, UNSURE)  # "день" is not "деньги": too unsure even to ask
            if len(word) < MIN_FUZZY or word in spelt:
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
