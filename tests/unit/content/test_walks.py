"""A resident walks to help in their own language, and reads nothing but that language.

For each offered language: /start, choose the language, agree, press a common need on the main
menu and answer the flow's questions with buttons until a place card, a phone number or a
person appears. Every text on the way must come from that language's own catalogue (no German
fallback), with no raw key and no unfilled ``{placeholder}``.
"""

from __future__ import annotations

import pytest
import real_lotse
from real_lotse import Resident, gives_help, keys, leaks, worded_from, worded_from_any

from bot.core import builtins, buttons
from bot.core.engine import Engine
from bot.core.replies import Ask, AskLocation, End, HandOff, PlaceCard, Reply, Say
from bot.flowspec.model import AskStep

WALKS: dict[str, tuple[str, ...]] = {
    # main menu → which office → quarter: place cards, then the deadline and its tip
    "letter": ("letter", "jobcenter", "suedstadt", "soon"),
    # main menu → debts → quarter: place cards
    "debts": ("money", "debts", "nordstadt"),
    # main menu → violence (110, 116 016 at once) → a safe place (Frauenhaus phone)
    "violence": ("violence", "shelter"),
    # main menu → a person: the handoff
    "person": ("person",),
}
MAX_PRESSES = 10

_BUILTIN_LABELS = {
    buttons.BACK_OPTION: "system.back_button",
    buttons.LANGUAGE_OPTION: "system.language_button",
}
_CONSENT_LABELS = {
    "agree": "system.privacy_agree",
    "more": "system.privacy_more",
    "decline": "system.privacy_decline",
}


def _walk(lotse: Engine, language: str, presses: tuple[str, ...]) -> Resident:
    """Press the scripted options (or the first one offered) until help appears."""
    resident = Resident(lotse, hint=language)
    resident.ready_in(language)
    script = list(presses)
    for _ in range(MAX_PRESSES):
        if gives_help(resident.seen) and not script:
            break
        question = resident.last_question()
        offered = [o.id for o in question.options if not o.id.startswith("_")]
        option = script.pop(0) if script else offered[0]
        assert option in offered, (option, question.step, offered)
        resident.press(option)
    return resident


def _label_key(lotse: Engine, ask: Ask, option_id: str) -> str | None:
    """The catalogue key of a button's label, or None for a language name."""
    if ask.step == builtins.LANGUAGE_STEP:
        return None
    if ask.step == builtins.CONSENT_STEP:
        return _CONSENT_LABELS[option_id]
    if option_id in _BUILTIN_LABELS:
        return _BUILTIN_LABELS[option_id]
    flow, _, step_id = ask.step.partition(".")
    step = lotse.flows.step(flow, step_id)
    assert isinstance(step, AskStep), ask.step
    return next(o.label for o in step.options if o.id == option_id)


def _foreign(lotse: Engine, language: str, reply: Reply) -> list[str]:
    """Texts of ``reply`` not worded from the language's own catalogue."""
    texts = lotse.texts
    wrong: list[str] = []

    def check(key: str, text: str) -> None:
        if not worded_from(texts, language, key, text):
            wrong.append(f"{key}: {text!r}")

    if isinstance(reply, Say | End) and reply.key:
        check(reply.key, reply.text)
    elif isinstance(reply, AskLocation):
        check(reply.key, reply.text)
        check("system.share_location", reply.button)
    elif isinstance(reply, Ask):
        if reply.step == builtins.SWITCH_STEP:
            return wrong  # worded in the offered language on purpose
        check(reply.key, reply.text)
        for option in reply.options:
            key = _label_key(lotse, reply, option.id)
            if key is None:
                if option.label != texts.native_name(option.id):
                    wrong.append(f"language button {option.id}: {option.label!r}")
            else:
                check(key, option.label)
    elif isinstance(reply, HandOff):
        if not worded_from_any(texts, language, reply.text):
            wrong.append(f"handoff: {reply.text!r}")
    elif isinstance(reply, PlaceCard):
        wrong += [
            f"card line: {line!r}"
            for line in reply.lines
            if not worded_from_any(texts, language, line, prefix="place.")
        ]
    return wrong


@pytest.mark.parametrize("walk", list(WALKS))
@pytest.mark.parametrize("language", real_lotse.languages())
def test_walk_reaches_help_in_the_residents_language(
    lotse: Engine, language: str, walk: str
) -> None:
    """From the main menu to a place, a phone number or a person, all in one language."""
    resident = _walk(lotse, language, WALKS[walk])
    seen = resident.seen
    assert gives_help(seen), keys(seen)
    foreign = [text for reply in seen for text in _foreign(lotse, language, reply)]
    assert not foreign, foreign
    assert not leaks(seen)
    assert resident.session.language == language


@pytest.mark.parametrize("language", real_lotse.languages())
def test_letter_walk_shows_places_with_cards(lotse: Engine, language: str) -> None:
    """The letter walk ends with places: an intro, at least one card, and what next."""
    resident = _walk(lotse, language, WALKS["letter"])
    cards = [r for r in resident.seen if isinstance(r, PlaceCard)]
    assert cards
    assert all(card.lines for card in cards), "every card says when it is open"
    intro = [r for r in resident.seen if isinstance(r, Say) and r.key == "letters.places_intro"]
    assert intro
    assert str(len(cards)) in intro[0].text
    assert resident.last_question().key == "common.after"


@pytest.mark.parametrize("language", [lang for lang in real_lotse.languages() if lang != "de"])
def test_no_text_on_the_letter_walk_is_the_german_text(lotse: Engine, language: str) -> None:
    """Where the language has its own entry, the resident never reads the German wording.

    Proper names such as "Jobcenter" may be the same in both; whole messages may not.
    """
    resident = _walk(lotse, language, WALKS["letter"])
    german = lotse.texts.catalogues["de"].entries
    same = [
        reply.key
        for reply in resident.seen
        if isinstance(reply, Say | Ask)
        and reply.key in german
        and len(reply.text) > 20
        and worded_from(lotse.texts, "de", reply.key, reply.text)
    ]
    assert not same
