"""Understanding what residents type: safety cues, a topic model, and option matching.

- :mod:`bot.nlu.data` reads ``nlu/`` (topics, examples, safety cues) with located issues;
- :mod:`bot.nlu.safety` finds danger cues of every language in a message;
- :mod:`bot.nlu.topics` learns topics from the examples (scikit-learn);
- :mod:`bot.nlu.understanding` combines both for the engine;
- :mod:`bot.nlu.matcher` matches typed answers against the options of a question.
"""

from bot.nlu.data import NluData, load_nlu
from bot.nlu.matcher import FuzzyMatcher
from bot.nlu.understanding import Reader

__all__ = ["FuzzyMatcher", "NluData", "Reader", "load_nlu"]
