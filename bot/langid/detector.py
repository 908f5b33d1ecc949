"""Lotse's language detector for short chat messages.

Pipeline for one message:

1. Normalise and tokenise; drop links, digits, emoji and punctuation.
2. Set aside German administrative loanwords ("Jobcenter", "Termin"...) and greetings
   shared by several languages ("hallo", "salam", "merhaba"...): they say little about
   the resident's language.
3. The dominant script of the remaining words picks the candidates (Cyrillic: uk/ru/bg,
   Arabic script: ar/fa/ps, Latin: the rest); words in other scripts are ignored. A clear
   message in a script no offered language uses is "unoffered" (``Detection.unoffered``).
4. Score each candidate: py3langid's n-gram log-probability + letter rules (penalties
   for languages that lack a letter) + a bonus per frequent word of the language.
   Before that, a clear message (3+ words) may still turn out to be in none of the offered
   languages (Croatian, Somali, Urdu...): see :mod:`bot.langid.unoffered`.
5. The Telegram hint adds a prior that is strong for 1–2 words and weak for sentences.
6. ``reliable`` is decided without the hint, so a resident's phone setting never makes
   a guess look solid enough to switch the conversation silently.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from bot.core.ports import Detection
from bot.langid.lexicon import is_loanword, loan_key, shared_word, word_languages
from bot.langid.model import NgramModel
from bot.langid.rules import RULE_LANGUAGES, SCRIPT_LANGUAGES, letter_evidence
from bot.langid.text import Script, Token, normalise, tokenize
from bot.langid.unoffered import UnofferedCheck

OFFERED_LANGUAGES: tuple[str, ...] = (
    "de", "en", "uk", "ru", "ar", "fa", "ps", "tr", "ku", "ro", "bg", "pl", "sq",
)  # fmt: skip

# Telegram clients send IETF tags; a few send legacy or macro-language codes.
_HINT_ALIASES: Mapping[str, str] = {
    "ua": "uk",
    "prs": "fa",
    "pes": "fa",
    "kmr": "ku",
    "pbt": "ps",
    "pbu": "ps",
    "pst": "ps",
    "arb": "ar",
    "als": "sq",
}

# Weights in natural-log units (see the module docstring); chosen as round numbers.
WORD_BONUS = 1.5  # a frequent word of the language
SHARED_BONUS = 0.5  # a shared greeting next to real content ("salam, doktor lazim")
DEFAULT_BONUS = 1.0  # the usual language of a shared greeting or loanword
HINT_PRIOR_SHORT = 3.0  # 1–2 content words: the hint decides unless letters object
HINT_PRIOR_MEDIUM = 1.0  # 3–5 words
HINT_PRIOR_LONG = 0.5  # 6+ words: the text speaks for itself
HINT_PRIOR_NO_CONTENT = 4.0  # only loanwords or greetings: the hint is all we have

# reliable=True needs this posterior without the hint...
MIN_OWN_WORDS = 2  # different frequent words of one language alone that settle it
RELIABLE_PROBABILITY = 0.90
# ...and, for one or two words, this much.
RELIABLE_PROBABILITY_SHORT = 0.97
MIN_RELIABLE_LETTERS = 4
SHORT_WORDS = 2
MEDIUM_WORDS = 5
MAX_CHARS = 2000  # longer messages are cut: the first 2,000 characters settle it

UNDETERMINED = Detection(language=None, confidence=0.0, reliable=False, scores={})


def normalise_hint(hint: str | None, offered: Iterable[str]) -> str | None:
    """Reduce a Telegram ``language_code`` to an offered ISO 639-1 code.

    Args:
        hint: E.g. "en-US", "pt-br", "uk", "UA", or None.
        offered: The offered language codes.

    Returns:
        The primary subtag if it (or its alias) is offered, else None.
    """
    if not hint:
        return None
    primary = hint.strip().replace("_", "-").split("-")[0].lower()
    primary = _HINT_ALIASES.get(primary, primary)
    return primary if primary in set(offered) else None


def _softmax(logits: Mapping[str, float]) -> dict[str, float]:
    top = max(logits.values())
    exps = {lang: math.exp(value - top) for lang, value in logits.items()}
    total = sum(exps.values())
    return {lang: value / total for lang, value in exps.items()}


def _hint_prior(content_words: int) -> float:
    if content_words == 0:
        return HINT_PRIOR_NO_CONTENT
    if content_words <= SHORT_WORDS:
        return HINT_PRIOR_SHORT
    if content_words <= MEDIUM_WORDS:
        return HINT_PRIOR_MEDIUM
    return HINT_PRIOR_LONG


def _dominant_script(tokens: Iterable[Token]) -> Script | None:
    letters: dict[Script, int] = {}
    for token in tokens:
        letters[token.script] = letters.get(token.script, 0) + len(token.text)
    if not letters:
        return None
    # Ties go to the first-listed script, so the result does not depend on dict order.
    order = list(Script)
    return max(letters, key=lambda script: (letters[script], -order.index(script)))


class LanguageIdentifier:
    """Detects which offered language a resident writes in.

    Implements :class:`bot.core.ports.LanguageDetector`. Deterministic, offline and pure:
    the n-gram model ships inside the py3langid wheel.

    Args:
        offered: ISO 639-1 codes of the languages Lotse answers in; detection never
            returns anything else.
        cache: A folder to map the n-gram model from instead of loading it (see
            :mod:`bot.langid.mapped`).

    Raises:
        ValueError: If ``offered`` is empty or names a language the model cannot score.
    """

    def __init__(
        self, offered: Sequence[str] = OFFERED_LANGUAGES, *, cache: Path | None = None
    ) -> None:
        codes = tuple(dict.fromkeys(code.strip().lower() for code in offered))
        if not codes:
            raise ValueError("offered languages must not be empty")
        self.offered = codes
        self._order = {lang: index for index, lang in enumerate(codes)}
        self._model = NgramModel(codes, cache)
        self._unoffered = UnofferedCheck(self._model, codes)
        self._by_script: dict[Script, frozenset[str]] = {}
        anywhere = frozenset(lang for lang in codes if lang not in RULE_LANGUAGES)
        for script in Script:
            native = SCRIPT_LANGUAGES.get(script, frozenset())
            self._by_script[script] = frozenset(codes) & native | anywhere

    def detect(self, text: str, hint: str | None = None) -> Detection:
        """Guess the language of one message.

        Args:
            text: The message as the resident typed it.
            hint: Telegram's ``language_code`` of the resident, or None.

        Returns:
            The guess; ``language`` is None for empty, digit-only or emoji-only text, and
            for text in a language Lotse does not offer (then ``unoffered`` is True).
        """
        normalised = normalise(text[:MAX_CHARS])
        tokens = tokenize(normalised)
        if not tokens:
            return UNDETERMINED
        hint_lang = normalise_hint(hint, self.offered)
        content: list[Token] = []
        shared: list[Token] = []
        loans: list[Token] = []
        for token in tokens:
            if token.script is Script.LATIN and is_loanword(token.text):
                loans.append(token)
            elif shared_word(token.folded) is not None:
                shared.append(token)
            else:
                content.append(token)
        if not content:
            return self._without_content(shared, loans, hint_lang)
        script = _dominant_script(content)
        if script is None:
            return UNDETERMINED
        candidates = self._by_script[script]
        if not candidates:
            return self._unoffered.by_script(content, script) or UNDETERMINED
        words = [token for token in content if token.script is script]
        model = self._model.log_probs(" ".join(t.text for t in words), candidates)
        bonuses = self._bonuses(words, shared, candidates, normalised, script)
        unoffered = self._unoffered.by_model(content, words, script, bonuses)
        if unoffered is not None:
            return unoffered
        logits = {lang: value + bonuses[lang] for lang, value in model.items()}
        before_hint = _softmax(logits)
        if hint_lang in candidates:
            logits[hint_lang] += _hint_prior(len(words))
        final = _softmax(logits)
        language = self._best(final)
        return Detection(
            language=language,
            confidence=round(final[language], 4),
            reliable=self._reliable(language, before_hint, words),
            scores=self._rounded(final),
        )

    def written_in(self, text: str, language: str) -> bool:
        """A cheap sure sign that ``text`` is in ``language``, so :meth:`detect` may be skipped.

        True when at least two different frequent words that only ``language`` uses make up
        at least half of the words (German office words aside): "weiß ich nicht", "Ich habe
        einen Brief vom Jobcenter". Checked on the langid and held-out messages against
        every offered language: it never held for text that :meth:`detect` reliably placed
        in another language or in one Lotse does not offer.
        """
        words = [
            token
            for token in tokenize(normalise(text[:MAX_CHARS]))
            if not (token.script is Script.LATIN and is_loanword(token.text))
        ]
        own = {token.folded for token in words if word_languages(token.folded) == {language}}
        if len(own) < MIN_OWN_WORDS:
            return False
        return 2 * sum(token.folded in own for token in words) >= len(words)

    def _bonuses(
        self,
        words: list[Token],
        shared: list[Token],
        candidates: frozenset[str],
        normalised: str,
        script: Script,
    ) -> dict[str, float]:
        """Sum letter and word evidence per candidate (log units), in candidate order."""
        logits = dict.fromkeys(sorted(candidates, key=self._order.__getitem__), 0.0)
        digits = "".join(char for char in normalised if char.isdigit())
        for lang, value in letter_evidence(words, script, candidates, digits).items():
            logits[lang] += value
        seen: set[str] = set()
        for token in words:
            if token.folded in seen:
                continue
            seen.add(token.folded)
            langs = word_languages(token.folded) & candidates
            if not langs and token.script is Script.LATIN and "de" in candidates:
                # German typed without umlauts ("moechte", "fuer"): credit German only.
                collapsed = loan_key(token.text)
                if collapsed != token.folded and "de" in word_languages(collapsed):
                    langs = frozenset({"de"})
            # A word every candidate uses ("ne", "и") tells nothing.
            if langs and len(langs) < len(candidates):
                for lang in langs:
                    logits[lang] += WORD_BONUS
        for token in shared:
            entry = shared_word(token.folded)
            if entry is not None and entry[1] is not None:
                for lang in set(entry[1]) & candidates:
                    logits[lang] += SHARED_BONUS
        return logits

    def _without_content(
        self, shared: list[Token], loans: list[Token], hint_lang: str | None
    ) -> Detection:
        """Decide a message made only of shared greetings and loanwords: never reliable."""
        plausible: set[str] = set()
        default: str | None = None
        # A greeting used by few languages ("mersi") says more than one anybody writes
        # ("ok"), so it names the default.
        entries = [entry for token in shared if (entry := shared_word(token.folded))]
        entries.sort(key=lambda entry: entry[1] is None)
        for entry_default, entry_plausible in entries:
            if default is None and entry_default in self._order:
                default = entry_default
            plausible |= set(self.offered) if entry_plausible is None else set(entry_plausible)
        if loans:
            # "Jobcenter Brief": German words, but any resident may write them.
            plausible |= set(self.offered)
            if default is None and "de" in self._order:
                default = "de"
        candidates = frozenset(plausible & set(self.offered))
        if not candidates:
            return UNDETERMINED
        # Offered order, not set order: float sums must not depend on PYTHONHASHSEED.
        logits = dict.fromkeys(sorted(candidates, key=self._order.__getitem__), 0.0)
        scripts = {token.script for token in shared}
        if len(scripts) == 1:
            # "السلام عليكم" vs "السلام علیکم": the keyboard still shows through.
            script = scripts.pop()
            for lang, value in letter_evidence(shared, script, candidates).items():
                logits[lang] += value
        if default in logits:
            logits[default] += DEFAULT_BONUS
        if hint_lang in logits:
            logits[hint_lang] += HINT_PRIOR_NO_CONTENT
        final = _softmax(logits)
        language = self._best(final)
        return Detection(
            language=language,
            confidence=round(final[language], 4),
            reliable=False,
            scores=self._rounded(final),
        )

    def _reliable(
        self, language: str, before_hint: Mapping[str, float], words: list[Token]
    ) -> bool:
        """Whether the text alone, without the hint, clearly names ``language``."""
        if self._best(before_hint) != language:
            return False
        probability = before_hint[language]
        if sum(len(token.text) for token in words) < MIN_RELIABLE_LETTERS:
            return False
        if len(words) <= SHORT_WORDS:
            return probability >= RELIABLE_PROBABILITY_SHORT
        return probability >= RELIABLE_PROBABILITY

    def _best(self, probabilities: Mapping[str, float]) -> str:
        # Highest probability; exact ties go to the earlier offered language.
        return max(probabilities, key=lambda lang: (probabilities[lang], -self._order[lang]))

    def _rounded(self, probabilities: Mapping[str, float]) -> dict[str, float]:
        ranked = sorted(probabilities.items(), key=lambda item: (-item[1], self._order[item[0]]))
        return {lang: round(value, 4) for lang, value in ranked}
