"""Language identification for short resident messages, restricted to offered languages.

Use :class:`LanguageIdentifier`; it implements :class:`bot.core.ports.LanguageDetector`.
"""

from bot.langid.detector import OFFERED_LANGUAGES, LanguageIdentifier, normalise_hint

__all__ = ["OFFERED_LANGUAGES", "LanguageIdentifier", "normalise_hint"]
