"""Normalisation, tokens, scripts and folding."""

from __future__ import annotations

import pytest

from bot.langid.text import Script, fold, normalise, script_of_char, tokenize


def words(text: str) -> list[str]:
    return [token.text for token in tokenize(normalise(text))]


def test_links_handles_digits_and_emoji_are_not_words() -> None:
    text = "Hallo @lotse_bot 🙏 https://hameln.de/termin 0176 123 mail@x.de #kita"
    assert words(text) == ["Hallo"]


def test_persian_zero_width_non_joiner_stays_inside_the_word() -> None:
    assert words("دندانم درد می\u200cکند") == ["دندانم", "درد", "می\u200cکند"]


def test_inner_apostrophes_stay_inside_the_word() -> None:
    assert words("чоловік мене б'є, Jobcenter'dan geldi") == [
        "чоловік",
        "мене",
        "б'є",
        "Jobcenter'dan",
        "geldi",
    ]


def test_arabic_vowel_marks_and_tatweel_are_removed() -> None:
    assert words("مَرْحَبًا شـــكرا") == ["مرحبا", "شكرا"]


def test_arabic_presentation_forms_become_plain_letters() -> None:
    # U+FEE1 U+FEE4 ... are contextual glyphs some keyboards still emit.
    assert words("\ufef3\ufe8e") == ["يا"]


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("Dziękuję", "dziekuje"),
        ("teşekkür", "tesekkur"),
        ("mulțumesc", "multumesc"),
        ("Mulţumesc", "multumesc"),
        ("AŁA", "ala"),
        ("KAPALI", "kapali"),
        ("ığdır", "igdir"),
        ("Straße", "strasse"),
        ("përshëndetje", "pershendetje"),
        ("alîkarî", "alikari"),
        ("Йогурт", "йогурт"),
        ("می\u200cخواهم", "میخواهم"),
    ],
)
def test_fold_removes_optional_diacritics_only(word: str, folded: str) -> None:
    assert fold(word) == folded


@pytest.mark.parametrize(
    ("char", "script"),
    [
        ("a", Script.LATIN),
        ("ș", Script.LATIN),
        ("ї", Script.CYRILLIC),
        ("ښ", Script.ARABIC),
        ("ی", Script.ARABIC),
        ("ሰ", Script.ETHIOPIC),
        ("你", Script.OTHER),
        ("α", Script.OTHER),
        ("1", Script.OTHER),
    ],
)
def test_script_of_char(char: str, script: Script) -> None:
    assert script_of_char(char) is script
