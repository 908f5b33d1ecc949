"""Languages Lotse does not offer: recognised as "not ours", never guessed as Polish or Kurdish.

Every sentence here was written for this test (typical resident requests). Only clear text
may be called unoffered; short, ambiguous or content-free messages never are.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.ports import Detection
from bot.langid import OFFERED_LANGUAGES, LanguageIdentifier
from bot.langid.rules import unoffered_letters
from bot.langid.text import Script, Token, letter_weight, normalise, tokenize

REPO = Path(__file__).resolve().parents[3]
OURS = frozenset(OFFERED_LANGUAGES)


@pytest.fixture(scope="module")
def detector() -> LanguageIdentifier:
    return LanguageIdentifier(OFFERED_LANGUAGES)


UNOFFERED = [
    ("hr", "Trebam pomoć oko pisma od Jobcentra, ništa ne razumijem."),
    ("hr", "Gdje mogu naći liječnika koji govori hrvatski?"),
    ("hr", "Moje dijete treba mjesto u vrtiću, što da radim?"),
    ("bs", "Treba mi pomoć sa pismom iz Jobcentra, ne razumijem šta piše."),
    ("bs", "Gdje mogu naći doktora za moju djecu?"),
    ("sr", "Da li neko ovde govori srpski? Imam pitanje o papirima."),
    ("sr", "Треба ми помоћ око писма од Џобцентра, ништа не разумем."),
    ("sr", "Где могу да нађем лекара који говори српски?"),
    ("sl", "Potrebujem pomoč pri pismu iz urada, ne razumem ga."),
    ("so", "Waxaan u baahanahay caawimaad, warqad ayaa iiga timid Jobcenter-ka."),
    ("so", "Xaggee ayaan ka heli karaa dhakhtar ku hadla Soomaali?"),
    ("so", "Ilmahaygu wuxuu u baahan yahay meel xanaano, maxaan sameeyaa?"),
    ("vi", "Tôi cần giúp đỡ với lá thư từ Jobcenter, tôi không hiểu gì cả."),
    ("vi", "Ở đâu tôi có thể tìm bác sĩ nói tiếng Việt?"),
    ("fr", "J'ai besoin d'aide pour une lettre du Jobcenter, je ne comprends rien."),
    ("fr", "Où est-ce que je peux trouver un médecin qui parle français ?"),
    ("it", "Ho bisogno di aiuto con una lettera del Jobcenter, non capisco niente."),
    ("es", "Necesito ayuda con una carta del Jobcenter, no entiendo nada."),
    ("es", "¿Dónde puedo encontrar un médico que hable español?"),
    ("pt", "Preciso de ajuda com uma carta do Jobcenter, não entendo nada."),
    ("hu", "Segítségre van szükségem egy levéllel, nem értem, mit írnak."),
    ("cs", "Potřebuji pomoc s dopisem z úřadu, vůbec mu nerozumím."),
    ("sk", "Potrebujem pomoc s listom z úradu, vôbec mu nerozumiem."),
    ("nl", "Ik heb hulp nodig met een brief van het Jobcenter, ik begrijp het niet."),
    ("sw", "Nahitaji msaada kuhusu barua kutoka Jobcenter, sielewi kitu."),
    ("id", "Saya butuh bantuan dengan surat dari Jobcenter, saya tidak mengerti."),
    ("om", "Gargaarsa barbaada, xalayaa Jobcenter irraa dhufe hin hubanne."),
    ("az", "Mənə Jobcenter-dən gələn məktubla bağlı kömək lazımdır."),
    ("mk", "Ми треба помош со писмото од Џобцентарот, ништо не разбирам."),
    ("be", "Мне патрэбна дапамога з лістом, я нічога не разумею."),
    ("ckb", "پێویستم بە یارمەتییە لەگەڵ نامەیەک لە جۆبسەنتەر"),
    ("ckb", "من کوردی سۆرانی قسە دەکەم، دەتوانن یارمەتیم بدەن؟"),
    ("ur", "مجھے جاب سینٹر کے خط کے بارے میں مدد چاہیے، میں سمجھ نہیں پا رہا ہوں۔"),
    ("ur", "کیا یہاں کوئی اردو بولنے والا ڈاکٹر ہے؟"),
    ("ti", "ሰላም፡ ብዛዕባ ደብዳበ ጆብሰንተር ሓገዝ የድልየኒ ኣሎ።"),
    ("ti", "ኣብዚ ትግርኛ ዝዛረብ ሓኪም ኣሎ ድዩ?"),
    ("am", "ሰላም፣ ከጆብሴንተር ስለመጣው ደብዳቤ እርዳታ እፈልጋለሁ።"),
    ("ka", "გამარჯობა, დახმარება მჭირდება წერილთან დაკავშირებით."),
    ("ta", "எனக்கு ஒரு கடிதம் பற்றி உதவி தேவை, எனக்கு புரியவில்லை."),
    ("hi", "मुझे जॉबसेंटर के पत्र के बारे में मदद चाहिए।"),
    ("hy", "Բարև, ինձ օգնություն է պետք նամակի հետ։"),
    ("he", "שלום, אני צריך עזרה עם מכתב מהג'ובסנטר."),
    ("th", "สวัสดีครับ ผมต้องการความช่วยเหลือเรื่องจดหมาย"),
    ("zh", "你好，我需要帮助，我看不懂这封信，谢谢。"),
    ("ja", "こんにちは、手紙について助けが必要です。"),
    ("ko", "안녕하세요, 편지 때문에 도움이 필요합니다."),
    ("el", "Γεια σας, χρειάζομαι βοήθεια με ένα γράμμα από το Jobcenter."),
]


@pytest.mark.parametrize(("lang", "text"), UNOFFERED)
def test_clear_text_in_an_unoffered_language_is_not_ours(
    detector: LanguageIdentifier, lang: str, text: str
) -> None:
    del lang  # the test id names the language; the detector only says "not ours"
    for hint in (None, "de", "en-US"):
        found = detector.detect(text, hint)
        assert found.unoffered, found
        assert found.reliable
        assert found.language is None
        assert found.scores == {}
        assert 0.9 <= found.confidence <= 1.0


OFFERED = [
    ("fa", "سلام، من یک Termin beim Arzt دارم ولی نمی‌دانم کجاست"),
    ("fa", "نامه از Ausländerbehörde گرفتم، باید چکار کنم؟"),
    ("fa", "ببخشید، کلاس زبان آلمانی کی شروع میشه؟"),
    ("ps", "زه د Jobcenter څخه یو لیک لرم، مرسته راسره وکړئ"),
    ("ps", "زما ماشوم ناروغ دی، ډاکټر ته اړتیا لرم"),
    ("ar", "مرحبا، عندي موعد في Jobcenter بكرة الساعة عشرة"),
    ("ar", "ابني مريض وين ألاقي دكتور أطفال؟"),
    ("ar", "شو لازم أعمل بالرسالة اللي وصلتني من البلدية؟"),
    ("ku", "Silav, ez dixwazim zarokê xwe li Kita qeyd bikim"),
    ("ku", "min nameyek ji Jobcenter girt, ez fam nakim"),
    ("ku", "ez li ku derê dikarim doktorekî bibînim?"),
    ("sq", "pershendetje, kam nevoje per ndihme me nje leter"),
    ("sq", "Ku mund të gjej një mjek për fëmijën tim?"),
    ("ro", "buna ziua, am primit o scrisoare si nu inteleg nimic"),
    ("ro", "Unde pot găsi un medic pentru copilul meu?"),
    ("tr", "merhaba, cocugum icin okul kaydi yapmak istiyorum"),
    ("tr", "Ev sahibim depozitoyu geri vermiyor, ne yapabilirim?"),
    ("pl", "dzien dobry, potrzebuje pomocy z pismem z urzedu"),
    ("pl", "Czy ktoś mówi po polsku? Mam pytanie o zasiłek."),
    ("en", "Hi, my name is José and I need help with my rent"),
    ("en", "I am from Côte d'Ivoire and I need a doctor"),
    ("de", "Ich heiße Dragan Petrović und brauche Hilfe beim Jobcenter"),
    ("de", "Hallo ich brauche hilfe wegen der wohnung bitte schnell"),
    ("uk", "Доброго дня, мені потрібна допомога з листом від Jobcenter"),
    ("ru", "Здравствуйте, подскажите где можно сделать перевод документов"),
    ("bg", "Здравейте, къде мога да намеря лекар за детето си?"),
]


@pytest.mark.parametrize(("lang", "text"), OFFERED)
def test_offered_languages_stay_theirs(detector: LanguageIdentifier, lang: str, text: str) -> None:
    """Also with German words, names with foreign letters, or typed without diacritics."""
    found = detector.detect(text)
    assert not found.unoffered
    assert found.language == lang


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "?",
        "...",
        "",
        "12345 678",
        "😀🙏👍",
        "ሰላም",  # one Tigrinya word: clearly not ours, but too little to say so
        "ሰላም ሰላም ሰላም ሰላም",
        "我需要帮助",
        "dobar dan",
        "hvala lijepa",
        "mahadsanid walaal",
        "merci beaucoup",
        "hahaha hahaha hahaha",
        "wkwkwk wkwkwk wkwk",
        "asdf asdf asdf",
        "qwertz uiop asdfg",
        "Привет hello مرحبا",  # mixed scripts
        "Hallo ሰላም hello",
        "Maria Petrović Zagreb Split",
        "a" * 4096,
        "ok " * 1365,
    ],
)
def test_short_ambiguous_or_empty_text_is_never_reliably_unoffered(
    detector: LanguageIdentifier, text: str
) -> None:
    found = detector.detect(text, "de")
    assert not (found.unoffered and found.reliable), found


def test_a_short_message_in_an_unoffered_script_is_unoffered_but_not_reliable(
    detector: LanguageIdentifier,
) -> None:
    found = detector.detect("ሰላም")
    assert found == Detection(None, 1.0, False, {}, unoffered=True)


def test_a_long_message_in_an_unoffered_language_stays_unoffered(
    detector: LanguageIdentifier,
) -> None:
    text = ("ኣብዚ ትግርኛ ዝዛረብ ሓኪም ኣሎ ድዩ? " * 200)[:4096]
    found = detector.detect(text)
    assert found.unoffered
    assert found.reliable


def test_a_language_is_ours_once_it_is_offered() -> None:
    """The same Croatian sentence: unoffered by default, Croatian when Lotse offers it."""
    text = "Trebam pomoć oko pisma od Jobcentra, ništa ne razumijem."
    assert LanguageIdentifier(["de", "en", "pl"]).detect(text).unoffered
    found = LanguageIdentifier(["de", "en", "pl", "hr"]).detect(text)
    assert not found.unoffered
    assert found.language == "hr"


def test_no_benchmark_message_is_called_unoffered(detector: LanguageIdentifier) -> None:
    """Every message of bench/data/langid.tsv is in an offered language."""
    data = REPO / "bench" / "data" / "langid.tsv"
    rows = [
        line.split("\t")
        for line in data.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "lang\t"))
    ]
    wrong = [text for _, hint, text in rows if detector.detect(text, hint or None).unoffered]
    assert wrong == []


@settings(max_examples=200, deadline=None, database=None)
@given(text=st.text(max_size=80))
def test_an_unoffered_detection_names_no_language(text: str) -> None:
    found = _DEFAULT.detect(text)
    if found.unoffered:
        assert found.language is None
        assert found.scores == {}
        assert 0.0 <= found.confidence <= 1.0
    else:
        assert found.language is None or found.language in OURS


_DEFAULT = LanguageIdentifier(OFFERED_LANGUAGES)


# --- the letters -------------------------------------------------------------------------


def _tokens(text: str) -> list[Token]:
    return tokenize(normalise(text))


@pytest.mark.parametrize(
    ("text", "script", "expected"),
    [
        ("ništa ne razumijem", Script.LATIN, 4.0),
        ("dobro došli", Script.LATIN, 4.0),
        ("Ich brauche Hilfe", Script.LATIN, 0.0),
        ("José", Script.LATIN, 1.5),
        ("ништа не разумем ћ", Script.CYRILLIC, 4.0),
        ("هەموو شتێک", Script.ARABIC, 8.0),  # Sorani
        ("یہ کیا ہے", Script.ARABIC, 8.0),  # Urdu
        ("به دکتر نیاز دارم", Script.ARABIC, None),  # Persian: no letter of theirs
        ("ډاکټر ته اړتیا لرم ہ", Script.ARABIC, 0.0),  # Pashto letters outweigh one Urdu ہ
    ],
)
def test_unoffered_letters(text: str, script: Script, expected: float | None) -> None:
    assert unoffered_letters(_tokens(text), script, OURS) == expected


def test_letters_of_an_offered_language_do_not_count() -> None:
    assert unoffered_letters(_tokens("ništa"), Script.LATIN, OURS | {"hr"}) == 0.0


@pytest.mark.parametrize(
    ("word", "weight"), [("hallo", 5), ("ሰላም", 6), ("你好", 6), ("こんにちは", 15), ("안녕", 4)]
)
def test_letter_weight(word: str, weight: int) -> None:
    assert letter_weight(word) == weight
