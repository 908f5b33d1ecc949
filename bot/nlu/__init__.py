"""Understanding typed answers: lemmatisation (simplemma) and fuzzy matching (rapidfuzz).

"у меня долги", "Schulden", "Schuldenberatung" and "Schulen" are told apart by comparing
word forms, not letters only: words are reduced to their dictionary form where simplemma
knows the language, and spelling mistakes are forgiven by an edit-distance ratio.
"""

from bot.nlu.matcher import FuzzyMatcher

__all__ = ["FuzzyMatcher"]
