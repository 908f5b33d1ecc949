"""aiogram handlers: pick out what matters from aiogram's objects, pass it to the gateway.

Lotse talks only in private chats (and, with the handoff service, in configured staff
groups); everything from other groups and from channels is ignored.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message, Update

from bot.channels.telegram.admin import StaffAdmin
from bot.channels.telegram.gateway import TelegramGateway
from bot.channels.telegram.incoming import MessageFacts
from bot.channels.telegram.staff import StaffDesk
from bot.core.ports import GeoPoint

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


# Filters are coroutines: aiogram runs a plain function (a magic ``F`` filter too) in a
# thread, a costly hop for a comparison.


async def in_private_chat(message: Message) -> bool:
    """A message in a private chat with the bot."""
    return message.chat.type == ChatType.PRIVATE


async def in_supergroup(message: Message) -> bool:
    """A message in a supergroup (staff groups are supergroups with topics)."""
    return message.chat.type == ChatType.SUPERGROUP


async def pressed_in_private_chat(query: CallbackQuery) -> bool:
    """A button pressed under a message in a private chat."""
    return query.message is not None and query.message.chat.type == ChatType.PRIVATE


def build_router(
    gateway: TelegramGateway, desk: StaffDesk | None = None, admin: StaffAdmin | None = None
) -> Router:
    """Private messages and button presses go to the gateway; staff groups to the desk."""
    router = Router(name="residents")

    if admin is not None:

        async def is_staff_command(message: Message) -> bool:
            author = message.from_user.id if message.from_user else None
            return admin.wants(message.chat.id, author, message.text)

        @router.message(is_staff_command)
        async def staff_command(message: Message, event_update: Update) -> None:
            thread = message.message_thread_id if message.is_topic_message else None
            await admin.on_command(
                update_id=event_update.update_id,
                chat_id=message.chat.id,
                thread_id=thread,
                text=message.text or "",
                user_id=message.from_user.id if message.from_user else None,
            )

    if desk is not None:

        @router.message(in_supergroup)
        async def staff(message: Message, event_update: Update) -> None:
            if not desk.is_staff_chat(message.chat.id):
                return  # Lotse never talks in groups other than staff groups
            author = message.from_user
            await desk.on_staff_message(
                update_id=event_update.update_id,
                chat_id=message.chat.id,
                thread_id=message.message_thread_id if message.is_topic_message else None,
                message_id=message.message_id,
                text=message.text if message.text is not None else message.caption,
                media=message.text is None,
                from_bot=author is None or author.is_bot,
            )

    @router.message(in_private_chat)
    async def message(message: Message, event_update: Update) -> None:
        await gateway.on_message(message.chat.id, facts(message, event_update.update_id))

    @router.edited_message(in_private_chat)
    async def edited(message: Message, event_update: Update) -> None:
        await gateway.on_message(
            message.chat.id, facts(message, event_update.update_id, edited=True)
        )

    @router.callback_query(pressed_in_private_chat)
    async def button(query: CallbackQuery, event_update: Update) -> None:
        message = query.message
        await gateway.on_button(
            query.from_user.id if message is None else message.chat.id,
            event_update.update_id,
            message_id=message.message_id if message else None,
            data=query.data,
            language_code=query.from_user.language_code,
            callback_query_id=query.id,
        )

    return router


def facts(message: Message, update_id: int, *, edited: bool = False) -> MessageFacts:
    """The library-neutral facts of an aiogram message."""
    language = message.from_user.language_code if message.from_user else None
    location = None
    if message.location is not None:
        location = GeoPoint(message.location.latitude, message.location.longitude)
    content = (
        "location"
        if location
        else "text"
        if message.text is not None
        else next(
            (kind for kind in CONTENT_KINDS if getattr(message, kind, None) is not None), "other"
        )
    )
    return MessageFacts(
        update_id=update_id,
        message_id=message.message_id,
        caption=message.text if message.text is not None else message.caption,
        text=message.text,
        location=location,
        content=content,
        language_code=language,
        edited=edited,
    )
