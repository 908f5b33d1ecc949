"""The engine, driven like a conversation: events in, replies out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fakes import MONDAY_10, Conversation, keys, make_engine

from bot.core.events import Button
from bot.core.replies import (
    Ask,
    AskLocation,
    End,
    EraseData,
    HandOff,
    LeaveHandOff,
    PlaceCard,
    Say,
)
from bot.core.session import Mode, Session


@pytest.fixture
def chat() -> Conversation:
    return Conversation(make_engine())


class TestStart:
    def test_first_contact_asks_language_in_hint_language_first(self) -> None:
        chat = Conversation(make_engine(), hint="en")
        replies = chat.start()
        question = chat.last_question()
        assert keys(replies) == ["system.choose_language"]
        assert [o.id for o in question.options] == ["en", "de"]
        assert chat.session.language == "en"

    def test_unknown_hint_falls_back_to_default(self) -> None:
        chat = Conversation(make_engine(), hint="zz")
        chat.start()
        assert chat.session.language == "de"

    def test_language_then_consent_then_welcome(self, chat: Conversation) -> None:
        chat.start()
        assert keys(chat.press("de")) == ["system.language_set", "system.privacy_short"]
        replies = chat.press("agree")
        assert keys(replies) == ["t.hello", "t.menu"]
        assert chat.session.consent
        assert chat.session.position is not None

    def test_privacy_more_and_decline(self, chat: Conversation) -> None:
        chat.start()
        chat.press("de")
        assert keys(chat.press("more")) == ["system.privacy_full", "system.privacy_short"]
        assert keys(chat.press("decline")) == ["system.privacy_declined"]
        assert not chat.session.consent

    def test_deep_link_preselects_place_and_language(self, chat: Conversation) -> None:
        replies = chat.start("treff-en")
        assert chat.session.language == "en"
        assert chat.session.language_chosen
        assert chat.session.vars["place"] == "treff"
        assert keys(replies) == ["system.privacy_short"]

    def test_unknown_deep_link_is_a_normal_start(self, chat: Conversation) -> None:
        replies = chat.start("nonsense-payload")
        assert keys(replies) == ["system.choose_language"]
        assert "place" not in chat.session.vars

    def test_single_language_skips_the_picker(self) -> None:
        chat = Conversation(make_engine(languages=("de",)))
        assert keys(chat.start()) == ["system.privacy_short"]

    def test_without_consent_requirement_goes_straight_to_flow(self) -> None:
        chat = Conversation(make_engine(consent=False))
        chat.start()
        assert keys(chat.press("de")) == ["system.language_set", "t.hello", "t.menu"]


class TestSteps:
    def test_say_ask_branch_set_refer(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("letter")
        replies = chat.press("jobcenter")
        assert chat.session.vars["office"] == "jobcenter"
        assert chat.session.vars["topic"] == "letters"
        assert keys(replies) == ["system.places_found", "PlaceCard", "t.after"]
        card = replies[1]
        assert isinstance(card, PlaceCard)
        assert card.name == "Treff <Süd>"
        assert "Jetzt geöffnet bis 16:00 Uhr" in card.lines
        assert "Hier spricht man Arabisch." in card.lines
        assert card.map_url
        assert "mlat=52.09500" in card.map_url

    def test_branch_with_all_conditions_and_option_set(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("letter")
        chat.press("abh")
        assert chat.session.vars["urgent"] == "yes"
        assert chat.session.vars["topic"] == "residence"

    def test_refer_with_no_places_says_so(self) -> None:
        chat = Conversation(make_engine(languages=("de", "uk")), hint="uk")
        chat.start()
        chat.press("uk")
        chat.press("agree")
        chat.press("letter")
        replies = chat.press("abh")  # urgent, but not de/en: the branch's else
        assert chat.session.vars["topic"] == "other"
        assert keys(replies) == ["system.no_places", "t.after"]

    def test_branch_on_open_now(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("letter")
        chat.press("jobcenter")
        assert keys(chat.press("open"))[:1] == ["t.open"]

    def test_branch_on_open_now_closed_at_night(self) -> None:
        chat = Conversation(make_engine(), at=MONDAY_10 + timedelta(hours=12))
        chat.ready()
        chat.press("letter")
        replies = chat.press("jobcenter")
        card = next(r for r in replies if isinstance(r, PlaceCard))
        assert card.lines[0].startswith("Jetzt geschlossen. Wieder offen: Dienstag 09:00")
        assert keys(chat.press("open"))[:1] == ["t.closed"]

    def test_end_step_says_goodbye_and_rests(self, chat: Conversation) -> None:
        chat.ready()
        replies = chat.press("bye")
        assert isinstance(replies[-1], End)
        assert replies[-1].text == "Auf Wiedersehen"
        assert chat.session.position is None

    def test_text_after_end_restarts_welcome(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("bye")
        assert keys(chat.text("hallo")) == ["t.hello", "t.menu"]

    def test_typed_need_after_end_goes_straight_to_option(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("bye")
        replies = chat.text("ich habe einen Brief bekommen")
        assert keys(replies) == ["t.hello", "t.office"]

    def test_goto_other_flow_with_return(self, chat: Conversation) -> None:
        chat.ready()
        assert keys(chat.press("sub")) == ["t.sub_q"]
        assert chat.session.flow == "sub"
        replies = chat.press("ok")
        assert keys(replies) == ["t.sub_done", "t.back_in_main", "t.menu"]
        assert chat.session.flow == "main"
        assert chat.session.stack == ()

    def test_handoff_step_emits_request_and_waits(self, chat: Conversation) -> None:
        chat.ready()
        replies = chat.press("person")
        handoff = replies[0]
        assert isinstance(handoff, HandOff)
        assert handoff.topic == "health"
        assert ("choice", "person") in handoff.answers
        assert chat.session.mode is Mode.HANDOFF
        chat.text("Ich brauche Hilfe mit der Miete")
        assert chat.outcome
        assert chat.outcome.relay
        assert chat.outcome.replies == ()
        replies = chat.command("bot")
        assert isinstance(replies[0], LeaveHandOff)
        assert keys(replies)[1:] == ["system.handoff_left", "t.menu"]


class TestInput:
    def test_number_valid_and_invalid(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("age")
        assert keys(chat.text("abc")) == ["system.invalid_number", "t.age_q"]
        # The second miss in a row also offers a person and the emergency numbers.
        second = ["system.invalid_number", "system.not_understood_again", "t.age_q"]
        assert keys(chat.text("200")) == second
        replies = chat.text("42")
        assert replies[0] == Say("Danke, 42 Jahre.", "t.age_ok")
        assert chat.session.vars["age"] == "42"

    def test_date_with_custom_invalid_text(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("date")
        assert keys(chat.text("morgen")) == ["t.date_bad", "t.date_q"]
        chat.text("24.12.2026")
        assert chat.session.vars["date"] == "2026-12-24"

    def test_street_sets_quarter(self, chat: Conversation) -> None:
        chat.ready()
        replies = chat.press("where")
        assert isinstance(replies[0], AskLocation)
        assert keys(chat.text("Mondweg")) == ["system.invalid_street", "t.street_q"]
        chat.text("Kaiserstrase 80")
        assert chat.session.vars["street"] == "Kaiserstraße"
        assert chat.session.vars["quarter"] == "suedstadt"

    def test_location_sets_quarter_and_coordinates(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("where")
        chat.location(52.095, 9.37)
        assert chat.session.vars["quarter"] == "suedstadt"
        assert chat.session.vars["lat"] == "52.09500"

    def test_location_where_not_asked_is_kindly_refused(self, chat: Conversation) -> None:
        chat.ready()
        assert keys(chat.location(52.0, 9.0)) == ["system.unsupported", "t.menu"]


class TestTypedAnswers:
    def test_keyword_chooses_option(self, chat: Conversation) -> None:
        chat.ready()
        assert keys(chat.text("Ich habe Post bekommen")) == ["t.office"]

    def test_label_chooses_option(self, chat: Conversation) -> None:
        chat.ready()
        assert keys(chat.text("alter")) == ["t.age_q"]

    def test_number_chooses_displayed_option(self, chat: Conversation) -> None:
        chat.ready()
        assert keys(chat.text("2")) == ["t.age_q"]

    def test_nonsense_is_not_understood_and_menu_repeats(self, chat: Conversation) -> None:
        chat.ready()
        assert keys(chat.text("xyzzy")) == ["system.not_understood", "t.menu"]
        assert chat.session.misunderstood == 1

    def test_keyword_in_other_language(self) -> None:
        chat = Conversation(make_engine(languages=("de", "en", "uk")), hint="uk")
        chat.start()
        chat.press("uk")
        chat.press("agree")
        assert keys(chat.text("у мене лист"))[-1] == "t.office"


class TestGlobalCommands:
    def test_back_returns_to_previous_question(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("letter")
        assert keys(chat.command("back")) == ["t.menu"]
        assert keys(chat.command("back")) == ["system.nothing_to_go_back", "t.menu"]

    def test_back_button_on_question(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("letter")
        assert "_back" in [o.id for o in chat.last_question().options]
        assert keys(chat.press("_back")) == ["t.menu"]

    def test_start_over_keeps_language_and_consent(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("letter")
        assert keys(chat.command("start")) == ["t.hello", "t.menu"]
        assert chat.session.history == ()

    def test_language_change_keeps_flow_position(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("letter")
        assert keys(chat.command("language")) == ["system.choose_language"]
        replies = chat.press("en")
        assert chat.session.language == "en"
        assert keys(replies) == ["system.language_set", "t.office"]
        assert chat.session.step == "office"

    def test_language_button_in_menu(self, chat: Conversation) -> None:
        chat.ready()
        assert keys(chat.press("_lang")) == ["system.choose_language"]

    def test_help_repeats_current_question(self, chat: Conversation) -> None:
        chat.ready()
        assert keys(chat.command("help")) == ["system.help", "t.menu"]

    def test_human_command_hands_off(self, chat: Conversation) -> None:
        chat.ready()
        replies = chat.command("human")
        assert isinstance(replies[0], HandOff)
        assert chat.session.mode is Mode.HANDOFF

    def test_human_words_hand_off(self, chat: Conversation) -> None:
        chat.ready()
        replies = chat.text("Ich möchte mit einem Menschen sprechen")
        assert isinstance(replies[0], HandOff)

    def test_delete_needs_confirmation(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("letter")
        assert keys(chat.command("delete")) == ["system.delete_confirm"]
        assert keys(chat.press("no")) == ["system.delete_cancelled", "t.office"]
        chat.command("delete")
        replies = chat.press("yes")
        assert any(isinstance(r, EraseData) for r in replies)
        assert chat.session == Session(resident="test:1")

    def test_emergency_word_shows_numbers_at_once(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("letter")
        replies = chat.text("NOTFALL!")
        assert keys(replies) == ["emergency.numbers", "t.office"]
        assert "110" in replies[0].text  # type: ignore[union-attr]

    def test_emergency_word_during_handoff_still_answers(self, chat: Conversation) -> None:
        chat.ready()
        chat.command("human")
        replies = chat.text("sos")
        assert keys(replies) == ["emergency.numbers"]
        assert chat.outcome
        assert chat.outcome.relay


class TestRobustness:
    def test_stale_button_gets_current_question(self, chat: Conversation) -> None:
        chat.ready()
        menu = chat.last_question()
        chat.press("letter")
        replies = chat.press("age", step=menu.step)
        assert keys(replies) == ["system.stale_menu", "t.office"]

    def test_unknown_option_on_current_step(self, chat: Conversation) -> None:
        chat.ready()
        assert keys(chat.press("forged")) == ["system.stale_menu", "t.menu"]

    def test_builtin_button_in_wrong_mode_is_stale(self, chat: Conversation) -> None:
        chat.ready()
        assert keys(chat.press("yes", step="_delete")) == ["system.stale_menu", "t.menu"]

    def test_photo_gets_kind_reply_and_keeps_session(self, chat: Conversation) -> None:
        chat.ready()
        before = chat.session
        assert keys(chat.photo()) == ["system.unsupported", "t.menu"]
        assert chat.session == before

    def test_engine_never_mutates_input_session(self, chat: Conversation) -> None:
        chat.ready()
        before = chat.session
        frozen = before.model_dump()
        chat.engine.handle(Button(at=MONDAY_10, step="main.menu", option="letter"), before)
        assert before.model_dump() == frozen

    def test_old_flow_version_with_missing_step_restarts_flow(self, chat: Conversation) -> None:
        chat.ready()
        chat.session = chat.session.model_copy(update={"step": "removed", "flow_version": "old"})
        replies = chat.text("hallo")
        assert keys(replies) == ["system.flow_changed", "t.hello", "t.menu"]
        assert chat.session.language == "de"

    def test_old_flow_version_with_existing_step_continues(self, chat: Conversation) -> None:
        chat.ready()
        chat.session = chat.session.model_copy(update={"flow_version": "old"})
        assert keys(chat.press("age")) == ["t.age_q"]

    def test_rtl_placeholders_are_isolated(self) -> None:
        from bot.i18n.catalog import FSI, LRI, PDI, fill

        assert fill("اتصل {phone}", {"phone": "05151 202-3444"}, rtl=True) == (
            f"اتصل {LRI}05151 202-3444{PDI}"
        )
        assert fill("{office}", {"office": "Jobcenter"}, rtl=True) == f"{FSI}Jobcenter{PDI}"


def test_replies_are_channel_neutral_values(chat: Conversation) -> None:
    replies = chat.ready()
    assert all(isinstance(r, Say | Ask) for r in replies)


class TestRegressions:
    """Bugs found while writing the Hameln flows."""

    def test_back_into_a_called_flow_restores_its_return_point(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("sub")
        chat.press("ok")  # back in main, at the menu; history: main.menu, sub.q
        assert keys(chat.command("back")) == ["t.sub_q"]
        assert keys(chat.press("ok")) == ["t.sub_done", "t.back_in_main", "t.menu"]

    def test_handoff_topic_is_filled_from_variables(self, chat: Conversation) -> None:
        chat.ready()
        handoff = chat.press("person")[0]
        assert isinstance(handoff, HandOff)
        assert handoff.topic == "health"

    def test_handoff_without_next_leaves_to_the_welcome_flow(self, chat: Conversation) -> None:
        chat.ready()
        chat.press("solo")
        assert chat.session.mode is Mode.HANDOFF
        assert keys(chat.command("bot"))[1:] == ["system.handoff_left", "t.hello", "t.menu"]

    def test_emergency_word_that_is_also_an_option_does_both(self, chat: Conversation) -> None:
        chat.ready()
        replies = chat.text("Gewalt")
        assert keys(replies)[0] == "emergency.numbers"
        assert isinstance(replies[1], HandOff)
