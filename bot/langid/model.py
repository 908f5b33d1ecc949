"""The character n-gram model: py3langid's naive Bayes model, restricted and re-scaled.

py3langid (BSD-3-Clause) ships its model inside the wheel, so nothing is downloaded at
run time. We ask it for raw log-scores over all its languages once per text and turn those
of the candidates the script rules leave into probabilities, which is the same as
restricting the model to them (softmax over a subset = renormalised softmax).

The same model over all its languages is the second opinion on whether a text is in a
language Lotse does not offer (:meth:`NgramModel.wide_scores`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Protocol, cast

from bot.langid.mapped import mapped_identifier, unpack

NO_LANGUAGE = "zxx"
"""py3langid's label for text without linguistic content; never a language."""


class _Identifier(Protocol):
    """The part of py3langid's LanguageIdentifier we use."""

    def rank(self, text: str) -> list[tuple[str, float]]: ...

    @property
    def labels(self) -> list[str]: ...


@lru_cache(maxsize=2)
def _load_identifier(cache: Path | None) -> _Identifier:
    """The model, loaded once per process and shared: it is only read.

    With a cache folder, the model is mapped from files unpacked there (see
    :mod:`bot.langid.mapped`), which are written on the first load. Imported lazily so
    that importing bot.langid stays cheap for code that never detects; loading the
    packed model takes ~0.4 s.
    """
    from py3langid import __version__  # type: ignore[import-untyped]  # noqa: PLC0415
    from py3langid.langid import (  # type: ignore[import-untyped]  # noqa: PLC0415
        MODEL_FILE,
        LanguageIdentifier,
    )

    if cache is not None:
        found = mapped_identifier(cache, LanguageIdentifier, __version__)
        if found is not None:
            return cast(_Identifier, found)
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    if cache is not None:
        unpack(identifier, cache, __version__)
    return cast(_Identifier, identifier)


class NgramModel:
    """Log-probabilities of a text under each offered language.

    Args:
        languages: The languages to score; all must be known to the model.
        cache: A folder to map the model from (unpacked there on first use), or None to
            load it into memory.

    Raises:
        ValueError: If a language is unknown to the model.
    """

    def __init__(self, languages: Iterable[str], cache: Path | None = None) -> None:
        self.languages = tuple(sorted(set(languages)))
        identifier = _load_identifier(cache)
        known = set(identifier.labels)
        unknown = [lang for lang in self.languages if lang not in known]
        if unknown:
            raise ValueError(f"the language model does not know: {', '.join(unknown)}")
        self.labels = tuple(label for label in identifier.labels if label != NO_LANGUAGE)
        """Every language the model knows (for the unoffered check)."""
        self._identifier = identifier
        self._last: tuple[str, dict[str, float]] = ("", {})

    def _raw(self, text: str) -> dict[str, float]:
        """Raw scores over every language, best first; the last text's are kept, as a
        detection asks for the offered and the wide view of the same words."""
        last_text, last_scores = self._last
        if text == last_text and last_scores:
            return last_scores
        # rank() is ordered by score, then by its fixed label order, so every sum over
        # these scores is taken in the same order on every run.
        scores = dict(self._identifier.rank(text))
        self._last = (text, scores)
        return scores

    def log_probs(self, text: str, candidates: Iterable[str]) -> Mapping[str, float]:
        """Score ``text`` and normalise over ``candidates``.

        Args:
            text: The content words of the message, space-separated.
            candidates: A subset of the model's languages.

        Returns:
            Natural-log probabilities over the candidates (they sum to 1 in probability).
        """
        wanted = set(candidates)
        # Each language's naive Bayes score depends on its own column only, so scoring
        # every language and keeping some equals restricting the model to them.
        raw = {lang: score for lang, score in self._raw(text).items() if lang in wanted}
        return _normalised(raw, text)

    def wide_scores(self, text: str) -> Mapping[str, float]:
        """Score ``text`` against every language the model knows, offered or not.

        Args:
            text: The content words of the message, space-separated.

        Returns:
            Natural-log scores on the same scale as :meth:`log_probs`, but not normalised
            (they differ from log-probabilities by one constant, which cancels in any
            comparison); without the "no linguistic content" label.
        """
        scale = _scale(text)
        return {
            lang: score * scale for lang, score in self._raw(text).items() if lang != NO_LANGUAGE
        }


def _scale(text: str) -> float:
    # py3langid's own calibration: divide by sqrt(bytes) so a long text does not make
    # every decision look certain.
    return 1.0 / math.sqrt(max(len(text.encode("utf-8")), 1))


def _normalised(raw: Mapping[str, float], text: str) -> dict[str, float]:
    if not raw:
        return {}
    scale = _scale(text)
    scaled = {lang: score * scale for lang, score in raw.items()}
    top = max(scaled.values())
    total = math.log(sum(math.exp(value - top) for value in scaled.values())) + top
    return {lang: value - total for lang, value in scaled.items()}
