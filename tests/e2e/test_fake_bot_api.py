"""Tests of the fake Bot API itself, driven by a tiny in-process aiogram bot."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    ErrorEvent,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import ClientSession, web

from tests.e2e.fake_bot_api import BotProcess, FakeBotApi, buttons, post_update_to_webhook

pytestmark = pytest.mark.e2e

CHAT = 4711
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api.base_url))
    bot = Bot(api.token, session=session)
    yield bot
    await bot.session.close()  # idempotent; polling already closed it


def echo_dispatcher() -> Dispatcher:
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def start(message: Message) -> None:
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(text="Deutsch", callback_data="lang:de"),
                    InlineKeyboardButton(text="Українська", callback_data="lang:uk"),
                ]
            ]
        )
        await message.answer("Sprache?", reply_markup=keyboard)

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    @dp.callback_query(F.data.startswith("lang:"))
    async def choose(query: CallbackQuery) -> None:
        await query.answer("ok")
        if isinstance(query.message, Message):
            await query.message.edit_text(f"Sprache: {query.data}")

    return dp


@contextlib.asynccontextmanager
async def polling(api: FakeBotApi, bot: Bot, dp: Dispatcher) -> AsyncIterator[None]:
    """Run ``dp`` against the fake until the block ends, then stop it gracefully."""
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=5))
    # stop_polling() only works once polling runs; cancelling would orphan its inner tasks.
    await api.wait_until(lambda: bool(api.calls("getUpdates")) or task.done(), what="polling")
    if task.done():
        await task  # start-up failed: raise its error
    try:
        yield
    finally:
        await dp.stop_polling()
        await task


async def test_text_is_echoed(api: FakeBotApi, bot: Bot) -> None:
    async with polling(api, bot, echo_dispatcher()):
        update_id = api.user_sends(CHAT, "Hallo, wo ist der Treff?", language_code="uk")
        call = await api.next_call("sendMessage", chat_id=CHAT)
        await api.wait_confirmed(update_id)

    assert call.params == {"chat_id": CHAT, "text": "Hallo, wo ist der Treff?"}
    assert call.ok
    assert call.result["chat"] == {"id": CHAT, "type": "private", "first_name": "Anna"}
    assert api.sent_texts(CHAT) == ["Hallo, wo ist der Treff?"]
    assert [c.method for c in api.calls()] == ["getMe", "sendMessage"]


async def test_offset_confirms_and_unconfirmed_updates_are_redelivered(
    api: FakeBotApi, bot: Bot
) -> None:
    first = api.user_sends(CHAT, "eins")
    second = api.user_sends(CHAT, "zwei")

    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [first, second]
    # Nothing confirmed yet: a restarted bot gets both again.
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [first, second]
    assert api.deliveries(first) == 2

    assert [u.update_id for u in await bot.get_updates(offset=first + 1, timeout=0)] == [second]
    assert api.is_confirmed(first)
    assert not api.is_confirmed(second)

    assert await bot.get_updates(offset=second + 1, timeout=0) == []
    await api.wait_confirmed(second, timeout=0.1)
    assert await bot.get_updates(timeout=0) == []  # confirmed ones never come back


async def test_long_poll_returns_when_an_update_arrives(api: FakeBotApi, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await api.wait_until(lambda: bool(api.calls("getUpdates")))
    update_id = api.user_sends(CHAT, "jetzt")

    updates = await asyncio.wait_for(poll, 5)

    assert [u.update_id for u in updates] == [update_id]
    assert updates[0].message is not None
    assert updates[0].message.text == "jetzt"


async def test_second_poller_terminates_the_first_with_conflict(api: FakeBotApi, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=30))
    await api.wait_until(lambda: len(api.calls("getUpdates")) == 1)
    second = asyncio.create_task(bot.get_updates(timeout=0))

    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await asyncio.wait_for(first, 5)
    assert await second == []


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, TelegramBadRequest),
        (403, TelegramForbiddenError),
        (500, TelegramServerError),
    ],
)
async def test_injected_errors_raise_aiogram_exceptions(
    api: FakeBotApi, bot: Bot, status: int, error: type[Exception]
) -> None:
    api.fail_next("sendMessage", status=status)

    with pytest.raises(error):
        await bot.send_message(CHAT, "a")
    await bot.send_message(CHAT, "b")  # only the next call fails

    assert [c.status for c in api.calls("sendMessage")] == [status, 200]
    assert api.sent_texts(CHAT) == ["b"]


async def test_retry_after_reaches_aiogram_and_is_recorded(api: FakeBotApi, bot: Bot) -> None:
    api.fail_next("sendMessage", status=429, retry_after=7)

    with pytest.raises(TelegramRetryAfter) as raised:
        await bot.send_message(CHAT, "zu schnell")

    assert raised.value.retry_after == 7
    call = await api.next_call("sendMessage", chat_id=CHAT)
    assert call.status == 429
    assert call.response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }


async def test_retry_after_inside_a_handler_reaches_the_error_handler(
    api: FakeBotApi, bot: Bot
) -> None:
    dp = echo_dispatcher()
    seen: asyncio.Queue[Exception] = asyncio.Queue()

    @dp.errors()
    async def on_error(event: ErrorEvent) -> None:
        seen.put_nowait(event.exception)

    async with polling(api, bot, dp):
        api.fail_next("*", status=429, retry_after=2)  # "*": any method but getUpdates
        api.user_sends(CHAT, "hallo")
        failed = await api.next_call("sendMessage", chat_id=CHAT)
        error = await asyncio.wait_for(seen.get(), 5)

    assert failed.status == 429
    assert isinstance(error, TelegramRetryAfter)
    assert error.retry_after == 2


async def test_dropped_connection_and_html_error_page(api: FakeBotApi, bot: Bot) -> None:
    api.drop_next("sendMessage", executed=True)
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(CHAT, "verloren?")
    # The message went out although the bot saw an error: a retry would duplicate it.
    assert [m["text"] for m in api.messages(CHAT)] == ["verloren?"]

    api.fail_next("getMe", status=502, raw_body="<html>502 Bad Gateway</html>")
    with pytest.raises(ClientDecodeError):
        await bot.get_me()


async def test_callback_query_is_answered_and_keyboard_edited(api: FakeBotApi, bot: Bot) -> None:
    async with polling(api, bot, echo_dispatcher()):
        api.user_sends(CHAT, "/start")
        menu = await api.next_call("sendMessage", chat_id=CHAT)
        assert buttons(menu) == [[("Deutsch", "lang:de"), ("Українська", "lang:uk")]]

        api.click_label(CHAT, menu, "Укр")
        answer = await api.next_call("answerCallbackQuery", chat_id=CHAT)
        edit = await api.next_call("editMessageText", chat_id=CHAT)

    assert answer.ok
    assert answer.params["text"] == "ok"
    assert edit.params["message_id"] == menu.result["message_id"]
    # editMessageText without reply_markup drops the keyboard, as on Telegram.
    assert api.messages(CHAT)[-1]["text"] == "Sprache: lang:uk"
    assert "reply_markup" not in api.messages(CHAT)[-1]


async def test_webhook_helper_sends_secret_header(api: FakeBotApi, bot: Bot) -> None:
    dp = echo_dispatcher()
    app = web.Application()
    SimpleRequestHandler(dp, bot, secret_token="s3cret").register(app, path="/hook")
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    update: dict[str, Any] = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": CHAT, "type": "private", "first_name": "Anna"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "Anna"},
            "text": "per Webhook",
        },
    }
    try:
        assert (await post_update_to_webhook(url, update, "falsch"))[0] == 401
        assert (await post_update_to_webhook(url, update, "s3cret"))[0] == 200
        assert (await api.next_call("sendMessage", chat_id=CHAT)).text == "per Webhook"

        # Registered webhook: the fake delivers queued updates itself, with the secret.
        await bot.set_webhook(url, secret_token="s3cret")
        with pytest.raises(TelegramConflictError):
            await bot.get_updates(timeout=0)
        update_id = api.user_sends(CHAT, "automatisch")
        assert (await api.next_call("sendMessage", chat_id=CHAT)).text == "automatisch"
        await api.wait_confirmed(update_id)
        assert (await bot.get_webhook_info()).pending_update_count == 0
        await bot.delete_webhook()
        await api.wait_idle(quiet=0.05)
    finally:
        await runner.cleanup()


async def test_forum_topics_files_and_copies(api: FakeBotApi, bot: Bot) -> None:
    staff = -1001234567890
    topic = await bot.create_forum_topic(staff, "Anfrage #1")
    photo_update = api.user_sends_photo(CHAT, caption="Mein Bescheid")
    await bot.copy_message(
        staff,
        CHAT,
        api.messages(CHAT)[-1]["message_id"],
        message_thread_id=topic.message_thread_id,
    )
    api.group_message(
        staff, "Wir melden uns", user_id=99, message_thread_id=topic.message_thread_id
    )
    sent = await bot.send_document(CHAT, BufferedInputFile(b"%PDF-1.4 Hallo", "info.pdf"))
    assert sent.document is not None
    downloaded = await bot.download(sent.document.file_id)

    assert downloaded is not None
    assert downloaded.read() == b"%PDF-1.4 Hallo"
    upload = api.calls("sendDocument")[0].params["document"]
    assert (upload.filename, upload.size) == ("info.pdf", 14)
    copied = api.messages(staff)[1]
    assert copied["caption"] == "Mein Bescheid"
    assert copied["message_thread_id"] == topic.message_thread_id
    # A plain message in a topic "replies" to the topic's creation message.
    updates = await bot.get_updates(offset=photo_update + 1, timeout=0)
    assert updates[0].message is not None
    reply = updates[0].message.reply_to_message
    assert reply is not None
    assert reply.forum_topic_created is not None
    await bot.close_forum_topic(staff, topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="TOPIC_NOT_MODIFIED"):
        await bot.close_forum_topic(staff, topic.message_thread_id)


async def test_realistic_validation_errors(api: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match='Unsupported start tag "br"'):
        await bot.send_message(CHAT, "Zeile<br>Zeile", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match=r"Character '\.' is reserved"):
        await bot.send_message(CHAT, "Ende.", parse_mode="MarkdownV2")
    message = await bot.send_message(CHAT, "<b>fett</b> &amp; gut", parse_mode="HTML")
    assert message.text == "fett & gut"
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("fett & gut", chat_id=CHAT, message_id=message.message_id)
    too_long = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="d" * 65)]]
    )
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(CHAT, "Menü", reply_markup=too_long)
    api.user_blocks_bot(CHAT)
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_message(CHAT, "noch da?")


async def test_other_clients_json_form_and_unknown_methods(api: FakeBotApi) -> None:
    url = f"{api.base_url}/bot{api.token}"
    async with ClientSession() as http:
        # python-telegram-bot style: JSON body, any method-name case.
        async with http.post(f"{url}/SENDMESSAGE", json={"chat_id": CHAT, "text": "123"}) as r:
            assert r.status == 200
            assert (await r.json())["result"]["text"] == "123"
        async with http.post(f"{url}/sendMessage", data={"chat_id": "7", "text": "42"}) as r:
            assert (await r.json())["result"]["chat"]["id"] == 7
        async with http.get(f"{url}/frobnicate") as r:
            assert r.status == 404
            assert await r.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }

    assert [c.params for c in api.calls("sendMessage")] == [
        {"chat_id": CHAT, "text": "123"},
        {"chat_id": 7, "text": "42"},
    ]


async def test_unknown_method_maps_to_telegram_not_found(api: FakeBotApi, bot: Bot) -> None:
    api.fail_next("getMe", status=404)
    with pytest.raises(TelegramNotFound):
        await bot.get_me()


async def test_next_call_timeout_explains_what_happened(api: FakeBotApi, bot: Bot) -> None:
    await bot.send_message(CHAT, "schon da")

    with pytest.raises(AssertionError, match=r"(?s)no sendPhoto.*sendMessage chat=4711"):
        await api.next_call("sendPhoto", timeout=0.05)


@pytest.mark.slow
async def test_bot_process_survives_kill_and_restart(api: FakeBotApi) -> None:
    cmd = [sys.executable, str(ROOT / "bench" / "echo_bot.py")]
    async with BotProcess(api, cmd, cwd=ROOT) as process:
        api.user_sends(CHAT, "vorher")
        assert (await api.next_call("sendMessage", chat_id=CHAT, timeout=10)).text == "vorher"

        await process.kill()
        # Sent while the bot is down: waits in the queue and arrives after the restart.
        pending = api.user_sends(CHAT, "nachher")
        await process.start()
        assert (await api.next_call("sendMessage", chat_id=CHAT, timeout=10)).text == "nachher"
        await api.wait_confirmed(pending)

    assert process.returncode == 0  # SIGTERM: aiogram stops polling gracefully


async def test_every_update_helper_parses_as_an_aiogram_update(api: FakeBotApi, bot: Bot) -> None:
    staff = -1009876543210
    first = api.user_sends(CHAT, "/start de", first_name="Olena", language_code="uk")
    api.user_sends_photo(CHAT, caption="Foto")
    api.user_sends_sticker(CHAT)
    api.user_sends_voice(CHAT)
    api.user_sends_document(CHAT)
    api.user_sends_contact(CHAT)
    api.user_sends_location(CHAT, 52.1, 9.36)
    api.user_edits_message(CHAT, 1, "/start uk")
    api.group_message(staff, "Hallo Team", user_id=7, message_thread_id=5)
    api.channel_post(-1001111111111, "Neuigkeiten")
    api.user_clicks(CHAT, "lang:de", message_id=1)
    api.user_blocks_bot(CHAT)

    updates = await bot.get_updates(allowed_updates=[], timeout=0)

    assert updates[0].update_id == first
    assert updates[0].message is not None
    assert updates[0].message.from_user is not None
    assert updates[0].message.from_user.language_code == "uk"
    kinds = [u.event_type for u in updates]
    assert kinds == [
        *["message"] * 7,
        "edited_message",
        "message",
        "channel_post",
        "callback_query",
        "my_chat_member",
    ]
    assert updates[1].message is not None
    assert updates[1].message.photo is not None
    file = await bot.get_file(updates[1].message.photo[-1].file_id)
    assert file.file_path is not None
    assert (await bot.download_file(file.file_path)) is not None


async def test_every_method_response_parses_in_aiogram(api: FakeBotApi, bot: Bot) -> None:
    staff = -1009876543210
    api.user_sends(CHAT, "hallo")
    assert (await bot.get_me()).username == "lotse_test_bot"
    await bot.set_my_commands([BotCommand(command="start", description="Start")])
    assert [c.command for c in await bot.get_my_commands()] == ["start"]
    await bot.delete_my_commands()
    assert await bot.get_my_commands() == []
    assert (await bot.get_webhook_info()).pending_update_count == 1
    await bot.send_chat_action(CHAT, "typing")
    await bot.send_location(CHAT, 52.1, 9.36)
    menu = await bot.send_message(
        CHAT,
        "Menü",
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="A", callback_data="a")]]
        ),
    )
    edited = await bot.edit_message_reply_markup(chat_id=CHAT, message_id=menu.message_id)
    assert isinstance(edited, Message)
    assert edited.reply_markup is None
    topic = await bot.create_forum_topic(staff, "Anfrage")
    await bot.edit_forum_topic(staff, topic.message_thread_id, name="Anfrage (erledigt)")
    forwarded = await bot.forward_message(
        staff, CHAT, 1, message_thread_id=topic.message_thread_id
    )
    assert forwarded.forward_origin is not None
    photo = await bot.send_photo(CHAT, BufferedInputFile(b"\xff\xd8jpeg", "a.jpg"))
    assert photo.photo is not None
    await bot.send_photo(staff, photo.photo[-1].file_id, message_thread_id=topic.message_thread_id)
    await bot.send_voice(CHAT, BufferedInputFile(b"OggS", "v.ogg"))
    chat = await bot.get_chat(CHAT)
    assert chat.first_name == "Anna"
    assert (await bot.get_chat_member(staff, api.bot_user["id"])).status == "administrator"
    assert (await bot.get_chat_member(staff, CHAT)).status == "left"
    assert await bot.delete_message(CHAT, menu.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(CHAT, menu.message_id)
    await bot.close_forum_topic(staff, topic.message_thread_id)
    await bot.reopen_forum_topic(staff, topic.message_thread_id)
    await bot.delete_forum_topic(staff, topic.message_thread_id)
    assert api.topic(staff, topic.message_thread_id) is None
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(staff, "weg", message_thread_id=topic.message_thread_id)
    assert await bot.log_out()
    assert await bot.close()
