"""A Telegram update as Lotse needs it, read from either library's objects.

aiogram and python-telegram-bot model the Bot API with the same field names (``message.chat.id``,
``message.text``, ``callback_query.from_user`` …), so one reader serves both: a runtime
hands over its library's update objects and never routes them itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.channels.telegram.incoming import MessageFacts
from bot.core.ports import GeoPoint

PRIVATE, SUPERGROUP = "private", "supergroup"
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
"""What Lotse asks Telegram for (getUpdates and setWebhook)."""
CONTENT_KINDS = (
    "photo",
    "voice",
    "sticker",
    "document",
    "video",
    "video_note",
    "audio",
    "contact",
    "animation",
    "poll",
    "dice",
    "venue",
)


@dataclass(frozen=True, slots=True)
class ResidentMessage:
    """A message (or an edit of one) in a private chat with the bot."""

    chat_id: int
    author_id: int | None
    facts: MessageFacts


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """A press on an inline keyboard under a message in a private chat."""

    chat_id: int
    message_id: int | None
    data: str | None
    language_code: str | None
    callback_query_id: str


@dataclass(frozen=True, slots=True)
class GroupMessage:
    """A message in a supergroup: a staff group's topic, or a group Lotse ignores."""

    chat_id: int
    thread_id: int | None
    message_id: int
    author_id: int | None
    text: str | None
    media: bool
    from_bot: bool


Content = ResidentMessage | ButtonPress | GroupMessage | None
"""None: nothing for Lotse (channel posts, plain groups, other update kinds)."""


@dataclass(frozen=True, slots=True)
class Incoming:
    """One update: its id, the chat whose order it keeps, its content and its JSON."""

    update_id: int
    chat_id: int
    content: Content
    to_json: Callable[[], str]
    """The update as Bot API JSON, for the inbox (made only when an update must be kept)."""


def read_update(update: Any, to_json: Callable[[], str]) -> Incoming:
    """Read a library's ``Update`` object (aiogram's or python-telegram-bot's)."""
    update_id: int = update.update_id
    content: Content = None
    if update.message is not None:
        content = _message(update_id, update.message, edited=False)
    elif update.edited_message is not None:
        content = _message(update_id, update.edited_message, edited=True)
        if isinstance(content, GroupMessage):
            content = None  # staff edits are not relayed again
    elif update.callback_query is not None:
        content = _button(update.callback_query)
    chat_id = content.chat_id if content is not None else 0
    return Incoming(update_id, chat_id, content, to_json)


def _message(update_id: int, message: Any, *, edited: bool) -> Content:
    author = message.from_user
    author_id = author.id if author is not None else None
    if message.chat.type == PRIVATE:
        return ResidentMessage(
            message.chat.id, author_id, message_facts(message, update_id, edited=edited)
        )
    if message.chat.type == SUPERGROUP:
        return GroupMessage(
            chat_id=message.chat.id,
            thread_id=message.message_thread_id if message.is_topic_message else None,
            message_id=message.message_id,
            author_id=author_id,
            text=message.text if message.text is not None else message.caption,
            media=message.text is None,
            from_bot=author is None or bool(author.is_bot),
        )
    return None


def _button(query: Any) -> ButtonPress | None:
    message = query.message
    if message is None or message.chat.type != PRIVATE:
        return None
    return ButtonPress(
        chat_id=message.chat.id,
        message_id=message.message_id,
        data=query.data,
        language_code=query.from_user.language_code,
        callback_query_id=query.id,
    )


def message_facts(message: Any, update_id: int, *, edited: bool = False) -> MessageFacts:
    """The library-neutral facts of a message.

    An absent field is None in aiogram and None or an empty tuple (photos) in
    python-telegram-bot, so presence is truthiness.
    """
    location = None
    if message.location is not None:
        location = GeoPoint(message.location.latitude, message.location.longitude)
    content = (
        "location"
        if location
        else "text"
        if message.text is not None
        else next((kind for kind in CONTENT_KINDS if getattr(message, kind, None)), "other")
    )
    author = message.from_user
    return MessageFacts(
        update_id=update_id,
        message_id=message.message_id,
        caption=message.text if message.text is not None else message.caption,
        text=message.text,
        location=location,
        content=content,
        language_code=author.language_code if author is not None else None,
        edited=edited,
    )
