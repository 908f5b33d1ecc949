"""Script rules: each letter rule on its own, then through the detector."""

from __future__ import annotations

import pytest

from bot.langid import LanguageIdentifier
from bot.langid.rules import SCRIPT_LANGUAGES, letter_evidence
from bot.langid.text import Script, normalise, tokenize

LATIN = SCRIPT_LANGUAGES[Script.LATIN]
CYRILLIC = SCRIPT_LANGUAGES[Script.CYRILLIC]
ARABIC = SCRIPT_LANGUAGES[Script.ARABIC]


@pytest.fixture(scope="module")
def detector() -> LanguageIdentifier:
    return LanguageIdentifier(
        ["de", "en", "uk", "ru", "ar", "fa", "ps", "tr", "ku", "ro", "bg", "pl", "sq"]
    )


def penalised(text: str, script: Script, candidates: frozenset[str]) -> set[str]:
    """The languages a text's letters count against."""
    evidence = letter_evidence(tokenize(normalise(text)), script, candidates)
    return {lang for lang, value in evidence.items() if value < 0}


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("їжа", {"uk"}),
        ("євро", {"uk"}),
        ("ґанок", {"uk"}),
        ("лікар", {"uk"}),
        ("вы", {"ru"}),
        ("это", {"ru"}),
        ("ещё", {"ru"}),
        ("къде", {"bg"}),  # ъ as a vowel inside a word
        ("добър", {"bg"}),
        ("подъезд", {"ru", "bg"}),  # ъ before е: Russian separator, never Ukrainian
        ("м'ясо", {"uk"}),  # apostrophe where Russian writes ъ/ь (weak)
    ],
)
def test_cyrillic_letters(text: str, owners: set[str]) -> None:
    assert penalised(text, Script.CYRILLIC, CYRILLIC) == CYRILLIC - owners


def test_soft_sign_before_a_consonant_is_not_bulgarian() -> None:
    assert penalised("большое", Script.CYRILLIC, CYRILLIC) == {"bg"}
    assert penalised("шофьор", Script.CYRILLIC, CYRILLIC) == set()  # bg writes ьо


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("ډاکټر", {"ps"}),
        ("ښه", {"ps"}),
        ("ګاونډی", {"ps"}),
        ("څه", {"ps"}),
        ("ځي", {"ps"}),
        ("ډېره", {"ps"}),
        ("کورنۍ", {"ps"}),
        ("پسرم", {"fa", "ps"}),
        ("چطور", {"fa", "ps"}),
        ("ژبه", {"fa", "ps"}),
        ("گرفتم", {"fa", "ps"}),
        ("یک", {"fa", "ps"}),  # Persian yeh and keheh
        ("يكفي", {"ar"}),  # Arabic kaf (and yeh)
        ("كتاب", {"ar"}),  # Arabic kaf
        ("في", {"ar", "ps"}),  # Arabic yeh is also Pashto spelling
        ("مدرسة", {"ar"}),  # teh marbuta
        ("على", {"ar"}),  # alef maksura
        ("می\u200cخواهم", {"fa", "ps"}),  # zero-width non-joiner
    ],
)
def test_arabic_script_letters(text: str, owners: set[str]) -> None:
    assert penalised(text, Script.ARABIC, ARABIC) == ARABIC - owners


def test_yeh_with_hamza_is_not_treated_as_pashto_only() -> None:
    # ئ is everyday Arabic (عائلة family, رسائل letters, سائق driver).
    assert penalised("رسائل", Script.ARABIC, ARABIC) == set()


@pytest.mark.parametrize(
    ("text", "owners"),
    [
        ("kapalı", {"tr"}),
        ("doğru", {"tr"}),
        ("mulțumesc", {"ro"}),
        ("Mulţumesc", {"ro"}),  # legacy cedilla t
        ("mă", {"ro"}),
        ("dziękuję", {"pl"}),
        ("łóżko", {"pl"}),
        ("përshëndetje", {"sq"}),
        ("erê", {"ku"}),
        ("hûn", {"ku"}),
        ("schön", {"de", "tr"}),
        ("größe", {"de"}),
        ("Straße", {"de"}),
        ("şimdi", {"tr", "ku", "ro"}),
        ("çawa", {"tr", "ku", "sq"}),
        ("îro", {"ku", "ro"}),
    ],
)
def test_latin_letters(text: str, owners: set[str]) -> None:
    assert penalised(text, Script.LATIN, LATIN) == LATIN - owners


def test_rules_leave_languages_they_do_not_describe_alone() -> None:
    assert penalised("kapalı", Script.LATIN, frozenset({"tr", "fr"})) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Привіт", "uk"),
        ("Щиро дякую за допомогу", "uk"),
        ("Вы можете мне помочь?", "ru"),
        ("Къде е офисът?", "bg"),
        ("Трябва ми помощ", "bg"),
        ("ډاکټر ته اړتیا لرم", "ps"),
        ("به دکتر نیاز دارم", "fa"),
        ("أحتاج إلى طبيب", "ar"),
        ("doktor lazım", "tr"),
        ("Am nevoie de ajutor", "ro"),
        ("potrzebuję lekarza", "pl"),
        ("më duhet ndihmë", "sq"),
        ("alîkarî lazim e", "ku"),
        ("Ich möchte einen Deutschkurs", "de"),
        ("I need a doctor", "en"),
    ],
)
def test_detector_applies_the_rules(
    detector: LanguageIdentifier, text: str, expected: str
) -> None:
    assert detector.detect(text).language == expected


def test_ethiopic_script_is_not_offered(detector: LanguageIdentifier) -> None:
    found = detector.detect("ሰላም እንዴት ነህ")
    assert found.language is None
    assert found.unoffered  # three clear words: reliably none of the offered languages
    assert found.reliable
    assert not detector.detect("ሰላም").reliable


def test_ethiopic_is_amharic_when_amharic_is_offered() -> None:
    assert LanguageIdentifier(["de", "am"]).detect("ሰላም እንዴት ነህ").language == "am"
