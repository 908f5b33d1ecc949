"""Both Telegram libraries over HTTP: failed calls sorted alike, concurrency bounded.

Each runtime talks HTTP to the fake Bot API, which answers with Telegram's error statuses
and bodies; the outbox must see the same RetryAfter / TransientError / PermanentError
whichever library made the call (``bot.channels.telegram.failures`` decides for both).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from bot.channels.telegram.delivery import PermanentError, RetryAfter, TransientError
from bot.channels.telegram.library import TelegramLibrary
from bot.channels.telegram_aiogram import AiogramLibrary
from bot.channels.telegram_ptb import PtbLibrary
from bot.channels.telegram_ptb.library import CONNECTIONS
from tests.e2e.fake_bot_api import ApiCall, FakeBotApi

CHAT = 4242
MESSAGE = json.dumps({"chat_id": CHAT, "text": "Hallo"})
HTML_502 = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


@pytest.fixture(params=[AiogramLibrary, PtbLibrary], ids=["aiogram", "ptb"])
async def library(
    request: pytest.FixtureRequest, fake_api: FakeBotApi
) -> AsyncIterator[TelegramLibrary]:
    made: TelegramLibrary = request.param(fake_api.token, fake_api.base_url)
    yield made
    await made.close()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, PermanentError),
        (403, PermanentError),
        (404, PermanentError),
        (413, PermanentError),  # python-telegram-bot alone would call it a network error
        (401, TransientError),  # the token, not the call: retried, never dropped
        (409, TransientError),
        (500, TransientError),
        (502, TransientError),
    ],
)
async def test_a_refused_or_failed_send_gets_the_same_category(
    library: TelegramLibrary, fake_api: FakeBotApi, status: int, expected: type[Exception]
) -> None:
    fake_api.fail_next("sendMessage", status=status)
    with pytest.raises(expected):
        await library.send("sendMessage", MESSAGE)
    await library.send("sendMessage", MESSAGE)  # the next call goes through
    assert fake_api.sent_texts(CHAT) == ["Hallo"]


async def test_too_many_requests_says_how_long_to_wait(
    library: TelegramLibrary, fake_api: FakeBotApi
) -> None:
    fake_api.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as raised:
        await library.send("sendMessage", MESSAGE)
    assert raised.value.seconds == 7


async def test_a_proxy_error_page_is_retried(
    library: TelegramLibrary, fake_api: FakeBotApi
) -> None:
    fake_api.fail_next("sendMessage", status=502, raw_body=HTML_502)
    with pytest.raises(TransientError):
        await library.send("sendMessage", MESSAGE)


async def test_the_reason_carries_telegrams_description(
    library: TelegramLibrary, fake_api: FakeBotApi
) -> None:
    fake_api.fail_next("sendMessage", status=403)
    with pytest.raises(PermanentError, match="bot was blocked by the user"):
        await library.call("sendMessage", {"chat_id": CHAT, "text": "Hallo"})


async def test_a_failed_poll_is_classified_too(
    library: TelegramLibrary, fake_api: FakeBotApi
) -> None:
    fake_api.fail_next("getUpdates", status=429, retry_after=3)
    with pytest.raises(RetryAfter):
        await library.fetch(None, 0)


async def test_ptb_has_at_most_its_pool_of_calls_in_flight_and_all_arrive(
    fake_api: FakeBotApi,
) -> None:
    library = PtbLibrary(fake_api.token, fake_api.base_url)
    fake_api.delay("sendMessage", 0.1)
    most = 0

    def count(_call: ApiCall) -> None:
        nonlocal most
        most = max(most, fake_api.in_flight)

    fake_api.add_listener(count)
    try:
        chats = range(CHAT, CHAT + 3 * CONNECTIONS)
        await asyncio.gather(
            *(library.send("sendMessage", json.dumps({"chat_id": c, "text": "x"})) for c in chats)
        )
    finally:
        await library.close()
    assert most == CONNECTIONS
    assert all(fake_api.sent_texts(chat) == ["x"] for chat in chats)
