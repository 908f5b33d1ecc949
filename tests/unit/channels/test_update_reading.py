"""One reader for both Telegram libraries: the same Bot API JSON, parsed by aiogram and by
python-telegram-bot, gives the same :class:`Incoming` (issue 14, point 4)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.channels.telegram.library import TelegramLibrary
from bot.channels.telegram.updates import ButtonPress, GroupMessage, ResidentMessage
from bot.channels.telegram_aiogram import AiogramLibrary
from bot.channels.telegram_ptb import PtbLibrary
from bot.core.ports import GeoPoint

TOKEN = "123456789:AAFakeTokenForLotseTests-0123456789ab"
RESIDENT = {"id": 77, "is_bot": False, "first_name": "A", "language_code": "ar"}
STAFF = {"id": 5, "is_bot": False, "first_name": "S"}
PRIVATE = {"id": 77, "type": "private", "first_name": "A"}
GROUP = {"id": -1001, "type": "supergroup", "title": "Team", "is_forum": True}


def message(**fields: Any) -> dict[str, Any]:
    return {"message_id": 9, "date": 1_700_000_000, "chat": PRIVATE, "from": RESIDENT, **fields}


@pytest.fixture(params=[AiogramLibrary, PtbLibrary], ids=["aiogram", "ptb"])
async def library(request: pytest.FixtureRequest) -> AsyncIterator[TelegramLibrary]:
    made: TelegramLibrary = request.param(TOKEN, "http://127.0.0.1:9")
    yield made
    await made.close()


def read(library: TelegramLibrary, update: dict[str, Any]) -> Any:
    return library.parse(json.dumps({"update_id": 1000, **update}))


async def test_a_typed_message_in_a_private_chat(library: TelegramLibrary) -> None:
    incoming = read(library, {"message": message(text="Brief vom Jobcenter")})
    assert incoming.update_id == 1000
    assert incoming.chat_id == 77
    content = incoming.content
    assert isinstance(content, ResidentMessage)
    assert (content.author_id, content.facts.text, content.facts.content) == (
        77,
        "Brief vom Jobcenter",
        "text",
    )
    assert content.facts.language_code == "ar"
    assert not content.facts.edited


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({"photo": [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]}, "photo"),
        ({"sticker": {"file_id": "s", "file_unique_id": "u", "type": "regular", "width": 1,
                      "height": 1, "is_animated": False, "is_video": False}}, "sticker"),
        ({"voice": {"file_id": "v", "file_unique_id": "u", "duration": 2}}, "voice"),
    ],
)  # fmt: skip
async def test_media_are_named_by_kind(
    library: TelegramLibrary, fields: dict[str, Any], kind: str
) -> None:
    content = read(library, {"message": message(**fields)}).content
    assert isinstance(content, ResidentMessage)
    assert (content.facts.content, content.facts.text) == (kind, None)


async def test_a_location_and_an_edit(library: TelegramLibrary) -> None:
    located = read(library, {"message": message(location={"latitude": 52.1, "longitude": 9.36})})
    assert isinstance(located.content, ResidentMessage)
    assert located.content.facts.location == GeoPoint(52.1, 9.36)
    assert located.content.facts.content == "location"
    edited = read(library, {"edited_message": message(text="neu", edit_date=1_700_000_100)})
    assert isinstance(edited.content, ResidentMessage)
    assert edited.content.facts.edited


async def test_a_button_press_in_a_private_chat(library: TelegramLibrary) -> None:
    query = {"id": "q1", "from": RESIDENT, "chat_instance": "c", "data": "s:1:menu:letters"}
    incoming = read(library, {"callback_query": {**query, "message": message(text="?")}})
    assert incoming.content == ButtonPress(
        chat_id=77,
        message_id=9,
        data="s:1:menu:letters",
        language_code="ar",
        callback_query_id="q1",
    )


async def test_a_staff_message_in_a_forum_topic(library: TelegramLibrary) -> None:
    topic = {"chat": GROUP, "from": STAFF, "message_thread_id": 42, "is_topic_message": True}
    incoming = read(library, {"message": message(text="Guten Tag", **topic)})
    assert incoming.chat_id == -1001
    assert incoming.content == GroupMessage(
        chat_id=-1001,
        thread_id=42,
        message_id=9,
        author_id=5,
        text="Guten Tag",
        media=False,
        from_bot=False,
    )


@pytest.mark.parametrize(
    "update",
    [
        {"message": message(text="hi", chat={"id": -5, "type": "group", "title": "G"})},
        {"channel_post": {"message_id": 1, "date": 1, "chat": {"id": -7, "type": "channel"}}},
        {"edited_message": message(text="x", chat=GROUP, edit_date=2)},
    ],
    ids=["plain group", "channel post", "edit in a staff group"],
)
async def test_what_lotse_ignores_has_no_content(
    library: TelegramLibrary, update: dict[str, Any]
) -> None:
    assert read(library, update).content is None


@pytest.mark.parametrize(
    "raw", ["not json", "[1, 2]", '{"message": {}}', '{"update_id": 3, "message": 5}']
)
async def test_malformed_updates_are_value_errors(library: TelegramLibrary, raw: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each library words it differently
        library.parse(raw)


async def test_an_update_kept_in_the_inbox_reads_back_the_same(library: TelegramLibrary) -> None:
    first = read(library, {"message": message(text="Miete")})
    again = library.parse(first.to_json())
    assert (again.update_id, again.chat_id, again.content) == (
        first.update_id,
        first.chat_id,
        first.content,
    )
