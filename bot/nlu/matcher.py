"""The option matcher used in production (see :class:`bot.core.matching.OptionMatcher`).

Typed answers are compared word by word with the words of each option: whole words,
phrases in any order, inflected forms by a shared beginning ("jobcenters", "borçlarım"),
then misspellings by an edit-distance ratio.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.core.matching import Candidate
from bot.nlu.text import fold

MIN_PREFIX = 4
"""Shorter words are compared whole: "arzt" must not match "art"."""
MIN_FUZZY = 5
FUZZY_CUTOFF = 80.0
"""One wrong letter in a five-to-seven-letter word ("docter") still counts."""
MAX_ENDING = 4
"""How many letters an inflection may add to a keyword and still be sure."""
EXACT, PHRASE, PARTIAL, PREFIX, UNSURE = 1.0, 0.95, 0.85, 0.85, 0.45
MAX_NEAR = 4096
"""Typed words whose near matches one question keeps."""


def _forms(text: str) -> set[str]:
    """Every word of ``text``, folded (diacritics, letter variants and digits unified)."""
    return set(fold(text).split())


def _key(word: str) -> str:
    """What a typed word must share with a phrase word: all of a short word, the beginning
    of a longer one (which may be inflected)."""
    return word[:MIN_PREFIX]


def _covers(words: tuple[str, ...], forms: set[str]) -> bool:
    """Every word of the phrase was typed, in any order, whole or inflected."""
    return all(
        word in forms
        or (
            len(word) >= MIN_PREFIX
            and any(
                form.startswith(word) and len(form) - len(word) <= MAX_ENDING for form in forms
            )
        )
        for word in words
    )


@dataclass
class _Prepared:
    """The words of one question's options, normalised once."""

    whole: dict[str, str] = field(default_factory=dict)
    """Normalised full phrase → option (typed text equal to a label)."""
    words: dict[str, str] = field(default_factory=dict)
    """Single word (and its lemma) → option."""
    phrases: list[tuple[str, tuple[str, ...], frozenset[str], str]] = field(default_factory=list)
    """Multi-word phrases, their words, the keys all of which typed text must have (see
    :func:`_key`), and their option."""
    by_beginning: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """First four letters → (word, option): an inflected form shares its beginning."""
    by_initial: dict[str, list[str]] = field(default_factory=dict)
    """First letter → words long enough for a typo: a misspelling keeps its first letter."""
    near: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    """Typed word → what :func:`_near` found: kept, as the same words come back."""


class FuzzyMatcher:
    """Scores typed text against option words: exact, lemma, phrase, prefix, then fuzzy."""

    def __init__(self) -> None:
        self._prepared: dict[int, tuple[Mapping[str, Sequence[str]], _Prepared]] = {}

    def _prepare(self, choices: Mapping[str, Sequence[str]]) -> _Prepared:
        cached = self._prepared.get(id(choices))
        if cached is not None and cached[0] is choices:
            return cached[1]
        prepared = _Prepared()
        for option, texts in choices.items():
            for text in texts:
                phrase = fold(text)
                if not phrase:
                    continue
                prepared.whole.setdefault(phrase, option)
                if " " in phrase:
                    words = tuple(phrase.split())
                    keys = frozenset(map(_key, words))
                    prepared.phrases.append((phrase, words, keys, option))
                else:
                    for form in _forms(text):
                        prepared.words.setdefault(form, option)
        for known, option in prepared.words.items():
            if len(known) >= MIN_PREFIX:
                prepared.by_beginning.setdefault(known[:MIN_PREFIX], []).append((known, option))
            if len(known) >= MIN_FUZZY:
                prepared.by_initial.setdefault(known[0], []).append(known)
        if len(self._prepared) > 4096:
            self._prepared.clear()
        self._prepared[id(choices)] = (choices, prepared)
        return prepared

    def rank(
        self, text: str, choices: Mapping[str, Sequence[str]], language: str
    ) -> list[Candidate]:
        """Return candidates, best first, with scores between 0 and 1."""
        typed = fold(text)
        if not typed:
            return []
        del language  # folded words compare across languages
        prepared = self._prepare(choices)
        scores: dict[str, float] = {}

        def hit(option: str, score: float) -> None:
            scores[option] = max(score, scores.get(option, 0.0))

        if typed in prepared.whole:
            hit(prepared.whole[typed], EXACT)
        words = typed.split()
        forms = _forms(text)
        for form in forms:
            if form in prepared.words:
                hit(prepared.words[form], PHRASE)
        padded = f" {typed} "
        beginnings = {form[:MIN_PREFIX] for form in forms}
        keys = forms | beginnings
        for phrase, phrase_words, phrase_keys, option in prepared.phrases:
            if not phrase_keys <= keys:
                continue  # a word of the phrase is missing: most phrases end here, at once
            if f" {phrase} " in padded:
                hit(option, PHRASE)
            elif _covers(phrase_words, forms):
                hit(option, PARTIAL)  # every word of the phrase, in another order or form
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
            found = prepared.near.get(word)
            if found is None:
                found = _near(word, prepared)
                if len(prepared.near) >= MAX_NEAR:
                    prepared.near.clear()
                prepared.near[word] = found
            for option, score in found:
                hit(option, score)


def _near(word: str, prepared: _Prepared) -> tuple[tuple[str, float], ...]:
    """The options a typed word may mean by its form: (option, score) pairs.

    A misspelling keeps its first letter: "docter" may become "doctor", but "wetter"
    must not become "letter".
    """
    found: list[tuple[str, float]] = []
    for known, option in prepared.by_beginning.get(word[:MIN_PREFIX], ()):
        if word.startswith(known) and len(word) - len(known) <= MAX_ENDING:
            found.append((option, PREFIX))  # an inflected form: "jobcenters", "borçlarım"
        elif known.startswith(word):
            found.append((option, UNSURE))  # "день" is not "деньги": too unsure even to ask
    if len(word) >= MIN_FUZZY:
        for known, ratio, _ in process.extract(
            word,
            prepared.by_initial.get(word[0], ()),
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
            limit=None,
        ):
            found.append((prepared.words[known], 0.6 + ratio / 500))
    return tuple(found)
