"""Lotse on Telegram, end to end: the real bot process, a fake Bot API on 127.0.0.1.

Each test talks to the bot as a resident would and asserts on the Bot API calls it makes.
"""

from __future__ import annotations

import asyncio
import html
import os
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.i18n import Catalogs
from tests.e2e.conftest import ROOT, BotFactory, free_port
from tests.e2e.fake_bot_api import ApiCall, FakeBotApi, buttons, post_update_to_webhook

pytestmark = [pytest.mark.e2e]
CHAT = 4242


def shown(texts: Catalogs, lang: str, key: str, **params: object) -> str:
    """The HTML text a resident sees for a catalogue entry."""
    return html.escape(texts.text(lang, key, **params), quote=False)


def asks(call: ApiCall, question_text: str) -> bool:
    """The message shows ``question_text`` last (a short text may lead into a question)."""
    text = call.params["text"]
    return text == question_text or text.endswith("\n\n" + question_text)


def leads_with(call: ApiCall, lead: str) -> bool:
    """The message starts with ``lead``: alone, or merged above the next question."""
    text = call.params["text"]
    return text == lead or text.startswith(lead + "\n\n")


def callbacks(call: ApiCall) -> list[str]:
    return [data for row in buttons(call) for _, data in row if data]


def press(api: FakeBotApi, call: ApiCall, option: str, chat: int = CHAT) -> int:
    """Press the button whose callback data ends in ``|option``."""
    data = next(d for d in callbacks(call) if d.endswith(f"|{option}"))
    return api.user_clicks(chat, data, message_id=int(call.result["message_id"]))


async def question(api: FakeBotApi, chat: int = CHAT) -> ApiCall:
    """The next message that carries an inline keyboard."""
    while True:
        call = await api.next_call("sendMessage", chat_id=chat, timeout=10)
        if "inline_keyboard" in (call.params.get("reply_markup") or {}):
            return call


async def ready(api: FakeBotApi, language: str = "de", chat: int = CHAT) -> ApiCall:
    """/start, choose the language, agree: returns the main menu."""
    api.user_sends(chat, "/start", language_code=language)
    press(api, await question(api, chat), language, chat)
    press(api, await question(api, chat), "agree", chat)
    return await question(api, chat)


class TestStart:
    async def test_start_uses_telegram_language_for_the_first_reply(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            fake_api.user_sends(CHAT, "/start", language_code="uk")
            call = await question(fake_api)
        assert call.params["chat_id"] == CHAT
        assert call.params["parse_mode"] == "HTML"
        assert asks(call, shown(texts, "uk", "system.choose_language"))
        assert callbacks(call)[0] == "_lang|uk"
        assert buttons(call)[0][0][0] == "Українська"

    async def test_unknown_language_code_falls_back_to_german(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            fake_api.user_sends(CHAT, "/start", language_code="ja")
            call = await question(fake_api)
        assert asks(call, shown(texts, "de", "system.choose_language"))

    async def test_deep_link_preselects_place_and_language(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            fake_api.user_sends(CHAT, "/start kaisers-ar", language_code="de")
            call = await question(fake_api)
        assert asks(call, shown(texts, "ar", "system.privacy_short"))
        assert callbacks(call) == ["_consent|agree", "_consent|more", "_consent|decline"]

    async def test_unknown_or_overlong_payload_is_a_normal_start(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            fake_api.user_sends(CHAT, "/start plakat-xyz", language_code="de")
            first = await question(fake_api)
            fake_api.user_sends(CHAT + 1, "/start " + "x" * 80, language_code="de")
            second = await question(fake_api, CHAT + 1)
        expected = shown(texts, "de", "system.choose_language")
        assert asks(first, expected)
        assert asks(second, expected)

    async def test_command_menus_are_registered_per_language(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            pass
        calls = fake_api.calls("setMyCommands")
        by_language = {c.params.get("language_code"): c.params["commands"] for c in calls}
        offered = ["de", "en", "uk", "ru", "ar", "fa", "ps", "tr", "ku", "ro", "bg", "pl", "sq"]
        assert set(by_language) == {None, *offered}
        commands = [c["command"] for c in by_language["uk"]]
        assert commands == ["start", "language", "help", "human", "delete"]
        assert by_language["uk"][0]["description"] == texts.text("uk", "commands.start")


class TestConversation:
    async def test_full_referral_ends_in_a_place_card(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            menu = await ready(fake_api)
            press(fake_api, menu, "letter")
            office = await question(fake_api)
            assert asks(office, shown(texts, "de", "letters.which_office"))
            press(fake_api, office, "jobcenter")
            quarter = await question(fake_api)
            press(fake_api, quarter, "suedstadt")  # the places come before the deadline
            deadline = await question(fake_api)
            press(fake_api, deadline, "later")
            after = await question(fake_api)
            await fake_api.wait_idle()
        texts_sent = fake_api.sent_texts(CHAT)
        cards = [t for t in texts_sent if t.startswith("<b>")]
        assert cards, texts_sent
        assert "📍" in cards[0] or "☎️" in cards[0]
        assert asks(after, shown(texts, "de", "common.after"))
        edits = fake_api.calls("editMessageReplyMarkup", chat_id=CHAT)
        assert all(e.params["reply_markup"] == {"inline_keyboard": []} for e in edits)
        assert len(edits) >= 5  # every answered keyboard was removed

    async def test_typed_answer_chooses_an_option(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            await ready(fake_api)
            fake_api.user_sends(CHAT, "Ich habe einen Brief")
            call = await question(fake_api)
        assert asks(call, shown(texts, "de", "letters.which_office"))

    async def test_stale_button_gets_a_notice_and_the_current_question(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            menu = await ready(fake_api)
            press(fake_api, menu, "letter")
            office = await question(fake_api)
            press(fake_api, menu, "treff")  # the old main menu, pressed again
            again = await question(fake_api)
        assert leads_with(again, shown(texts, "de", "system.stale_menu"))
        assert asks(again, shown(texts, "de", "letters.which_office"))
        assert callbacks(again) == callbacks(office)

    async def test_forged_callback_data_is_answered_kindly(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            menu = await ready(fake_api)
            fake_api.user_clicks(
                CHAT, "<script>|'; DROP", message_id=int(menu.result["message_id"])
            )
            again = await question(fake_api)
        assert leads_with(again, shown(texts, "de", "system.stale_menu"))
        assert callbacks(again) == callbacks(menu)

    async def test_photo_and_sticker_get_a_kind_reply_and_keep_the_flow(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            menu = await ready(fake_api)
            fake_api.user_sends_photo(CHAT)
            photo_reply = await question(fake_api)
            fake_api.user_sends_sticker(CHAT)
            sticker_reply = await question(fake_api)
            press(fake_api, menu, "letter")  # the session still waits at the main menu
            office = await question(fake_api)
        expected = shown(texts, "de", "system.unsupported")
        assert leads_with(photo_reply, expected)
        assert leads_with(sticker_reply, expected)
        assert callbacks(photo_reply) == callbacks(menu)
        assert asks(office, shown(texts, "de", "letters.which_office"))

    async def test_edited_message_gets_a_kind_reply(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            await ready(fake_api)
            fake_api.user_sends(CHAT, "xyz")
            sent = fake_api.calls("sendMessage", chat_id=CHAT)
            await question(fake_api)
            mine = [m for m in fake_api.messages(CHAT) if not m["from"].get("is_bot")]
            fake_api.user_edits_message(CHAT, mine[-1]["message_id"], "abc")
            reply = await fake_api.next_call("sendMessage", chat_id=CHAT)
        assert sent
        assert leads_with(reply, shown(texts, "de", "system.edited"))

    async def test_language_change_mid_flow_keeps_the_position(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            menu = await ready(fake_api)
            press(fake_api, menu, "letter")
            await question(fake_api)
            fake_api.user_sends(CHAT, "/language")
            picker = await question(fake_api)
            press(fake_api, picker, "en")
            office = await question(fake_api)
        assert leads_with(office, shown(texts, "en", "system.language_set", language="English"))
        assert asks(office, shown(texts, "en", "letters.which_office"))

    async def test_help(self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs) -> None:
        async with lotse():
            await ready(fake_api)
            fake_api.user_sends(CHAT, "/help")
            reply = await fake_api.next_call("sendMessage", chat_id=CHAT)
        assert leads_with(reply, shown(texts, "de", "system.help"))

    async def test_delete_after_confirmation(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs, tmp_path: Path
    ) -> None:
        async with lotse():
            await ready(fake_api)
            fake_api.user_sends(CHAT, "/delete")
            confirm = await question(fake_api)
            press(fake_api, confirm, "yes")
            done = await fake_api.next_call("sendMessage", chat_id=CHAT)
            await fake_api.wait_idle()
        assert asks(confirm, shown(texts, "de", "system.delete_confirm"))
        assert leads_with(done, shown(texts, "de", "system.deleted"))
        import sqlite3

        with sqlite3.connect(tmp_path / "lotse.db") as db:
            residents = db.execute("SELECT COUNT(*) FROM residents").fetchone()[0]
            sessions = db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
        assert (residents, sessions) == (0, 0)

    async def test_location_keyboard_for_a_street_question(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            menu = await ready(fake_api)
            press(fake_api, menu, "treff")
            quarter = await question(fake_api)
            press(fake_api, quarter, "street")
            ask = await fake_api.next_call("sendMessage", chat_id=CHAT)
            fake_api.user_sends_location(CHAT, 52.0960, 9.3700)
            after = await fake_api.next_call("sendMessage", chat_id=CHAT)
        keyboard = ask.params["reply_markup"]["keyboard"]
        assert keyboard == [
            [{"text": texts.text("de", "system.share_location"), "request_location": True}]
        ]
        assert after.params["reply_markup"] == {"remove_keyboard": True}


class TestWhoLotseTalksTo:
    async def test_groups_and_channels_are_ignored(
        self, fake_api: FakeBotApi, lotse: BotFactory
    ) -> None:
        async with lotse():
            fake_api.group_message(-100123, "/start", user_id=77)
            fake_api.channel_post(-100999, "Hallo")
            fake_api.user_sends(CHAT, "/start", language_code="de")
            await question(fake_api)
            await fake_api.wait_idle()
        chats = {c.params.get("chat_id") for c in fake_api.calls("sendMessage")}
        assert chats == {CHAT}


class TestRuntime:
    async def test_sigterm_finishes_and_exits_0(
        self, fake_api: FakeBotApi, lotse: BotFactory
    ) -> None:
        async with lotse() as bot:
            fake_api.user_sends(CHAT, "/start", language_code="de")
            await question(fake_api)
            code = await bot.stop()
            log = bot.output()
        assert code == 0
        assert "Lotse stopped" in log

    async def test_health_and_metrics(self, fake_api: FakeBotApi, lotse: BotFactory) -> None:
        port = free_port()
        async with lotse(metrics_port=port):
            fake_api.user_sends(CHAT, "/start", language_code="de")
            await question(fake_api)
            async with aiohttp.ClientSession() as http:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as health:
                    assert health.status == 200
                async with http.get(f"http://127.0.0.1:{port}/metrics") as metrics:
                    body = await metrics.text()
        assert 'lotse_updates_total{kind="text"} 1.0' in body
        assert "lotse_reply_seconds_bucket" in body
        assert "lotse_active_sessions 1.0" in body

    async def test_bot_api_error_is_logged_without_text_and_bot_goes_on(
        self, fake_api: FakeBotApi, lotse: BotFactory
    ) -> None:
        async with lotse() as bot:
            fake_api.fail_next("sendMessage", status=400, count=1)
            fake_api.user_sends(CHAT, "/start Geheimnis", language_code="de")
            await fake_api.wait_idle()
            fake_api.user_sends(CHAT, "/start", language_code="de")
            await question(fake_api)
            log = bot.output()
        assert "sendMessage refused by Telegram" in log
        assert "Geheimnis" not in log
        assert fake_api.token not in log


def test_run_without_token_explains_what_to_set(tmp_path: Path) -> None:
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "BOT_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "BOT_TOKEN is not set" in result.stderr
    assert "python -m bot chat" in result.stderr


class TestWebhook:
    async def test_secret_header_is_checked(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        port = free_port()
        hook = {
            "port": port,
            "host": "127.0.0.1",
            "path": "/tg",
            "public_url": f"http://127.0.0.1:{port}",
        }
        env = {"WEBHOOK_SECRET": "s3cret-token"}
        url = f"http://127.0.0.1:{port}/tg"
        update = {
            "update_id": 9001,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "text": "/start",
                "chat": {"id": CHAT, "type": "private", "first_name": "Anna"},
                "from": {"id": CHAT, "is_bot": False, "first_name": "Anna", "language_code": "de"},
            },
        }
        async with lotse(env=env, mode="webhook", webhook=hook) as bot:
            await _wait_port(port)
            wrong, _ = await post_update_to_webhook(url, update, secret_token="wrong")
            missing, _ = await post_update_to_webhook(url, update)
            await fake_api.wait_idle()
            nothing = fake_api.calls("sendMessage")
            right, _ = await post_update_to_webhook(url, update, secret_token="s3cret-token")
            reply = await question(fake_api)
            code = await bot.stop()
        assert (wrong, missing, right) == (401, 401, 200)
        assert nothing == []
        assert asks(reply, shown(texts, "de", "system.choose_language"))
        hooks = fake_api.calls("setWebhook")
        assert hooks[0].params["secret_token"] == "s3cret-token"
        assert code == 0


async def _wait_port(port: int) -> None:
    for _ in range(100):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        await writer.wait_closed()
        return
    msg = f"nothing listens on {port}"
    raise AssertionError(msg)
