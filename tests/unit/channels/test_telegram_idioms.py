"""Telegram idioms without Telegram: callback data, rendering, incoming messages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram.callbacks import CallbackTooLong, decode, encode
from bot.channels.telegram.incoming import MessageFacts, to_event
from bot.channels.telegram.render import inline_keyboard, render, render_all
from bot.core.events import Command, Start, Text
from bot.core.ports import GeoPoint, OpeningStatus
from bot.core.replies import Ask, AskLocation, Option, PlaceCard, Say

AT = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


class TestCallbackData:
    def test_round_trip(self) -> None:
        assert decode(encode("letters.which_office", "jobcenter")) == (
            "letters.which_office",
            "jobcenter",
        )

    def test_too_long_is_refused_when_building(self) -> None:
        with pytest.raises(CallbackTooLong, match="over 64 bytes"):
            encode("x" * 60, "option")

    @pytest.mark.parametrize(
        "data", [None, "", "no-separator", "a|b|c", "<b>|x", "ä|ö", "x" * 65, "step|", "|option"]
    )
    def test_forged_or_corrupted_data_decodes_to_none(self, data: str | None) -> None:
        assert decode(data) is None

    @given(st.text(max_size=100))
    def test_decoder_never_raises_and_only_accepts_valid_data(self, data: str) -> None:
        decoded = decode(data)
        if decoded is not None:
            assert encode(*decoded) == data


class TestRender:
    def test_everything_is_escaped(self) -> None:
        [call] = render(Say("<b>Hallo</b> & Tschüss"), 42)
        assert call.method == "sendMessage"
        assert call.params == {
            "chat_id": 42,
            "text": "&lt;b&gt;Hallo&lt;/b&gt; &amp; Tschüss",
            "parse_mode": "HTML",
        }

    def test_built_in_buttons_share_the_last_row(self) -> None:
        ask = Ask(
            "Frage",
            "f.q",
            (Option("a", "A"), Option("b", "B"), Option("_back", "◀"), Option("_lang", "🌐")),
        )
        assert inline_keyboard(ask) == {
            "inline_keyboard": [
                [{"text": "A", "callback_data": "f.q|a"}],
                [{"text": "B", "callback_data": "f.q|b"}],
                [
                    {"text": "◀", "callback_data": "f.q|_back"},
                    {"text": "🌐", "callback_data": "f.q|_lang"},
                ],
            ]
        }

    def test_place_card_with_location_sends_a_map_pin(self) -> None:
        card = PlaceCard(
            place_id="kaisers",
            name="KAISERS <Treff>",
            address="Kaiserstraße 80",
            phone="+49 5151 576122",
            website=None,
            location=GeoPoint(52.09, 9.37),
            status=OpeningStatus(known=True, open_now=True),
            lines=("Offen",),
            map_url="https://www.openstreetmap.org/?mlat=52.09&mlon=9.37",
        )
        message, pin = render(card, 7)
        assert message.params["text"].startswith(
            "<b>KAISERS &lt;Treff&gt;</b>\n📍 Kaiserstraße 80"
        )
        assert "☎️ +49 5151 576122" in message.params["text"]
        assert (
            '<a href="https://www.openstreetmap.org/?mlat=52.09&amp;mlon=9.37">'
            in (message.params["text"])
        )
        assert pin.method == "sendLocation"
        assert pin.params == {"chat_id": 7, "latitude": 52.09, "longitude": 9.37}


class TestMerging:
    MENU = Ask(text="Wobei brauchen Sie Hilfe?", step="main.menu", options=(Option("a", "A"),))

    def test_a_text_before_a_question_shares_its_message(self) -> None:
        calls = render_all([Say("Nicht verstanden <3>."), self.MENU], 7)
        assert len(calls) == 1
        assert (
            calls[0].params["text"] == "Nicht verstanden &lt;3&gt;.\n\nWobei brauchen Sie Hilfe?"
        )
        assert calls[0].params["reply_markup"] == inline_keyboard(self.MENU)

    def test_only_the_text_right_before_the_question_is_merged(self) -> None:
        calls = render_all([Say("Eins."), Say("Zwei."), self.MENU, Say("Drei.")], 7)
        assert [c.params["text"] for c in calls] == [
            "Eins.",
            "Zwei.\n\nWobei brauchen Sie Hilfe?",
            "Drei.",
        ]

    def test_too_long_together_or_merging_off_stays_apart(self) -> None:
        long = Say("x" * 4090)
        assert len(render_all([long, self.MENU], 7)) == 2
        assert len(render_all([Say("Kurz."), self.MENU], 7, merge=False)) == 2
        location = AskLocation(text="Wo wohnen Sie?", button="📍")
        (merged,) = render_all([Say("Gut."), location], 7)
        assert merged.params["reply_markup"]["keyboard"][0][0]["request_location"] is True


class TestIncoming:
    def test_bidi_overrides_and_control_characters_are_removed(self) -> None:
        event = to_event(MessageFacts(update_id=1, text="Hallo\u202e\u0007 Welt"), AT)
        assert isinstance(event, Text)
        assert event.text == "Hallo Welt"

    def test_long_payload_is_ignored(self) -> None:
        event = to_event(MessageFacts(update_id=1, text="/start " + "a" * 65), AT)
        assert event == Start(at=AT, payload="")

    def test_junk_arguments_and_unknown_commands(self) -> None:
        assert to_event(MessageFacts(update_id=1, text="/help me now"), AT) == Command(
            at=AT, name="help"
        )
        assert to_event(MessageFacts(update_id=1, text="/xyz"), AT) == Command(at=AT, name="help")
        assert to_event(MessageFacts(update_id=1, text="/delete@LotseBot"), AT) == Command(
            at=AT, name="delete"
        )

    @given(st.text(max_size=5000))
    def test_any_text_becomes_a_valid_event(self, text: str) -> None:
        event = to_event(MessageFacts(update_id=1, text=text), AT)
        assert isinstance(event, Text | Command | Start)
        if isinstance(event, Text):
            assert len(event.text) <= 4096
