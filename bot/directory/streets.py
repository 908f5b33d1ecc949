"""Find a resident's quarter from a typed street name or a shared location.

Residents type street names as they say them: without umlauts, with "str." or "strasse",
with a house number, with typos. Both the typed text and the known names are reduced to one
comparison key, and only then compared fuzzily, so the fuzzy part deals with real typos only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.ports import GeoPoint, StreetMatch
from bot.directory.geo import distance_m, in_hameln
from bot.directory.model import Confidence, Quarter

MIN_SCORE = 85.0
"""Lowest rapidfuzz ratio (0-100) accepted as a match; below it the text is not a known street."""

_AFTER_NAME = re.compile(r"[,/(].*$")
_UMLAUT_SPELLINGS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_NOISE_WORDS = re.compile(r"\b(?:hameln|nr|nummer|in|der|die|am|an)\b")
_HOUSE_NUMBER = re.compile(r"\d+\s*[a-z]?\b")
_STREET_SUFFIX = re.compile(r"str(?:asse|ase|\.)?(?![a-z])")
_NOT_LETTER = re.compile(r"[^a-z]+")


def street_key(text: str) -> str:
    """Reduce a street name to the key used for comparison.

    "Meißelstraße", "Meisselstrasse" and "meisselstr. 5" all become ``"meisselstr"``.

    Args:
        text: A street name as written by staff or typed by a resident.

    Returns:
        Lower-case ASCII letters only; empty when nothing street-like is left.
    """
    # Whatever follows a comma, slash or bracket is town, corner or remark, not the street.
    name = _AFTER_NAME.sub("", text)
    # casefold turns ß into ss; NFKD splits ä into a + combining mark, which is then dropped.
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    # Residents without a German keyboard write ä as "ae"; map both spellings to one.
    for spelled, base in _UMLAUT_SPELLINGS:
        plain = plain.replace(spelled, base)
    plain = _HOUSE_NUMBER.sub(" ", plain)
    plain = _NOISE_WORDS.sub(" ", plain)
    plain = _STREET_SUFFIX.sub("str", plain)
    return _NOT_LETTER.sub("", plain)


@dataclass(frozen=True)
class KnownName:
    """A street or area name and the quarter it is assigned to."""

    name: str
    quarter: str
    confidence: Confidence


class StreetIndex:
    """The street and area names of all quarters, ready for matching."""

    def __init__(self, quarters: Iterable[Quarter]) -> None:
        """Index the streets and areas of the given quarters.

        Args:
            quarters: The quarters; a name listed twice keeps its first quarter.
        """
        self._by_key: dict[str, KnownName] = {}
        for quarter in quarters:
            for name, mark in (*quarter.streets.items(), *quarter.areas.items()):
                key = street_key(name)
                if key:
                    self._by_key.setdefault(key, KnownName(name, quarter.id, mark))
        self._keys = list(self._by_key)

    def lookup(self, name: str) -> KnownName | None:
        """Return the entry whose key equals the name's key (no fuzzy matching).

        Args:
            name: A street name, e.g. from a place's address.

        Returns:
            The known name, or None.
        """
        return self._by_key.get(street_key(name))

    def match(self, text: str) -> StreetMatch | None:
        """Match typed text to a known street or area, tolerating typos.

        Args:
            text: What the resident typed, e.g. ``"kaiser str 80"``.

        Returns:
            The match with a score from 0 to 1, or None when nothing is close enough.
        """
        key = street_key(text)
        if len(key) < 3:
            return None
        exact = self._by_key.get(key) or self._by_key.get(f"{key}str")
        if exact is not None:
            return StreetMatch(exact.name, exact.quarter, 1.0)
        best = process.extractOne(key, self._keys, scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
        if best is None:
            return None
        known = self._by_key[best[0]]
        return StreetMatch(known.name, known.quarter, round(best[1] / 100, 3))


def nearest_quarter(point: GeoPoint, quarters: Iterable[Quarter]) -> str | None:
    """Return the quarter whose centroid is nearest to a point.

    Args:
        point: A location a resident shared.
        quarters: The quarters; those without a centroid are skipped.

    Returns:
        The quarter id, or None when the point is outside Hameln or no centroid is known.
    """
    if not in_hameln(point):
        return None
    candidates = [
        (distance_m(point, q.centroid.point), q.id) for q in quarters if q.centroid is not None
    ]
    return min(candidates)[1] if candidates else None
