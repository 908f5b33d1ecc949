"""A topic classifier learnt from the staff's example messages.

Character n-grams (1–5 letters, within words) of folded text, weighted by TF-IDF, feed a
linear model trained with logistic loss (scikit-learn's ``SGDClassifier``). Character
n-grams make it robust to what residents type: typos, missing diacritics, inflections
("Jobcenters", "джобцентра") and German office words inside another language all share most
of their n-grams with the examples. One model serves every language, so a German word in a
Farsi message still counts.

Training is deterministic (a fixed seed) and takes one to two seconds. The trained weights
are kept in memory and in a cache file named by a digest of the examples, so a restart or a
hot reload with unchanged examples loads them in milliseconds, and edited examples are
learnt anew. The cache holds plain arrays (``numpy.savez``, no pickle). Ranking
a message uses the learnt weights directly (a dictionary lookup per n-gram and one small
matrix product) instead of scikit-learn's general prediction path, which costs a
millisecond per call in input checks alone.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from bot.core.ports import TopicScore
from bot.nlu.text import fold

log = logging.getLogger(__name__)

MIN_KNOWN = 0.2
"""Share of a text's longer n-grams that must occur in the examples for a ranking."""
KNOWN_LENGTH = 4
"""n-grams this long (word boundaries count) are specific enough to tell known text."""
MAX_CHARS = 1000
"""The first 1,000 characters decide the topic; a 4,096-character text costs no more."""
NGRAMS = (2, 5)
REGULARISATION = 1e-5
EPOCHS = 10
SEED = 0
"""n-gram lengths, regularisation and epochs were chosen by 5-fold cross-validation on the
training examples (``bench/nlu.py --cross-validate``), never on the evaluation set."""


WORD_CACHE = 1 << 16
"""Words whose n-grams are kept (a few MB at most)."""


@dataclass(frozen=True)
class _Word:
    """What one folded word contributes: its n-grams in the vocabulary, and how many of its
    longer n-grams there are and how many of them are known."""

    indices: tuple[int, ...]
    specific: int
    known: int


class TopicModel:
    """Ranks topics for a message; thread-safe and pure after training."""

    def __init__(
        self,
        *,
        vocabulary: dict[str, int],
        idf: NDArray[np.float32],
        weights: NDArray[np.float32],
        intercept: NDArray[np.float32],
        topics: Sequence[str],
    ) -> None:
        self._vocabulary = vocabulary
        self._idf = idf
        self._weights = weights
        """n-gram × topic: the rows of one message's n-grams are gathered per call."""
        self._intercept = intercept
        self._topics = tuple(topics)
        self._by_word: dict[str, _Word] = {}

    def _word(self, word: str) -> _Word:
        """A word's known n-grams; kept, since the same words come back in message after
        message (a bounded table: cleared when full, then filled again by what is used)."""
        found = self._by_word.get(word)
        if found is None:
            vocabulary = self._vocabulary
            grams = ngrams(word)
            specific = [gram for gram in grams if len(gram) >= KNOWN_LENGTH]
            found = _Word(
                indices=tuple(i for i in map(vocabulary.get, grams) if i is not None),
                specific=len(specific),
                known=sum(map(vocabulary.__contains__, specific)),
            )
            if len(self._by_word) >= WORD_CACHE:
                self._by_word.clear()
            self._by_word[word] = found
        return found

    @classmethod
    def train(cls, examples: Sequence[tuple[str, str]], cache: Path | None = None) -> TopicModel:
        """Learn from (message, topic) pairs; the same pairs give the same model.

        With ``cache`` (a folder), weights learnt before from the same examples are loaded
        from there, and newly learnt ones are saved there.
        """
        digest = _digest(examples)
        with _LOCK:
            model = cls._known(digest, cache)
            if model is None:
                model = _fit(examples)
                if cache:
                    model.save(_cache_file(cache, digest))
                _remember(digest, model)
        return model

    @classmethod
    def learnt(
        cls, examples: Sequence[tuple[str, str]], cache: Path | None = None
    ) -> TopicModel | None:
        """The model for these examples if it is in memory or in the cache; never trains."""
        with _LOCK:
            return cls._known(_digest(examples), cache)

    @classmethod
    def _known(cls, digest: str, cache: Path | None) -> TopicModel | None:
        model = _TRAINED.get(digest)
        if model is None and cache:
            model = cls.load(_cache_file(cache, digest))
            if model is not None:
                _remember(digest, model)
        return model

    @classmethod
    def load(cls, path: Path) -> TopicModel | None:
        """A model saved by :meth:`save`, or None when there is none (or it is unreadable)."""
        try:
            # Opened here, so that a truncated file is closed even when numpy gives up on it.
            with path.open("rb") as handle, np.load(handle, allow_pickle=False) as saved:
                grams = [str(g) for g in saved["grams"]]
                return cls(
                    vocabulary={gram: index for index, gram in enumerate(grams)},
                    idf=saved["idf"],
                    weights=saved["weights"],
                    intercept=saved["intercept"],
                    topics=[str(t) for t in saved["topics"]],
                )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            log.warning("topic model cache %s unreadable (%s); training anew", path, exc)
            return None

    def save(self, path: Path) -> None:
        """Write the weights as plain arrays; a failure only costs training next time."""
        grams = sorted(self._vocabulary, key=self._vocabulary.__getitem__)
        partial = path.with_name(f"{path.stem}.{os.getpid()}.part.npz")  # one per writer
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(
                partial,
                grams=np.array(grams),
                idf=self._idf,
                weights=self._weights,
                intercept=self._intercept,
                topics=np.array(self._topics),
            )
            partial.replace(path)  # whole or not at all: a crash never leaves half a file
        except OSError as exc:
            log.warning("topic model not cached in %s: %s", path.parent, exc)

    @property
    def topics(self) -> tuple[str, ...]:
        """Every topic the model knows."""
        return self._topics

    def rank(self, text: str) -> tuple[TopicScore, ...]:
        """Every topic with its probability, best first.

        Empty when too little of the text is known ("asdfgh", a language no example is
        written in): the model would only guess from single letters.
        """
        found = [self._word(word) for word in _words(text[:MAX_CHARS]).split()]
        counts = Counter(chain.from_iterable(word.indices for word in found))
        specific = sum(word.specific for word in found)
        if not counts or sum(word.known for word in found) < MIN_KNOWN * specific:
            return ()
        rows = np.fromiter(counts.keys(), np.intp, len(counts))
        values = np.fromiter(counts.values(), np.float32, len(counts))
        np.log(values, out=values)  # sublinear term frequency, 1 + log(count), times idf
        values += 1.0
        values *= self._idf[rows]
        values /= np.sqrt(values @ values)
        # One-vs-rest logistic scores, normalised to sum to one (as scikit-learn does).
        logits = values @ self._weights[rows]
        logits += self._intercept
        scores = 1.0 / (1.0 + np.exp(-logits))
        probabilities = (scores / scores.sum()).tolist()
        ranked = map(TopicScore, self._topics, probabilities)
        return tuple(sorted(ranked, key=lambda score: -score.probability))


def _digest(examples: Sequence[tuple[str, str]]) -> str:
    """Names the examples *and* how they are learnt: a changed setting is learnt anew."""
    hasher = hashlib.sha256(f"{NGRAMS}|{REGULARISATION}|{EPOCHS}|{SEED}|words\n".encode())
    for text, topic in examples:
        hasher.update(f"{topic}\t{text}\n".encode())
    return hasher.hexdigest()


_LOCK = threading.Lock()
_TRAINED: dict[str, TopicModel] = {}


def _remember(digest: str, model: TopicModel) -> None:
    _TRAINED.clear()  # one set of examples is in use at a time
    _TRAINED[digest] = model


def _words(text: str) -> str:
    """The folded words the model reads: numbers left out. An age, a date or a house number
    says little about the topic but lent "xyz 14" to children (a 14-year-old) and "xyz 16"
    to violence (married at 16)."""
    return " ".join(word for word in fold(text).split() if not word.isdigit())


def ngrams(text: str) -> list[str]:
    """Character n-grams within words, each word padded with spaces (" jobc", "enter ").

    The same n-grams as scikit-learn's ``char_wb`` analyser, without loading scikit-learn
    when the model comes from the cache (importing it costs a second or two at start-up).
    """
    low, high = NGRAMS
    grams = []
    for word in text.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, min(high, length) + 1):
            grams += [padded[i : i + n] for i in range(length - n + 1)]
        if length < low:
            grams.append(padded)
    return grams


def _cache_file(cache: Path, digest: str) -> Path:
    return cache / f"topics-{digest[:16]}.npz"


def _fit(examples: Sequence[tuple[str, str]]) -> TopicModel:
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 - see ngrams()
    from sklearn.linear_model import SGDClassifier  # noqa: PLC0415

    texts = [_words(text) for text, _ in examples]
    labels = [topic for _, topic in examples]
    vectorizer = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, dtype=np.float32)
    features = vectorizer.fit_transform(texts)
    model = SGDClassifier(
        loss="log_loss", alpha=REGULARISATION, max_iter=EPOCHS, tol=None, random_state=SEED
    )
    model.fit(features, labels)
    return TopicModel(
        vocabulary={gram: int(index) for gram, index in vectorizer.vocabulary_.items()},
        idf=vectorizer.idf_.astype(np.float32),
        weights=np.ascontiguousarray(model.coef_.T, dtype=np.float32),
        intercept=model.intercept_.astype(np.float32),
        topics=[str(topic) for topic in model.classes_],
    )
