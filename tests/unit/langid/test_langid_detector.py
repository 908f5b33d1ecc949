"""Loanwords, shared greetings, the hint prior, restriction and determinism."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.ports import Detection, LanguageDetector
from bot.langid import OFFERED_LANGUAGES, LanguageIdentifier, normalise_hint
from bot.langid.lexicon import is_loanword

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def detector() -> LanguageIdentifier:
    return LanguageIdentifier(OFFERED_LANGUAGES)


def test_implements_the_port(detector: LanguageIdentifier) -> None:
    port: LanguageDetector = detector
    found = port.detect("Ich brauche einen Termin")
    assert isinstance(found, Detection)
    assert found.language == "de"
    assert 0.0 <= found.confidence <= 1.0
    assert found.scores["de"] == found.confidence


# --- loanwords ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word",
    [
        "Jobcenter",
        "jobcenter",
        "Ausländerbehörde",
        "Auslaenderbehoerde",
        "Auslanderbehorde",
        "Bürgergeld",
        "Buergergeld",
        "Aufenthaltstitel",
        "Kita",
        "Familienkasse",
        "Sozialamt",
        "Anmeldung",
        "Termin",
        "Brief",
        "Schule",
        "Arzt",
        "Jobcenterê",  # Kurdish inflection
        "Jobcenterze",  # Polish inflection
        "Jobcenter'dan",  # Turkish suffix after an apostrophe
        "Kita'ya",
        "Zahnarzttermin",  # compounds on a known ending
        "Leistungsbescheid",
        "Integrationskurs",
        "Deutschkurs",
    ],
)
def test_german_administrative_words_are_loanwords(word: str) -> None:
    assert is_loanword(word)


@pytest.mark.parametrize("word", ["kurs", "kursu", "kursa", "Wohnung", "brauche", "Hilfe"])
def test_ordinary_words_are_not_loanwords(word: str) -> None:
    # "kurs" is a native word in Polish, Turkish, Albanian and Kurdish.
    assert not is_loanword(word)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Мій Aufenthaltstitel закінчується", "uk"),
        ("Где находится Ausländerbehörde?", "ru"),
        ("Получих писмо от Jobcenter", "bg"),
        ("وصلتني رسالة من Jobcenter", "ar"),
        ("از Jobcenter نامه گرفتم", "fa"),
        ("د Anmeldung لپاره مرسته غواړم", "ps"),
        ("Jobcenter'dan mektup geldi", "tr"),
        ("Ji Jobcenterê name hat", "ku"),
        ("am nevoie de ajutor cu Anmeldung", "ro"),
        ("potrzebuje pomocy z Anmeldung", "pl"),
        ("me duhet ndihme per Anmeldung", "sq"),
        ("Do I need my passport for the Ausländerbehörde?", "en"),
    ],
)
def test_loanwords_do_not_make_a_message_german(
    detector: LanguageIdentifier, text: str, expected: str
) -> None:
    found = detector.detect(text)
    assert found.language == expected
    assert found.scores.get("de", 0.0) < 0.01


@pytest.mark.parametrize(
    "text", ["Jobcenter Brief", "Ausländerbehörde Termin", "Kita Anmeldung", "Bürgergeld"]
)
def test_loanwords_alone_are_never_reliable(detector: LanguageIdentifier, text: str) -> None:
    for hint in (None, "de", "ru", "ar"):
        assert not detector.detect(text, hint).reliable
    assert detector.detect(text).language == "de"
    assert detector.detect(text, "ru").language == "ru"
    assert detector.detect(text, "fa-IR").language == "fa"


def test_loanwords_in_a_german_sentence_still_read_german(detector: LanguageIdentifier) -> None:
    found = detector.detect("Ich habe einen Brief vom Jobcenter bekommen und verstehe ihn nicht")
    assert found.language == "de"
    assert found.reliable


# --- shared greetings -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["hallo", "Hallo!", "ok", "OK 👍", "salam", "merhaba", "privet"])
def test_shared_greetings_are_never_reliable(detector: LanguageIdentifier, text: str) -> None:
    for hint in (None, "de", "tr", "ru", "fa", "en"):
        assert not detector.detect(text, hint).reliable


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("hallo", None, "de"),
        ("hallo", "uk", "uk"),  # anyone may write "hallo"
        ("ok", "pl", "pl"),
        ("salam", "fa", "fa"),
        ("salam", "ps", "ps"),
        ("merhaba", None, "tr"),
        ("merhaba", "ku", "ku"),
        ("merhaba", "ru", "tr"),  # Russian speakers do not greet with "merhaba"
        ("privet", None, "ru"),
        ("privet", "uk", "uk"),
        ("السلام عليكم", None, "ar"),  # Arabic keyboard: ي ك
        ("السلام علیکم", "ps", "ps"),
    ],
)
def test_shared_greetings_follow_the_hint_when_plausible(
    detector: LanguageIdentifier, text: str, hint: str | None, expected: str
) -> None:
    assert detector.detect(text, hint).language == expected


# --- the hint -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("en-US", "en"),
        ("en_GB", "en"),
        ("UK", "uk"),
        ("ua", "uk"),
        ("de", "de"),
        ("pt-br", None),  # not offered
        ("zh-hans", None),
        ("", None),
        (None, None),
        ("  ru ", "ru"),
    ],
)
def test_normalise_hint(hint: str | None, expected: str | None) -> None:
    assert normalise_hint(hint, OFFERED_LANGUAGES) == expected


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("Да", "ru", "ru"),  # Russian and Bulgarian "yes"
        ("Да", "bg", "bg"),
        ("Так", "uk", "uk"),
        ("Так", "ru", "ru"),
        ("dzien dobry", "pl", "pl"),
        ("Термин завтра?", "bg", "bg"),
        ("Термин завтра?", "ru", "ru"),
    ],
)
def test_hint_decides_short_ambiguous_messages(
    detector: LanguageIdentifier, text: str, hint: str, expected: str
) -> None:
    assert detector.detect(text, hint).language == expected


def test_hint_cannot_override_the_script(detector: LanguageIdentifier) -> None:
    assert detector.detect("помогите", "de").language == "ru"
    assert detector.detect("مرسته غواړم", "en").language == "ps"


def test_hint_cannot_override_decisive_letters(detector: LanguageIdentifier) -> None:
    assert detector.detect("Привіт", "ru").language == "uk"
    assert detector.detect("doktor lazım", "de").language == "tr"


def test_hint_is_weak_against_a_sentence(detector: LanguageIdentifier) -> None:
    text = "Мне нужна помощь с письмом от Jobcenter, я не понимаю"
    assert detector.detect(text, "uk").language == "ru"


def test_unoffered_hint_is_ignored(detector: LanguageIdentifier) -> None:
    assert detector.detect("Да", "pt-br") == detector.detect("Да")


@pytest.mark.parametrize(
    "text",
    ["Да", "hallo", "Jobcenter Brief", "Привіт", "Мне нужна помощь", "ok", "dzien dobry"],
)
def test_reliable_never_comes_from_the_hint(detector: LanguageIdentifier, text: str) -> None:
    without = detector.detect(text).reliable
    for hint in ("de", "ru", "uk", "bg", "pl", "en"):
        found = detector.detect(text, hint)
        assert found.reliable == (without and found.language == detector.detect(text).language)


# --- nothing to say ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", "   ", "12345", "😀🙏👍", "+49 5151 123", "https://x.de", "?!"]
)
def test_nothing_to_say_is_und(detector: LanguageIdentifier, text: str) -> None:
    assert detector.detect(text, "de") == Detection(None, 0.0, False, {})


def test_text_in_an_unoffered_script_is_und(detector: LanguageIdentifier) -> None:
    assert detector.detect("你好，我需要帮助").language is None
    assert detector.detect("Γεια σας").language is None


# --- restriction ------------------------------------------------------------------------


def test_only_offered_languages_are_returned() -> None:
    latin_only = LanguageIdentifier(["de", "en"])
    assert latin_only.detect("помогите пожалуйста").language is None
    # Clear Polish is "not offered" here; two words are still guessed among de/en.
    polish = latin_only.detect("Dzień dobry, potrzebuję pomocy")
    assert polish.language is None
    assert polish.unoffered
    assert latin_only.detect("Dzień dobry").language in {"de", "en"}
    assert set(latin_only.detect("Dzień dobry").scores) <= {"de", "en"}


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.text(max_size=60), hint=st.sampled_from([None, "de", "uk", "ar", "xx", "en-US"]))
def test_random_text_never_yields_an_unoffered_language(text: str, hint: str | None) -> None:
    found = _SMALL.detect(text, hint)
    assert found.language is None or found.language in _SMALL.offered
    assert set(found.scores) <= set(_SMALL.offered)
    assert 0.0 <= found.confidence <= 1.0


_SMALL = LanguageIdentifier(["de", "ru", "fa", "tr"])


def test_benchmark_messages_never_yield_an_unoffered_language() -> None:
    data = REPO / "bench" / "data" / "langid.tsv"
    texts = [
        line.split("\t")[2]
        for line in data.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "lang\t"))
    ]
    for offered in (["de", "en"], ["uk", "ar", "ps"], ["tr", "ku", "sq", "ro"]):
        detector = LanguageIdentifier(offered)
        for text in texts:
            found = detector.detect(text, "ru")
            assert found.language is None or found.language in offered


def test_constructor_rejects_bad_lists() -> None:
    with pytest.raises(ValueError, match="empty"):
        LanguageIdentifier([])
    with pytest.raises(ValueError, match="ti"):
        LanguageIdentifier(["de", "ti"])  # Tigrinya: the shipped model has no data for it


# --- determinism and purity ---------------------------------------------------------------

_SAMPLES = [
    ("hallo", None),
    ("Jobcenter Brief", "ru"),
    ("Да", None),
    ("salam", "fa"),
    ("السلام علیکم", None),
    ("Мій Aufenthaltstitel закінчується", None),
    ("Ez çawa xwe qeyd bikim?", "tr"),
    ("dzien dobry", None),
]


def test_same_input_same_answer(detector: LanguageIdentifier) -> None:
    first = [detector.detect(text, hint) for text, hint in _SAMPLES]
    again = [LanguageIdentifier(OFFERED_LANGUAGES).detect(text, hint) for text, hint in _SAMPLES]
    assert first == again
    assert first == [detector.detect(text, hint) for text, hint in _SAMPLES]


def test_answers_do_not_depend_on_hash_seed() -> None:
    script = (
        "from bot.langid import LanguageIdentifier\n"
        "d = LanguageIdentifier()\n"
        f"print([d.detect(t, h) for t, h in {_SAMPLES!r}])\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=REPO,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
            encoding="utf-8",
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outputs) == 1


def test_package_stays_pure() -> None:
    script = (
        "import sys\n"
        "from bot.langid import LanguageIdentifier\n"
        "LanguageIdentifier().detect('hallo')\n"
        "bad = ('aiogram', 'telegram', 'sqlalchemy', 'bot.channels', 'bot.storage', 'bot.cli')\n"
        "print(sorted(m for m in sys.modules if m.startswith(bad)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


# --- the cheap sure sign ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("weiß ich nicht", "de"),
        ("Ich habe einen Brief vom Jobcenter", "de"),
        ("Mein Mann schlägt mich", "de"),
    ],
)
def test_written_in_sees_frequent_words_of_one_language(
    detector: LanguageIdentifier, text: str, language: str
) -> None:
    assert detector.written_in(text, language)
    assert detector.detect(text).language == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Jobcenter Brief Termin", "de"),  # office words any resident writes
        ("I have a letter from the Jobcenter", "de"),
        ("ich need help please", "de"),  # one German word is not enough
        ("Я не знаю що робити", "ru"),  # words Russian shares with Ukrainian do not count
        ("", "de"),
    ],
)
def test_written_in_is_false_when_unsure(
    detector: LanguageIdentifier, text: str, language: str
) -> None:
    assert not detector.written_in(text, language)
