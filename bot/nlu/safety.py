"""The rule-based first check for danger: safety cues of every language at once.

A resident in danger may write in any language, whatever the conversation's language is,
so every language's cues are checked. A cue is a word or phrase of folded words
(:func:`bot.nlu.text.fold`); a word ending in ``*`` matches any word starting with it; the
words of a phrase must come in order with at most :data:`MAX_GAP` other words between.
Long words also match with one typo ("vergewaltgt"), because residents in panic mistype.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.nlu.data import CALL_FILLERS, CALLS
from bot.nlu.text import fold

MAX_GAP = 2
"""Other words allowed between two words of a phrase ("er hat mich gestern geschlagen")."""
MIN_TYPO_LENGTH = 7
"""Only words this long are matched with one typo: shorter ones collide with other words
(Arabic "انتحار", suicide, and "انتظار", waiting, differ in one letter)."""
MAX_WORDS = 400
"""A 4,096-character message has at most a few hundred words; the rest adds nothing."""
PREFIX_KEY = 3
MAX_REMEMBERED = 50_000
"""Words whose typo lookup is remembered (a few MB at most)."""


@dataclass(frozen=True)
class _Word:
    """One word of a cue: whole, or a prefix when the cue word ends in ``*``."""

    text: str
    prefix: bool

    def matches(self, candidates: frozenset[str]) -> bool:
        if self.prefix:
            return any(c.startswith(self.text) for c in candidates)
        return self.text in candidates


@dataclass(frozen=True)
class _Cue:
    kind: str
    words: tuple[_Word, ...]


WORD_CACHE = 1 << 14
"""Words whose squeezed form is kept: every message's words are squeezed."""


@lru_cache(maxsize=WORD_CACHE)
def _squeeze(word: str) -> str:
    """ "hilfee", "heeelp" → "hilfe", "help": a call for help is often stretched."""
    return _DOUBLES.sub(r"\1", word)


_DOUBLES = re.compile(r"(\w)\1+")


def _word_set(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(_squeeze(word) for text in texts for word in fold(text).split())


def _parse(cue: str, kind: str) -> _Cue | None:
    words = []
    for raw in cue.split():
        prefix = raw.endswith("*")
        folded = fold(raw.rstrip("*"))
        # Folding may split a word ("l'aide" → "l aide"); every part must then follow.
        parts = folded.split()
        if not parts:
            continue
        words += [_Word(p, False) for p in parts[:-1]]
        words.append(_Word(parts[-1], prefix))
    return _Cue(kind, tuple(words)) if words else None


class SafetyCues:
    """Finds the first safety cue in a message, in any language."""

    def __init__(self, cues: Mapping[str, Iterable[str]]) -> None:
        self._by_word: dict[str, list[_Cue]] = defaultdict(list)
        self._by_prefix: dict[str, list[_Cue]] = defaultdict(list)
        self._calls = _word_set(cues.get(CALLS, ()))
        self._fillers = _word_set(cues.get(CALL_FILLERS, ())) | self._calls
        vocabulary: set[str] = set()
        for kind, texts in cues.items():
            if kind in (CALLS, CALL_FILLERS):
                continue
            for text in texts:
                cue = _parse(text, kind)
                if cue is None:
                    continue
                first = cue.words[0]
                index = self._by_prefix if first.prefix else self._by_word
                index[first.text[:PREFIX_KEY] if first.prefix else first.text].append(cue)
                vocabulary |= {w.text for w in cue.words if not w.prefix}
        self._long_words = sorted(w for w in vocabulary if len(w) >= MIN_TYPO_LENGTH)
        self._vocabulary = frozenset(vocabulary)
        self._typos: dict[str, frozenset[str]] = {}
        """Word → its spellings: looking up a typo costs far more than remembering it."""

    def find(self, text: str) -> str | None:
        """The kind of the first cue found ("violence" or "emergency"), or None.

        A bare call for help ("SOS", "Hilfe!!! schnell") is an emergency too: punctuation is
        gone once folded, so the words must say it.
        """
        words = fold(text).split()[:MAX_WORDS]
        squeezed = {_squeeze(word) for word in words}
        if squeezed & self._calls and self._fillers.issuperset(squeezed):
            return "emergency"
        positions = [self._spellings(word) for word in words]
        for start, spellings in enumerate(positions):
            for cue in self._starting_with(spellings):
                if self._rest_follows(cue, positions, start):
                    return cue.kind
        return None

    def _spellings(self, word: str) -> frozenset[str]:
        """The word as typed, plus the cue word it misspells, if any."""
        if len(word) < MIN_TYPO_LENGTH or word in self._vocabulary:
            return frozenset((word,))
        known = self._typos.get(word)
        if known is None:
            found = process.extractOne(
                word, self._long_words, scorer=Levenshtein.distance, score_cutoff=1
            )
            known = frozenset((word, found[0])) if found else frozenset((word,))
            if len(self._typos) >= MAX_REMEMBERED:
                self._typos.clear()
            self._typos[word] = known
        return known

    def _starting_with(self, spellings: frozenset[str]) -> Iterable[_Cue]:
        for word in spellings:
            yield from self._by_word.get(word, ())
            yield from (
                cue
                for cue in self._by_prefix.get(word[:PREFIX_KEY], ())
                if cue.words[0].matches(spellings)
            )

    @staticmethod
    def _rest_follows(
        cue: _Cue, positions: Sequence[frozenset[str]], start: int, done: int = 1
    ) -> bool:
        """The cue's words from ``done`` on follow ``start``, each within the gap; every
        place a word matches is tried ("mit dem Hund dem alten Messer")."""
        if done == len(cue.words):
            return True
        word = cue.words[done]
        window = range(start + 1, min(start + 2 + MAX_GAP, len(positions)))
        return any(
            word.matches(positions[at]) and SafetyCues._rest_follows(cue, positions, at, done + 1)
            for at in window
        )
