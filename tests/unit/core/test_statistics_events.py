"""Issue 13, point 5: the anonymous events the funder report counts, as the engine notes
them: a first contact once per person, and every place a referral shows."""

from __future__ import annotations

import dataclasses

from fakes import Conversation, make_engine

from bot.core.replies import Analytics


def noted(chat: Conversation) -> list[Analytics]:
    assert chat.outcome is not None
    return list(chat.outcome.analytics)


def kinds(chat: Conversation) -> list[str]:
    return [event.kind for event in noted(chat)]


def test_a_first_contact_is_noted_once_with_the_first_language() -> None:
    chat = Conversation(make_engine(), hint="en")
    chat.start()
    assert kinds(chat) == ["first_contact", "start"]
    assert noted(chat)[0].language == "en"
    chat.press("de")
    chat.start()
    assert "first_contact" not in kinds(chat)


def test_a_first_typed_message_is_a_first_contact_too() -> None:
    chat = Conversation(make_engine(consent=False))
    chat.text("Hallo")
    assert kinds(chat)[0] == "first_contact"


def test_after_erasure_the_person_counts_as_new() -> None:
    chat = Conversation(make_engine())
    chat.ready()
    chat.command("delete")
    chat.press("yes")
    chat.start()
    assert kinds(chat)[0] == "first_contact"


def test_each_place_shown_by_a_referral_is_noted_without_anything_personal() -> None:
    chat = Conversation(make_engine())
    chat.ready()
    chat.press("letter")
    chat.press("jobcenter")
    refer, place = (e for e in noted(chat) if e.kind in ("refer", "refer_place"))
    assert (refer.topic, refer.extra) == ("letters", {"count": "1"})
    assert (place.kind, place.extra, place.language) == ("refer_place", {"place": "treff"}, "de")
    fields = {f.name for f in dataclasses.fields(Analytics)}
    assert fields == {"kind", "flow", "step", "topic", "quarter", "language", "extra"}


def test_a_search_without_places_notes_no_place() -> None:
    chat = Conversation(make_engine(languages=("de", "uk")), hint="uk")
    chat.start()
    chat.press("uk")
    chat.press("agree")
    chat.press("letter")
    chat.press("abh")
    assert "refer_place" not in kinds(chat)
    assert [e.extra for e in noted(chat) if e.kind == "refer"] == [{"count": "0"}]
