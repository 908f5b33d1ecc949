"""The character n-gram model: py3langid's naive Bayes model, restricted and re-scaled.

py3langid (BSD-3-Clause) ships its model inside the wheel, so nothing is downloaded at
run time. We ask it for raw log-scores over the offered languages once and turn them into
probabilities over whatever candidate subset the script rules leave, which is the same
as restricting the model to that subset (softmax over a subset = renormalised softmax).

The same model over all its languages is the second opinion on whether a text is in a
language Lotse does not offer (:meth:`NgramModel.wide_scores`).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Mapping
from typing import Protocol, cast

NO_LANGUAGE = "zxx"
"""py3langid's label for text without linguistic content; never a language."""


class _Identifier(Protocol):
    """The part of py3langid's LanguageIdentifier we use."""

    def set_languages(self, langs: list[str] | None = None) -> None: ...

    def rank(self, text: str) -> list[tuple[str, float]]: ...

    @property
    def labels(self) -> list[str]: ...


def _load_identifier() -> _Identifier:
    # Imported lazily so that importing bot.langid stays cheap for code that never
    # detects; loading the model takes ~0.4 s once per detector.
    from py3langid.langid import (  # type: ignore[import-untyped]  # noqa: PLC0415
        MODEL_FILE,
        LanguageIdentifier,
    )

    return cast(_Identifier, LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False))


class NgramModel:
    """Log-probabilities of a text under each offered language.

    Args:
        languages: The languages to score; all must be known to the model.

    Raises:
        ValueError: If a language is unknown to the model.
    """

    def __init__(self, languages: Iterable[str]) -> None:
        self.languages = tuple(sorted(set(languages)))
        # Each model owns its identifier: set_languages mutates it in place.
        identifier = _load_identifier()
        known = set(identifier.labels)
        unknown = [lang for lang in self.languages if lang not in known]
        if unknown:
            raise ValueError(f"the language model does not know: {', '.join(unknown)}")
        self.labels = tuple(label for label in identifier.labels if label != NO_LANGUAGE)
        """Every language the model knows (for the unoffered check)."""
        # A shallow copy shares the 28 MB table; set_languages only slices its own view.
        self._wide = identifier
        self._identifier = copy.copy(identifier)
        self._identifier.set_languages(list(self.languages))

    def log_probs(self, text: str, candidates: Iterable[str]) -> Mapping[str, float]:
        """Score ``text`` and normalise over ``candidates``.

        Args:
            text: The content words of the message, space-separated.
            candidates: A subset of the model's languages.

        Returns:
            Natural-log probabilities over the candidates (they sum to 1 in probability).
        """
        wanted = set(candidates)
        # rank() is ordered by score, then by its fixed label order, so the sums below are
        # taken in the same order on every run.
        raw = {lang: score for lang, score in self._identifier.rank(text) if lang in wanted}
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
            lang: score * scale for lang, score in self._wide.rank(text) if lang != NO_LANGUAGE
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
