"""Text preparation: normalisation, tokens, scripts and folding.

Everything here is pure and cheap; the detector calls it once per message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

# Links, handles and mail addresses carry no language; they would add ASCII n-grams that
# pull every message towards English.
_NOISE_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|[@#]\w+", re.IGNORECASE)
# Arabic diacritics (harakat) and tatweel are optional in writing; stripping them makes
# vocalised and unvocalised spellings of a word identical.
_ARABIC_MARKS_RE = re.compile("[\u0640\u064b-\u065f\u0670\u06d6-\u06ed]")
# A word: letters, with combining marks, zero-width non-joiner (Persian "می‌کند") and inner
# apostrophes (Ukrainian "б'є", Turkish "Jobcenter'dan") kept inside it.
_TOKEN_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f\u200c]|['’ʼ](?=[^\W\d_]))*")
_APOSTROPHES = "'’ʼ"
ZWNJ = "\u200c"


class Script(Enum):
    """Writing systems the detector tells apart."""

    LATIN = "latin"
    CYRILLIC = "cyrillic"
    ARABIC = "arabic"
    ETHIOPIC = "ethiopic"
    OTHER = "other"


_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0041, 0x024F, Script.LATIN),
    (0x1E00, 0x1EFF, Script.LATIN),
    (0x0400, 0x052F, Script.CYRILLIC),
    (0x0600, 0x06FF, Script.ARABIC),
    (0x0750, 0x077F, Script.ARABIC),
    (0x08A0, 0x08FF, Script.ARABIC),
    (0xFB50, 0xFDFF, Script.ARABIC),
    (0xFE70, 0xFEFF, Script.ARABIC),
    (0x1200, 0x139F, Script.ETHIOPIC),
    (0x2D80, 0x2DDF, Script.ETHIOPIC),
    (0xAB00, 0xAB2F, Script.ETHIOPIC),
)


def script_of_char(char: str) -> Script:
    """Return the script of one letter.

    Args:
        char: A single character, expected to be a letter.

    Returns:
        The script; ``Script.OTHER`` for anything outside the known ranges.
    """
    code = ord(char)
    if code < 0x80:
        return Script.LATIN if char.isalpha() else Script.OTHER
    for low, high, script in _RANGES:
        if low <= code <= high:
            return script
    return Script.OTHER


# Scripts where one character carries more than one letter does: Han and kana (written
# without spaces, a character is about a short word) and the syllabaries Ge'ez and Hangul.
_HEAVY_RANGES: tuple[tuple[int, int, int], ...] = (
    (0x1200, 0x139F, 2),
    (0x2D80, 0x2DDF, 2),
    (0xAB00, 0xAB2F, 2),
    (0xAC00, 0xD7AF, 2),
    (0x3040, 0x30FF, 3),
    (0x3400, 0x4DBF, 3),
    (0x4E00, 0x9FFF, 3),
    (0xF900, 0xFAFF, 3),
    (0x20000, 0x2FFFF, 3),
)


def letter_weight(word: str) -> int:
    """Count a word's letters so that lengths compare across scripts.

    Args:
        word: A token.

    Returns:
        The number of letters, a Ge'ez or Hangul syllable counting two and a Han or kana
        character three.
    """
    total = len(word)
    for char in word:
        code = ord(char)
        if code >= _HEAVY_RANGES[0][0]:
            total += next((w - 1 for low, high, w in _HEAVY_RANGES if low <= code <= high), 0)
    return total


@dataclass(frozen=True)
class Token:
    """One word of a message with its script and folded form."""

    text: str
    lower: str
    folded: str
    script: Script


def normalise(text: str) -> str:
    """Normalise a raw message before tokenising.

    NFKC maps Arabic presentation forms and full-width letters to plain letters; links,
    handles and Arabic vowel marks are removed.

    Args:
        text: The raw message.

    Returns:
        The cleaned message.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _NOISE_RE.sub(" ", text)
    return _ARABIC_MARKS_RE.sub("", text)


WORD_CACHE = 1 << 16
"""Words whose analysis is kept (about 10 MB at most): frequent words repeat constantly."""

# Letters NFD does not decompose, mapped to the base letter people type without diacritics.
_FOLD_TABLE = str.maketrans({"ł": "l", "ı": "i", "ß": "ss", "ø": "o", "đ": "d", "ħ": "h"})


def fold(word: str) -> str:
    """Fold a word for lexicon look-ups: lower case, no diacritics, no apostrophes.

    Residents often type without diacritics ("multumesc", "dziekuje", "tesekkur"), so the
    lexicons are keyed by the folded form. Cyrillic й/ё and Arabic-script letters are left
    alone because their dots are not optional marks but distinct letters.

    Args:
        word: A single token.

    Returns:
        The folded key.
    """
    lower = word.lower().translate(_FOLD_TABLE)
    if lower.isascii():
        return lower
    out = []
    for char in lower:
        if char in _APOSTROPHES or char == ZWNJ:
            continue
        if script_of_char(char) is Script.LATIN and not char.isascii():
            base = unicodedata.normalize("NFD", char)[0]
            out.append(base)
        else:
            out.append(char)
    return "".join(out)


def _token_script(word: str) -> Script:
    counts: dict[Script, int] = {}
    for char in word:
        if char.isalpha():
            script = script_of_char(char)
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return Script.OTHER
    return max(counts.items(), key=lambda item: item[1])[0]


def tokenize(text: str) -> list[Token]:
    """Split a normalised message into word tokens.

    Args:
        text: Output of :func:`normalise`.

    Returns:
        The word tokens in order; digits, emoji and punctuation are dropped.
    """
    return [_token(match.group(0)) for match in _TOKEN_RE.finditer(text)]


@lru_cache(maxsize=WORD_CACHE)
def _token(word: str) -> Token:
    """One word's token; cached, as residents' messages share most of their words."""
    return Token(word, word.lower(), fold(word), _token_script(word))


def strip_suffix_apostrophe(word: str) -> str:
    """Return the part of a word before an apostrophe ("Jobcenter'dan" -> "Jobcenter")."""
    for index, char in enumerate(word):
        if char in _APOSTROPHES:
            return word[:index]
    return word
