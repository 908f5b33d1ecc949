"""One spelling for every way residents write the same word.

Residents type without diacritics, with Arabic or Persian letter variants, Persian or
Arabic-Indic digits and stretched letters ("helppp"). Cue lists, training examples and
typed messages all pass through :func:`fold`, so each of those spellings compares equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.core.matching import normalise

# Arabic-script letters written several ways: hamza carriers, alef maqsura, ta marbuta,
# and the Arabic/Persian forms of kaf and ya (Persian keyboards type one, Arabic the other).
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ۍ": "ي",
        "ئ": "ي",
        "ة": "ه",
        "ۀ": "ه",
        "ك": "ک",
        "ؤ": "و",
        # Latin letters that Unicode does not decompose into a base letter and a mark.
        "ł": "l",
        "đ": "d",
        "ı": "i",
        "ø": "o",
        "ـ": "",  # tatweel stretches a word without changing it
        "\u200c": " ",  # Persian zero-width non-joiner separates parts of one word
        "\u200d": "",
    }
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_REPEATS = re.compile(r"(\w)\1{2,}")


@lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """Casefold, unify letter variants and digits, drop marks and punctuation.

    "Helppp!!! Er schlägt mich" → "helpp er schlagt mich"; "أنا مريضة" → "انا مريضه".

    Cached, as one message is folded by several readers in its turn (safety, topics,
    every question it may answer); small, so that residents' messages do not linger.
    """
    # Compatibility forms first (Arabic presentation forms copied from a PDF become the
    # letters people type), then the variants table on lower case ("Ø" as "ø").
    plain = unicodedata.normalize("NFKC", text).casefold()
    unified = plain.translate(_LETTERS).translate(_DIGITS)
    return _REPEATS.sub(r"\1\1", normalise(unified))


def words(text: str) -> list[str]:
    """The folded words of a text."""
    return fold(text).split()
