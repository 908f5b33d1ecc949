"""Script rules: letters and spellings that rule languages in or out.

Each rule names the languages that use a letter; every other language the rules know
gets a penalty (a log-score), so one letter can outweigh the n-gram model on a short
message without making a typo fatal on a long one. Rules only ever penalise the
languages listed in :data:`RULE_LANGUAGES`; other offered languages are left to the
model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.langid.text import ZWNJ, Script, Token

# Languages whose letters the rules below describe, grouped by the script they use.
SCRIPT_LANGUAGES: Mapping[Script, frozenset[str]] = {
    Script.LATIN: frozenset({"de", "en", "tr", "ku", "ro", "pl", "sq"}),
    Script.CYRILLIC: frozenset({"uk", "ru", "bg"}),
    Script.ARABIC: frozenset({"ar", "fa", "ps"}),
    Script.ETHIOPIC: frozenset({"am", "ti"}),
}
RULE_LANGUAGES: frozenset[str] = frozenset().union(*SCRIPT_LANGUAGES.values())

# Penalty strengths in log units (natural log): STRONG effectively excludes a language,
# MEDIUM needs clear n-gram evidence to overcome, WEAK only tips close calls.
STRONG = 8.0
MEDIUM = 4.0
WEAK = 1.5


@dataclass(frozen=True)
class LetterRule:
    """Letters used only by ``owners`` among the rule languages of one script."""

    letters: str
    owners: frozenset[str]
    penalty: float
    why: str


def _rule(letters: str, owners: str, penalty: float, why: str) -> LetterRule:
    return LetterRule(letters, frozenset(owners.split()), penalty, why)


LATIN_RULES: tuple[LetterRule, ...] = (
    _rule("ıİğĞ", "tr", STRONG, "dotless i and soft g are Turkish only"),
    _rule("ăĂșȘțȚţŢ", "ro", STRONG, "breve a and comma/cedilla s, t are Romanian"),
    _rule("ąĄćĆęĘłŁńŃśŚźŹżŻ", "pl", STRONG, "ogonek, kreska and l-stroke are Polish"),
    _rule("óÓ", "pl", MEDIUM, "o-acute is Polish among the offered Latin languages"),
    _rule("ëË", "sq", STRONG, "e-diaeresis is Albanian"),
    _rule("êÊûÛ", "ku", STRONG, "circumflex e and u are Kurmanji"),
    _rule("äÄß", "de", STRONG, "a-umlaut and sharp s are German"),
    _rule("öÖüÜ", "de tr", STRONG, "o/u-umlaut: German or Turkish"),
    _rule("şŞ", "tr ku ro", STRONG, "s-cedilla: Turkish, Kurmanji, legacy Romanian"),
    _rule("çÇ", "tr ku sq", STRONG, "c-cedilla: Turkish, Kurmanji, Albanian"),
    _rule("îÎ", "ku ro", STRONG, "i-circumflex: Kurmanji or Romanian"),
    _rule("âÂ", "ro tr", MEDIUM, "a-circumflex: Romanian, rare Turkish"),
)

CYRILLIC_RULES: tuple[LetterRule, ...] = (
    _rule("їЇєЄґҐ", "uk", STRONG, "yi, ye and ghe-upturn are Ukrainian"),
    _rule("іІ", "uk", STRONG, "dotted i is Ukrainian (Belarusian is not offered)"),
    _rule("ыЫэЭёЁ", "ru", STRONG, "yery, reversed e and yo are Russian"),
)

ARABIC_RULES: tuple[LetterRule, ...] = (
    # ئ is deliberately absent: Arabic uses it as much as Pashto (عائلة, رسائل, سائق).
    _rule("ټډړږښګڼېۍځڅ", "ps", STRONG, "retroflex and Pashto-specific letters"),
    _rule("پچژگ", "fa ps", MEDIUM, "Persian letters; Iraqi Arabic writes چ and گ too"),
    _rule("یک", "fa ps", MEDIUM, "Persian yeh and keheh come from Persian keyboards"),
    # Pashto spells with both yehs (ي in "کوي", ی in "یم"), so ي only speaks against Persian.
    _rule("ي", "ar ps", MEDIUM, "Arabic yeh: Arabic keyboards, or Pashto spelling"),
    _rule("ك", "ar", MEDIUM, "Arabic kaf comes from Arabic keyboards"),
    _rule("ةى", "ar", MEDIUM, "teh marbuta and alef maksura are Arabic spelling"),
    _rule("أإ", "ar", WEAK, "hamza on alef is far more frequent in Arabic"),
    _rule("۰۱۲۳۴۵۶۷۸۹", "fa ps", WEAK, "Eastern Arabic-Indic digits of Persian keyboards"),
    _rule("٠١٢٣٤٥٦٧٨٩", "ar", WEAK, "Arabic-Indic digits of Arabic keyboards"),
)

# Vietnamese vowels with tone marks (ạ ả ấ ... ỹ), U+1EA0 to U+1EF9.
_VIETNAMESE = "".join(chr(code) for code in range(0x1EA0, 0x1EFA))

# Letters none of Lotse's usual languages writes, with the languages that do. In the "is
# this one of ours at all?" check a group counts for the unoffered side (log units, once
# per group present) unless one of its owners is offered after all.
UNOFFERED_RULES: Mapping[Script, tuple[LetterRule, ...]] = {
    Script.LATIN: (
        _rule("šŠžŽčČ", "hr bs sr sl cs sk lt lv", MEDIUM, "caron: South and West Slavic"),
        _rule("đĐ", "hr bs sr vi", MEDIUM, "d-stroke: Croatian, Bosnian, Serbian, Vietnamese"),
        _rule("řŘůŮěĚňŇťŤďĎľĽĺĹŕŔ", "cs sk", MEDIUM, "Czech and Slovak letters"),
        _rule("őŐűŰ", "hu", MEDIUM, "double acute: Hungarian"),
        _rule("ñÑ", "es", MEDIUM, "n-tilde: Spanish"),
        _rule("ãÃõÕ", "pt vi", MEDIUM, "a/o-tilde: Portuguese, Vietnamese"),
        _rule("œŒ", "fr", MEDIUM, "oe ligature: French"),
        _rule("ơƠưƯ" + _VIETNAMESE, "vi", MEDIUM, "horned letters and tone marks"),
        _rule("əƏ", "az", MEDIUM, "schwa: Azerbaijani"),
        # Weak: also in names and loanwords ("José", "Café").
        _rule("áÁéÉíÍúÚýÝàÀèÈìÌòÒùÙ", "es pt fr it ca hu cs sk vi", WEAK, "acute, grave"),
    ),
    Script.CYRILLIC: (
        _rule("ђЂћЋџЏљЉњЊјЈ", "sr mk", MEDIUM, "Serbian and Macedonian letters"),
        _rule("ѓЃќЌѕЅ", "mk", MEDIUM, "Macedonian letters"),
        _rule("ўЎ", "be uz", MEDIUM, "short u: Belarusian, Uzbek"),
        _rule("әӘғҒқҚңҢөӨұҰүҮһҺ", "kk ky tt ba mn", MEDIUM, "Turkic and Mongolian Cyrillic"),
        _rule("ӣӢӯӮҷҶ", "tg", MEDIUM, "Tajik letters"),
    ),
    Script.ARABIC: (
        _rule("ێۆڕڵە", "ckb sdh", STRONG, "Sorani (and Badini) Kurdish letters"),
        _rule("ےںڈٹہھ", "ur", STRONG, "Urdu letters"),
        _rule("ۇۈۋ", "ug", STRONG, "Uyghur letters"),
    ),
}
# Arabic-script languages Lotse does not offer (Urdu, Sorani, Southern Kurdish) are too
# close to Persian and Pashto for the n-grams alone: only their own letters may say so.
NEEDS_UNOFFERED_LETTERS = frozenset({Script.ARABIC})
# Pashto's own letters occur in none of the Arabic-script languages above (ې is left out:
# Uyghur writes it too), so with Pashto offered they settle the question the other way.
PASHTO_LETTERS = "ټډړږښګڼۍځڅ"

_RULES: Mapping[Script, tuple[LetterRule, ...]] = {
    Script.LATIN: LATIN_RULES,
    Script.CYRILLIC: CYRILLIC_RULES,
    Script.ARABIC: ARABIC_RULES,
}
_IOTATED = frozenset("еёюяЕЁЮЯ")
_APOSTROPHES = frozenset("'’ʼ")


def _penalise(
    evidence: dict[str, float], candidates: Iterable[str], owners: frozenset[str], value: float
) -> None:
    for lang in candidates:
        if lang in RULE_LANGUAGES and lang not in owners:
            evidence[lang] = evidence.get(lang, 0.0) - value


def _cyrillic_context(text: str, candidates: frozenset[str], evidence: dict[str, float]) -> None:
    """Rules that depend on a letter's neighbour, not only on the letter."""
    for index, char in enumerate(text):
        following = text[index + 1] if index + 1 < len(text) else " "
        if char in "ъЪ":
            # Ukrainian has no ъ at all. Russian writes it only as a separator before
            # е/ё/ю/я ("подъезд"); Bulgarian writes it as a vowel everywhere ("къде").
            if following in _IOTATED:
                _penalise(evidence, candidates, frozenset({"ru", "bg"}), STRONG)
            elif following.isalpha():
                _penalise(evidence, candidates, frozenset({"bg"}), STRONG)
            else:
                # A word-final ъ is pre-1918 Russian or old Bulgarian spelling: no offered
                # language writes it today, so it only rules out Ukrainian.
                _penalise(evidence, candidates, frozenset({"ru", "bg"}), STRONG)
        elif char in "ьЬ" and following not in "оО":
            # Bulgarian writes ь only before о ("шофьор"); Russian and Ukrainian anywhere.
            _penalise(evidence, candidates, frozenset({"ru", "uk"}), MEDIUM)
        elif char in _APOSTROPHES and index > 0 and text[index - 1].isalpha():
            # Ukrainian writes an apostrophe inside words ("б'є", "м'ясо") where Russian
            # writes ъ or ь.
            _penalise(evidence, candidates, frozenset({"uk"}), WEAK)


def letter_evidence(
    tokens: Iterable[Token], script: Script, candidates: frozenset[str], digits: str = ""
) -> dict[str, float]:
    """Score the distinctive letters of a message's tokens in one script.

    Args:
        tokens: The content tokens (loanwords and shared greetings already removed).
        script: The message's dominant script; only its rules apply.
        candidates: The languages still in play.
        digits: The message's digits, whose shapes differ between Arabic and Persian
            keyboards.

    Returns:
        Log-score adjustments (zero or negative) per candidate language.
    """
    evidence: dict[str, float] = {}
    rules = _RULES.get(script, ())
    text = " ".join(token.text for token in tokens if token.script is script)
    if not text:
        return evidence
    present = set(text) | set(digits)
    for rule in rules:
        if not present.isdisjoint(rule.letters):
            _penalise(evidence, candidates, rule.owners, rule.penalty)
    if script is Script.CYRILLIC:
        _cyrillic_context(text, candidates, evidence)
    elif script is Script.ARABIC and ZWNJ in text:
        # The zero-width non-joiner is part of Persian (and some Pashto) spelling; Arabic
        # never uses it.
        _penalise(evidence, candidates, frozenset({"fa", "ps"}), MEDIUM)
    return evidence


def unoffered_letters(
    tokens: Iterable[Token], script: Script, offered: frozenset[str]
) -> float | None:
    """Score the letters of a message that no offered language writes.

    Args:
        tokens: The content tokens.
        script: The message's dominant script; only tokens in it count.
        offered: The offered languages.

    Returns:
        Log units in favour of "none of the offered languages" (negative when Pashto's own
        letters are present and Pashto is offered), or None when the script needs such
        letters (:data:`NEEDS_UNOFFERED_LETTERS`) and the text has none.
    """
    present = {char for token in tokens if token.script is script for char in token.text}
    score = 0.0
    seen = False
    for rule in UNOFFERED_RULES.get(script, ()):
        if rule.owners.isdisjoint(offered) and not present.isdisjoint(rule.letters):
            score += rule.penalty
            seen = True
    if script in NEEDS_UNOFFERED_LETTERS and not seen:
        return None
    if script is Script.ARABIC and "ps" in offered and not present.isdisjoint(PASHTO_LETTERS):
        score -= STRONG
    return score
