"""Know the resident's language: whole conversations on the real engine.

The real flows, catalogues, places, language detector (bot.langid) and matcher (bot.nlu), as
production builds them; no Telegram, no database, a fixed Tuesday morning. The rules under test
are those of bot/core/language.py: the first reply follows the channel's hint; before a choice
a reliable detection switches; a chosen language is never switched silently, and only several
messages clearly in another language lead to an *offer*.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fakes import Conversation

from bot.app import build_engine
from bot.config import load_settings
from bot.content import load_content
from bot.core import builtins, buttons
from bot.core.engine import Engine
from bot.core.replies import Ask, End, Reply, Say
from bot.core.session import Mode

ROOT = Path(__file__).resolve().parents[3]
SETTINGS, _ = load_settings(ROOT / "config.yaml")
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
LETTER = ("letter", "jobcenter")
"""Main menu → letters; its second question is the deadline."""
SECOND_LETTER_QUESTION = "choose_quarter.ask_quarter"

TURKISH = (
    "Merhaba, Jobcenter'dan bir mektup aldım ve ne yazdığını hiç anlamıyorum",
    "Mektupta bir tarih var ama ne zamana kadar cevap vermem gerektiğini bilmiyorum",
    "Lütfen bana yardım edin, Almanca okuyamıyorum ve çok endişeliyim",
)


@pytest.fixture(scope="module")
def lotse() -> Engine:
    """The engine over the shipped content, with the real detector and matcher."""
    content = load_content(SETTINGS)
    assert content.ok, [str(issue) for issue in content.issues.errors]
    return build_engine(SETTINGS, content)


def _resident(lotse: Engine, hint: str | None) -> Conversation:
    return Conversation(lotse, at=TUESDAY_10, hint=hint)


def _ready(lotse: Engine, language: str, hint: str | None = None) -> Conversation:
    """/start, choose ``language``, agree: the main menu is on screen."""
    chat = _resident(lotse, hint or language)
    chat.start()
    chat.press(language, step=builtins.LANGUAGE_STEP)
    chat.press("agree", step=builtins.CONSENT_STEP)
    return chat


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(".*?")
    return re.compile("".join(parts), re.DOTALL)


def _foreign(lotse: Engine, language: str, replies: Sequence[Reply]) -> list[str]:
    """Keyed texts NOT worded from ``language``'s own catalogue (the switch offer aside)."""
    entries = lotse.texts.catalogues[language].entries
    wrong = []
    for reply in replies:
        if not isinstance(reply, Say | Ask | End) or not reply.key:
            continue
        if isinstance(reply, Ask) and reply.step == builtins.SWITCH_STEP:
            continue  # worded in the offered language on purpose
        entry = entries.get(reply.key)
        if entry is None or not any(_pattern(f).fullmatch(reply.text) for f in entry.forms()):
            wrong.append(f"{reply.key}: {reply.text!r}")
    return wrong


def _offers(replies: Sequence[Reply]) -> list[Ask]:
    return [r for r in replies if isinstance(r, Ask) and r.step == builtins.SWITCH_STEP]


def _keys(replies: Sequence[Reply]) -> list[str]:
    return [getattr(r, "key", "") or type(r).__name__ for r in replies]


# -- (a) a Ukrainian resident whose phone says English writes first, without /start ------


@pytest.mark.parametrize(
    "first_message",
    [
        pytest.param("Добрий день, мені прийшов лист з Jobcenter і я не розумію", id="sentence"),
        pytest.param("Добрий день", id="greeting"),
    ],
)
def test_ukrainian_first_message_is_answered_in_ukrainian(
    lotse: Engine, first_message: str
) -> None:
    """At most one confirmation ("continue in Українська?"), then everything is Ukrainian."""
    chat = _resident(lotse, hint="en")
    replies = chat.text(first_message)
    if offers := _offers(replies):
        offer = offers[-1]
        assert chat.session.offer == "uk"
        assert offer.text == lotse.texts.text(
            "uk", "system.switch_offer", language=lotse.texts.native_name("uk")
        )
        replies = chat.press("uk", step=builtins.SWITCH_STEP)
        assert not _offers(replies), "a second confirmation"
    assert chat.session.language == "uk"
    assert not _foreign(lotse, "uk", replies)
    following = chat.press(next(o.id for o in chat.last_question().options))
    assert not _foreign(lotse, "uk", following)
    assert chat.session.language == "uk"


def test_first_message_without_start_asks_for_consent_before_any_flow(lotse: Engine) -> None:
    """Consent comes before help, however the conversation begins (README: "at first contact")."""
    chat = _resident(lotse, hint="en")
    replies = chat.text("Добрий день, мені прийшов лист з Jobcenter і я не розумію")
    # The language picker (Ukrainian first, worded in Ukrainian) is the one confirmation;
    # the privacy notice follows it. No flow starts before consent.
    assert _keys(replies) == ["system.choose_language"]
    assert chat.session.language == "uk"
    assert chat.session.flow is None
    assert not chat.session.consent


# -- (b) German resident, German words --------------------------------------------------


def test_german_resident_typing_short_german_words_stays_german(lotse: Engine) -> None:
    """ "ok", "Jobcenter", "Termin": no switch, no offer, German throughout."""
    chat = _ready(lotse, "de")
    for message in ("ok", "Jobcenter", "Termin"):
        replies = chat.text(message)
        assert not _offers(replies), message
        assert chat.session.language == "de"
        assert chat.session.mode is Mode.FLOW
        assert chat.session.offer is None
        assert not _foreign(lotse, "de", replies), message


# -- (c) Arabic resident naming German offices ----------------------------------------


def test_arabic_resident_mixing_german_office_names_stays_arabic(lotse: Engine) -> None:
    """German office names inside Arabic sentences never move the language."""
    chat = _ready(lotse, "ar")
    for message in (
        "عندي رسالة من Jobcenter",
        "Ausländerbehörde موعد",
        "Termin في Jobcenter بكرة",
    ):
        replies = chat.text(message)
        assert not _offers(replies), message
        assert chat.session.language == "ar"
        assert chat.session.mode is Mode.FLOW
        assert chat.session.foreign_streak == 0
        assert not _foreign(lotse, "ar", replies), message


# -- (d) German chosen, Turkish written ------------------------------------------------


def _writes_turkish(lotse: Engine) -> tuple[Conversation, list[list[Reply]]]:
    chat = _ready(lotse, "de")
    answers = []
    for message in TURKISH:
        answers.append(chat.text(message))
        assert chat.session.language == "de", "switched without asking"
        assert chat.session.language_chosen
    return chat, answers


def test_turkish_messages_lead_to_an_offer_never_a_switch(lotse: Engine) -> None:
    """Long Turkish messages: Lotse offers Türkçe, in Turkish; German stays until pressed."""
    chat, answers = _writes_turkish(lotse)
    assert not _offers(answers[0]), "one message is not several"
    offers = [offer for replies in answers for offer in _offers(replies)]
    assert offers, [_keys(replies) for replies in answers]
    offer = offers[-1]
    name = lotse.texts.native_name("tr")
    assert offer.text == lotse.texts.text("tr", "system.switch_offer", language=name)
    assert [o.id for o in offer.options] == ["tr", "de", "other"]
    assert offer.options[0].label == lotse.texts.text("tr", "system.switch_yes", language=name)
    assert chat.session.mode is Mode.SWITCH
    assert chat.session.offer == "tr"
    assert chat.session.language == "de"


def test_accepting_the_offer_continues_the_same_question_in_turkish(lotse: Engine) -> None:
    """Pressing "Evet, Türkçe" switches and shows the waiting question again, in Turkish."""
    chat, _ = _writes_turkish(lotse)
    waiting = chat.session.position
    replies = chat.press("tr", step=builtins.SWITCH_STEP)
    assert chat.session.language == "tr"
    assert chat.session.language_chosen
    assert chat.session.position == waiting
    assert _keys(replies)[0] == "system.language_set"
    assert not _foreign(lotse, "tr", replies)


def test_declining_the_offer_keeps_german(lotse: Engine) -> None:
    """Pressing "Deutsch" keeps German and the waiting question, with no new offer at once."""
    chat, _ = _writes_turkish(lotse)
    waiting = chat.session.position
    replies = chat.press("de", step=builtins.SWITCH_STEP)
    assert chat.session.language == "de"
    assert chat.session.mode is Mode.FLOW
    assert chat.session.position == waiting
    assert not _offers(replies)
    assert not _foreign(lotse, "de", replies)


# -- (e) /language in the middle of a flow ----------------------------------------------


@pytest.mark.parametrize("new_language", [lang for lang in SETTINGS.languages if lang != "de"])
def test_language_command_inside_a_flow_shows_the_same_question_again(
    lotse: Engine, new_language: str
) -> None:
    """At the letters flow's second question: /language, choose → that question, new language."""
    chat = _ready(lotse, "de")
    for option in LETTER:
        chat.press(option)
    before = chat.last_question()
    assert before.step == SECOND_LETTER_QUESTION
    position = chat.session.position

    picker = chat.command("language")
    assert _keys(picker) == ["system.choose_language"]
    assert chat.session.position == position

    replies = chat.press(new_language, step=builtins.LANGUAGE_STEP)
    after = chat.last_question()
    assert _keys(replies) == ["system.language_set", before.key]
    assert after.step == before.step
    assert [o.id for o in after.options] == [o.id for o in before.options]
    assert chat.session.position == position
    assert chat.session.language == new_language
    assert not _foreign(lotse, new_language, replies)
    assert after.text != before.text


# -- (f) a language Lotse does not offer ------------------------------------------------

TIGRINYA = (
    "ሰላም፡ ብዛዕባ ደብዳበ ጆብሰንተር ሓገዝ የድልየኒ ኣሎ።",
    "ኣብዚ ትግርኛ ዝዛረብ ሓኪም ኣሎ ድዩ?",
)
CROATIAN = (
    "Trebam pomoć oko pisma od Jobcentra, ništa ne razumijem.",
    "Gdje mogu naći liječnika koji govori hrvatski?",
)
SOMALI = "Waxaan u baahanahay caawimaad, warqad ayaa iiga timid Jobcenter-ka."
UNOFFERED_NOTE = "system.unoffered"


def _picker(replies: Sequence[Reply]) -> Ask:
    (picker,) = [r for r in replies if isinstance(r, Ask) and r.step == builtins.LANGUAGE_STEP]
    return picker


def test_first_message_in_tigrinya_gets_a_multilingual_note_and_the_menu(lotse: Engine) -> None:
    """No /start, phone language not offered: the note in several languages, then the menu
    with every offered language and a person to write to. Nothing is switched."""
    chat = _resident(lotse, hint="ti")
    replies = chat.text(TIGRINYA[0])
    assert _keys(replies) == [UNOFFERED_NOTE, "system.choose_language"]
    note = replies[0]
    assert isinstance(note, Say)
    for lang in ("de", "en", "ar", "fa", "ru", "tr"):
        assert lotse.texts.text(lang, UNOFFERED_NOTE) in note.text.split("\n")
    options = [o.id for o in _picker(replies).options]
    assert options == [*SETTINGS.languages, buttons.PERSON_OPTION]
    assert chat.session.mode is Mode.LANGUAGE
    assert chat.session.language == "de"
    assert not chat.session.language_chosen


def test_the_note_comes_once_per_position(lotse: Engine) -> None:
    """Writing on in Tigrinya at the same place: the menu again, not the same note."""
    chat = _resident(lotse, hint=None)
    chat.text(TIGRINYA[0])
    again = chat.text(TIGRINYA[1])
    assert UNOFFERED_NOTE not in _keys(again)
    assert buttons.PERSON_OPTION in [o.id for o in _picker(again).options]
    assert chat.session.language == "de"


def test_write_to_a_person_from_the_note_hands_off(lotse: Engine) -> None:
    chat = _resident(lotse, hint=None)
    chat.text(TIGRINYA[0])
    replies = chat.press(buttons.PERSON_OPTION, step=builtins.LANGUAGE_STEP)
    assert _keys(replies) == ["HandOff"]
    assert chat.session.mode is Mode.HANDOFF


def test_the_person_button_is_only_offered_after_the_note(lotse: Engine) -> None:
    chat = _resident(lotse, hint="de")
    picker = _picker(chat.start())
    assert buttons.PERSON_OPTION not in [o.id for o in picker.options]
    replies = chat.press(buttons.PERSON_OPTION, step=builtins.LANGUAGE_STEP)
    assert chat.session.mode is Mode.LANGUAGE
    assert _keys(replies) == ["system.choose_language"]


def test_croatian_in_the_middle_of_a_flow_keeps_german_and_the_question(lotse: Engine) -> None:
    """Chosen German, a question open, Croatian typed: the note and the menu; "Deutsch" brings
    the same question back. Croatian again at that question: no second note."""
    chat = _ready(lotse, "de")
    chat.press(chat.last_question().options[0].id)
    question = chat.last_question()
    position = chat.session.position
    replies = chat.text(CROATIAN[0])
    assert _keys(replies) == [UNOFFERED_NOTE, "system.choose_language"]
    assert chat.session.language == "de"
    assert chat.session.language_chosen
    assert chat.session.position == position

    back = chat.press("de", step=builtins.LANGUAGE_STEP)
    assert _keys(back) == ["system.language_set", question.key]
    assert chat.session.position == position

    again = chat.text(CROATIAN[1])
    assert UNOFFERED_NOTE not in _keys(again)
    assert chat.session.language == "de"
    assert chat.session.mode is not Mode.SWITCH


def test_unoffered_text_never_offers_or_makes_a_switch(lotse: Engine) -> None:
    """Somali from an Arabic-speaking resident: never guessed as Kurdish or Albanian."""
    chat = _ready(lotse, "ar")
    for _ in range(3):
        replies = chat.text(SOMALI)
        assert not _offers(replies)
        assert chat.session.language == "ar"
        assert chat.session.offer is None
        if chat.session.mode is Mode.LANGUAGE:
            chat.press("ar", step=builtins.LANGUAGE_STEP)


@pytest.mark.parametrize(
    "message",
    [
        "ok",
        "?",
        "...",
        "😀🙏👍",
        "0176 1234567",
        "ሰላም",
        "dobar dan",
        "hahaha hahaha hahaha",
        "Привет hello مرحبا",
        "a" * 4096,
        ("ኣብዚ ትግርኛ ዝዛረብ ሓኪም ኣሎ ድዩ? " * 150)[:4096],
    ],
    ids=lambda m: m[:12],
)
def test_bad_input_never_switches_and_gets_an_answer(lotse: Engine, message: str) -> None:
    """Short, empty, mixed or very long input: no switch, no alarm, a kind answer. Only the
    long clear Tigrinya text gets the note."""
    chat = _ready(lotse, "de")
    replies = chat.text(message)
    assert replies
    assert chat.session.language == "de"
    assert not _offers(replies)
    assert not [key for key in _keys(replies) if key.startswith(("emergency.", "violence."))]
    assert (UNOFFERED_NOTE in _keys(replies)) == message.startswith("ኣብዚ")
    assert not _foreign(
        lotse, "de", [r for r in replies if getattr(r, "key", "") != UNOFFERED_NOTE]
    )
