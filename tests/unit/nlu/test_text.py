"""fold(): one spelling for every way residents write the same word."""

from __future__ import annotations

import pytest

from bot.nlu.text import fold, words


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        # German: umlauts lose their dots, ß becomes ss (also the capital ẞ).
        ("Ausländerbehörde", "auslanderbehorde"),
        ("ÄÖÜ äöü", "aou aou"),
        ("Straße", "strasse"),
        ("STRAẞE", "strasse"),
        ("schläkt", "schlakt"),
        # Turkish dotless ı and dotted İ, Polish ł, Croatian đ: not decomposed by Unicode.
        ("ışık", "isik"),
        ("IŞIK", "isik"),
        ("İstanbul", "istanbul"),
        ("Łódź łza", "lodz lza"),
        ("Đorđe đak", "dorde dak"),
        ("ørsted", "orsted"),
    ],
)
def test_latin_letters(typed: str, folded: str) -> None:
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        # Hamza carriers on alef, waw and ya become the bare letter.
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آمنة", "امنه"),
        ("ٱلله", "الله"),
        ("مؤمن", "مومن"),
        ("مسائل", "مسايل"),
        # Ta marbuta → ha, alef maqsura → ya.
        ("مريضة", "مريضه"),
        ("على", "علي"),
        # Tatweel stretches a word without changing it.
        ("عربـــي", "عربي"),
        ("مـــريـض", "مريض"),
        # Short vowels (harakat) and shadda are marks: dropped.
        ("مَرِيضَةٌ", "مريضه"),
        ("مُحَمَّد", "محمد"),
    ],
)
def test_arabic_letter_variants(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_persian_and_arabic_ya_and_kaf_fold_alike() -> None:
    # Persian keyboards type ی and ک, Arabic ones ي and ك: one spelling for both.
    assert fold("ی") == fold("ي")
    assert fold("ک") == fold("ك")
    assert fold("کمک") == fold("كمك")
    assert fold("زندگی") == fold("زندگي") == fold("زندگى")
    # Pashto ya forms too.
    assert fold("ې") == fold("ۍ") == fold("ي")


def test_zero_width_non_joiner_separates_words() -> None:
    assert fold("می\u200cخواهم") == "مي خواهم"
    assert words("نمی\u200cتوانم") == ["نمي", "توانم"]
    # The zero-width joiner only shapes letters.
    assert fold("ab\u200dcd") == "abcd"


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),  # Persian digits
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),  # Arabic-Indic digits
        ("۱۱۰", "110"),
        ("٣١٥٥", "3155"),
        ("110", "110"),
    ],
)
def test_digits(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_persian_and_arabic_digits_compare_equal() -> None:
    assert fold("۱۱۲") == fold("١١٢") == fold("112")


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Helppp", "helpp"),
        ("HILFEEEE", "hilfee"),
        ("neeeein", "neein"),
        ("soooos", "soos"),
        ("كمكككك", "کمکک"),
        # Two of a letter are kept: German and Turkish words have double letters.
        ("Hilfe", "hilfe"),
        ("Sonne", "sonne"),
    ],
)
def test_stretched_letters_keep_at_most_two(typed: str, folded: str) -> None:
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Helppp!!! Er schlägt mich", "helpp er schlagt mich"),
        ("Hallo, wie geht's?", "hallo wie geht s"),
        ("(Jobcenter) - Brief...", "jobcenter brief"),
        ("  viele   Leerzeichen\t\nund Zeilen  ", "viele leerzeichen und zeilen"),
        ("أنا مريضة؟!", "انا مريضه"),
        ("«Привет», — сказал он.", "привет сказал он"),
    ],
)
def test_punctuation_and_spacing(typed: str, folded: str) -> None:
    assert fold(typed) == folded


@pytest.mark.parametrize(
    "typed", ["", "   ", "!!!???", "😀🙏", "🆘🆘🆘", "👍🏽", "...", "—", "\u200d"]
)
def test_nothing_to_read_folds_to_empty(typed: str) -> None:
    assert fold(typed) == ""
    assert words(typed) == []


def test_fold_is_idempotent_on_examples() -> None:
    samples = ["Ausländerbehörde", "مَرِيضَةٌ", "می\u200cخواهم", "HILFEEEE!!!", "Łódź ۱۲۳"]
    for sample in samples:
        assert fold(fold(sample)) == fold(sample)


def test_capital_o_with_stroke_folds_like_the_small_one() -> None:
    assert fold("ØRSTED") == fold("ørsted") == "orsted"


@pytest.mark.parametrize(
    ("presentation", "typed"),
    [("ﻣﺮﻳﻀﺔ", "مريضة"), ("ﻋﻠﻰ", "على"), ("ﻛﻤﻚ", "كمك")],
)
def test_arabic_presentation_forms_fold_like_typed_letters(presentation: str, typed: str) -> None:
    assert fold(presentation) == fold(typed)
