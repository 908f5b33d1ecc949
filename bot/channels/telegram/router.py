"""Where an update goes: staff commands to the admin, staff groups to the desk, residents'
messages and button presses to the gateway.

Lotse talks only in private chats and in configured staff groups; everything else is
ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.telegram.admin import StaffAdmin
from bot.channels.telegram.gateway import TelegramGateway
from bot.channels.telegram.staff import StaffDesk
from bot.channels.telegram.updates import ButtonPress, GroupMessage, Incoming, ResidentMessage


@dataclass(frozen=True)
class Router:
    """The handlers of one bot; the desk and the admin only where configured."""

    gateway: TelegramGateway
    desk: StaffDesk | None = None
    admin: StaffAdmin | None = None

    async def route(self, update: Incoming) -> None:
        """Handle one update; errors propagate (the pump keeps the update for a retry)."""
        content = update.content
        if isinstance(content, ButtonPress):
            await self.gateway.on_button(
                content.chat_id,
                update.update_id,
                message_id=content.message_id,
                data=content.data,
                language_code=content.language_code,
                callback_query_id=content.callback_query_id,
            )
        elif isinstance(content, ResidentMessage):
            if not content.facts.edited and await self._staff_command(
                update.update_id, content.chat_id, content.author_id, content.facts.text, None
            ):
                return
            await self.gateway.on_message(content.chat_id, content.facts)
        elif isinstance(content, GroupMessage):
            await self._group(update.update_id, content)

    async def _group(self, update_id: int, message: GroupMessage) -> None:
        command = None if message.media else message.text  # a caption is never a command
        if await self._staff_command(
            update_id, message.chat_id, message.author_id, command, message.thread_id
        ):
            return
        if self.desk is None or not self.desk.is_staff_chat(message.chat_id):
            return  # Lotse never talks in groups other than staff groups
        await self.desk.on_staff_message(
            update_id=update_id,
            chat_id=message.chat_id,
            thread_id=message.thread_id,
            message_id=message.message_id,
            text=message.text,
            media=message.media,
            from_bot=message.from_bot,
        )

    async def _staff_command(
        self,
        update_id: int,
        chat_id: int,
        author_id: int | None,
        text: str | None,
        thread_id: int | None,
    ) -> bool:
        """Run ``/reload``, ``/stats`` … for staff; False when the message is not one."""
        if self.admin is None or not self.admin.wants(chat_id, author_id, text):
            return False
        await self.admin.on_command(
            update_id=update_id,
            chat_id=chat_id,
            thread_id=thread_id,
            text=text or "",
            user_id=author_id,
        )
        return True
