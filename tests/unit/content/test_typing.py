"""Typing as a first-class way to use Lotse, on the real content (issue "understand what
residents type"): safety numbers first everywhere, straight into the right flow, questions
answered by earlier messages skipped, typed answers at every question, kind misses.

The messages here are written for these tests; the held-out measure is bench/nlu.py.
"""

from __future__ import annotations

import pytest
import real_lotse
from real_lotse import Resident, keys

from bot.core import builtins, buttons
from bot.core.engine import Engine
from bot.core.ports import Reading, TopicScore
from bot.core.replies import Ask, HandOff, PlaceCard, Say
from bot.core.session import Mode

NUMBERS = {"violence.first", "emergency.numbers", "emergency.short"}

VIOLENCE = {
    "de": "Mein Mann schlägt mich",
    "en": "my husband hits me",
    "uk": "чоловік мене б'є",
    "ru": "муж меня бьёт",
    "ar": "زوجي يضربني",
    "fa": "شوهرم منو میزنه",
    "ps": "میړه مې ما وهي",
    "tr": "kocam beni dövüyor",
    "ku": "mêrê min li min dixe",
    "ro": "sotul ma bate",
    "bg": "мъжът ми ме бие",
    "pl": "mąż mnie bije",
    "sq": "burri më rreh",
}
EMERGENCY = {
    "de": "mein Baby atmet nicht",
    "en": "my baby is not breathing",
    "uk": "дитина не дихає",
    "ru": "ребенок не дышит",
    "ar": "الطفل ما عم يتنفس",
    "fa": "بچه نفس نمیکشه",
    "ps": "ماشوم ساه نه اخلي",
    "tr": "bebeğim nefes almıyor",
    "ku": "pitikê min nefes nastîne",
    "ro": "copilul nu respira",
    "bg": "бебето не диша",
    "pl": "dziecko nie oddycha",
    "sq": "foshnja nuk merr frymë",
}


def _ready(lotse: Engine, language: str) -> Resident:
    resident = Resident(lotse, hint=language)
    resident.ready_in(language)
    return resident


def _first_key(replies: list[object]) -> str:
    first = replies[0]
    assert isinstance(first, Say), replies
    return first.key


@pytest.mark.parametrize("language", real_lotse.languages())
def test_violence_gets_110_and_116_016_first_then_the_violence_flow(
    lotse: Engine, language: str
) -> None:
    resident = _ready(lotse, language)
    replies = resident.text(VIOLENCE[language])
    assert _first_key(replies) == "violence.first", keys(replies)
    first = replies[0]
    assert isinstance(first, Say)
    assert "110" in first.text
    assert "116 016" in first.text
    assert resident.session.flow == "violence"
    assert resident.last_question().key == "violence.what"


@pytest.mark.parametrize("language", real_lotse.languages())
def test_acute_danger_gets_112_first_then_health(lotse: Engine, language: str) -> None:
    resident = _ready(lotse, language)
    replies = resident.text(EMERGENCY[language])
    assert _first_key(replies) == "emergency.numbers", keys(replies)
    first = replies[0]
    assert isinstance(first, Say)
    assert "112" in first.text
    assert "0551 19240" in first.text  # poison information (GIZ-Nord)
    session = resident.session
    assert (session.stack[0].flow if session.stack else session.flow) == "health"


@pytest.mark.parametrize(
    "where",
    ["first message", "consent", "language picker", "inside a flow", "handoff", "delete"],
)
def test_numbers_come_first_at_every_step(lotse: Engine, where: str) -> None:
    resident = Resident(lotse, hint="uk")
    if where == "consent":
        resident.start()
        resident.press("uk", step=builtins.LANGUAGE_STEP)
    elif where == "language picker":
        resident.start()
    elif where != "first message":
        resident.ready_in("uk")
        if where == "inside a flow":
            resident.press("letter")
        elif where == "handoff":
            resident.command("human")
        elif where == "delete":
            resident.command("delete")
    replies = resident.text(VIOLENCE["uk"])
    assert _first_key(replies) in NUMBERS, keys(replies)
    if where == "handoff":
        assert resident.outcome is not None
        assert resident.outcome.relay, "the message still reaches staff"


def test_danger_before_consent_continues_into_its_flow_after_it(lotse: Engine) -> None:
    resident = Resident(lotse, hint="de")
    replies = resident.text(VIOLENCE["de"])
    assert _first_key(replies) == "violence.first"
    assert resident.session.pending == "violence"
    resident.press("de", step=builtins.LANGUAGE_STEP)
    resident.press("agree", step=builtins.CONSENT_STEP)
    assert resident.session.flow == "violence"
    assert resident.session.pending is None


def test_a_need_typed_before_consent_is_entered_after_it(lotse: Engine) -> None:
    resident = Resident(lotse, hint="de")
    resident.text("Ich habe einen Brief vom Jobcenter bekommen")
    resident.press("de", step=builtins.LANGUAGE_STEP)
    replies = resident.press("agree", step=builtins.CONSENT_STEP)
    assert "welcome.menu" not in keys(replies)
    assert resident.session.flow == "choose_quarter"  # the office was already named
    assert resident.session.stack[0].flow == "letters"


def test_answers_in_the_need_skip_their_questions(lotse: Engine) -> None:
    """Office, quarter and deadline named at once: places right away, nothing asked twice."""
    resident = _ready(lotse, "de")
    replies = resident.text(
        "Ich habe einen Brief vom Jobcenter, die Frist ist morgen, ich wohne in der Nordstadt"
    )
    understood = [r.text for r in replies if isinstance(r, Say) and r.key == "system.understood"]
    assert understood == ["✓ 🏢 Jobcenter", "✓ Nordstadt", "✓ ⏰ Ja, bald"]
    assert any(isinstance(r, PlaceCard) for r in replies)
    assert resident.session.vars["quarter"] == "nordstadt"
    assert resident.last_question().key == "common.after"
    assert resident.session.heard == {}


def test_only_option_ids_are_kept_from_typed_text(lotse: Engine) -> None:
    resident = _ready(lotse, "de")
    resident.text("Mein Sohn trinkt zu viel Alkohol")
    assert all(" " not in value for value in resident.session.heard.values())
    assert "Sohn" not in resident.session.model_dump_json()


def test_typed_text_of_another_topic_switches_and_says_so(lotse: Engine) -> None:
    resident = _ready(lotse, "de")
    resident.press("letter")
    replies = resident.text("Ich suche dringend eine Wohnung für meine Familie")
    assert keys(replies)[0] == "system.topic_switch"
    assert resident.session.flow == "housing"


def test_a_typed_answer_in_another_language_of_the_question_chooses_it(lotse: Engine) -> None:
    resident = _ready(lotse, "ar")
    resident.press("letter")
    resident.text("Jobcenter")
    assert resident.session.vars["office"] == "jobcenter"


def test_second_miss_offers_a_person_and_the_numbers(lotse: Engine) -> None:
    resident = _ready(lotse, "de")
    resident.press("letter")
    first = resident.text("grüne Banane")
    assert keys(first)[0] == "system.not_understood"
    second = resident.text("Tisch Lampe")
    assert keys(second)[0] == "system.not_understood_again"
    text = second[0]
    assert isinstance(text, Say)
    assert "110" in text.text
    assert "112" in text.text
    options = [o.id for o in resident.last_question().options]
    assert buttons.PERSON_OPTION in options
    replies = resident.press(buttons.PERSON_OPTION)
    assert any(isinstance(r, HandOff) for r in replies)


def test_unsure_need_offers_two_or_three_topics_and_a_press_enters_one(
    lotse: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    unsure = Reading(
        topics=(
            TopicScore("letters", 0.35),
            TopicScore("residence", 0.3),
            TopicScore("housing", 0.2),
            TopicScore("none", 0.15),
        )
    )
    resident = _ready(lotse, "de")
    assert lotse.understanding is not None
    monkeypatch.setattr(type(lotse.understanding), "read", lambda _self, _text: unsure)
    replies = resident.text("Amt")
    question = resident.last_question()
    assert question.key == "system.which_topic", keys(replies)
    topics = [o.id for o in question.options]
    assert topics == ["letters", "residence", "housing", builtins.ALL_TOPICS]
    resident.press("residence", step=builtins.TOPIC_STEP)
    assert resident.session.mode is Mode.FLOW
    assert resident.session.flow == "residence"


def test_all_topics_button_shows_the_menu(lotse: Engine) -> None:
    resident = _ready(lotse, "de")
    resident.session = resident.session.model_copy(
        update={"mode": Mode.TOPIC, "topics": ("letters", "housing")}
    )
    replies = resident.press(builtins.ALL_TOPICS, step=builtins.TOPIC_STEP)
    assert keys(replies)[-1] == "welcome.menu"
    assert "welcome.hello" not in keys(replies)


BAD_INPUT = [
    "x" * 4096,
    "Brief " * 680,
    "😀😀😀🙏",
    "🚑",
    "0151 2345678",
    "١٢٣٤٥",
    "ok",
    "?",
    "...",
    "Привет hello مرحبا 你好",
    "ሰላም እንዴት ነህ ዛሬ ጥሩ ቀን ነው",
]


@pytest.mark.parametrize("text", BAD_INPUT, ids=[t[:12] for t in BAD_INPUT])
@pytest.mark.parametrize("language", ["de", "ar"])
def test_bad_input_gets_a_kind_answer_without_alarm_or_switch(
    lotse: Engine, language: str, text: str
) -> None:
    resident = _ready(lotse, language)
    replies = resident.text(text)
    assert replies
    assert not any(isinstance(r, Say) and r.key in NUMBERS for r in replies), keys(replies)
    assert resident.session.language == language
    assert isinstance(replies[-1], Ask | HandOff), keys(replies)
