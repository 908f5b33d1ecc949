"""Lotse's reading of typed messages: safety cues, then the topic model.

Safety has two sources. The cue lists find danger described in any language with high
precision; the topic model adds recall for wordings no cue covers. A cue, or a confident
model, raises a strong alarm; some probability of danger raises a weak one, which only
adds a short line with the numbers. Recall matters more than precision here:
``bench/nlu.py`` measures both on held-out messages.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

from bot.core.ports import Reading, TopicRoute, TopicScore
from bot.nlu.data import SAFETY_KINDS, NluData
from bot.nlu.safety import SafetyCues
from bot.nlu.topics import TopicModel

STRONG_DANGER = 0.5
"""The model's top topic is a danger with at least this probability: a strong alarm."""
WEAK_DANGER = 0.3
"""The danger topics together reach this probability: a weak alarm. The rule, applied to
5-fold cross-validation on the training examples (``bench/nlu.py --cross-validate``): the
lowest threshold whose false alarms stay at or below 10 %. With 9,313 examples that is 0.3:
the model alone finds 92 % of danger messages with 8 % false alarms (the short line only);
the cues add the rest of the recall."""


class Reader:
    """Implements :class:`bot.core.ports.Understanding` over the data in ``nlu/``."""

    def __init__(
        self, data: NluData, cache: Path | None = None, *, background: bool = False
    ) -> None:
        """With ``background``, a model not learnt before is learnt in a thread: the bot
        answers at once, with the safety cues, and reads topics a second or two later."""
        self._routes = dict(data.routes)
        self._cues = SafetyCues(data.cues)
        examples = data.training_set()
        self._model: TopicModel | None = None
        if not examples:
            return
        self._model = TopicModel.learnt(examples, cache)
        if self._model is not None:
            return
        if background:
            learning = threading.Thread(
                target=self._learn, args=(examples, cache), name="learn-topics", daemon=True
            )
            learning.start()
        else:
            self._learn(examples, cache)

    def _learn(self, examples: list[tuple[str, str]], cache: Path | None) -> None:
        self._model = TopicModel.train(examples, cache)

    @property
    def routes(self) -> Mapping[str, TopicRoute]:
        """Every topic and where it leads."""
        return self._routes

    def read(self, text: str) -> Reading:
        """Check ``text`` for danger and rank the topics it may be about."""
        topics = self._model.rank(text) if self._model else ()
        cue = self._cues.find(text)
        if cue:
            return Reading(cue, "strong", topics)
        return Reading(*_model_alarm(topics), topics)


def _model_alarm(topics: tuple[TopicScore, ...]) -> tuple[str | None, str | None]:
    """(danger, alarm) as far as the topic model sees danger."""
    danger = [t for t in topics if t.topic in SAFETY_KINDS]
    if not danger:
        return None, None
    likeliest = danger[0]
    if topics[0] is likeliest and likeliest.probability >= STRONG_DANGER:
        return likeliest.topic, "strong"
    if sum(t.probability for t in danger) >= WEAK_DANGER:
        return likeliest.topic, "weak"
    return None, None
