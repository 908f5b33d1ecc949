"""Staff answers for web residents: held in the outbox until the page fetches them.

A web resident has no chat anyone can send to; what staff write in the case's topic is
kept under the resident's held outbox chat (``web:<id>``), with the same retention and
``/delete`` as every queued message, and the page fetches it by long polling.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from bot.channels.desk import Rows
from bot.channels.web import render
from bot.core.replies import Reply
from bot.handoff.cases import ResidentKey
from bot.outbox_service import held_chat
from bot.service import ConversationService

SHOW = "show"
"""The held call's method: one message for the page."""


class WebResidents:
    """The staff desk's :class:`~bot.channels.desk.ResidentDelivery` for the web chat."""

    def __init__(self, service: ConversationService) -> None:
        self.service = service
        """Its engine's catalogues word the notices (they change with a hot reload)."""

    def chat(self, resident: ResidentKey) -> str:
        """The held outbox chat the page reads."""
        return held_chat(resident.channel, resident.chat_id)

    def notices(self, resident: ResidentKey, texts: Sequence[str], *, language: str) -> Rows:
        """One bubble per text."""
        return _rows([render.say(text) for text in texts])

    def replies(self, resident: ResidentKey, replies: Sequence[Reply], *, language: str) -> Rows:
        """The replies as the page shows them after an event."""
        texts = self.service.engine.texts
        return _rows(render.render_all(replies, language=language, texts=texts))

    def media(
        self, resident: ResidentKey, *, from_chat: int, message_id: int, language: str
    ) -> Rows:
        """The page cannot show Telegram media: it says that staff sent some."""
        text = self.service.engine.texts.text(language, "web.staff_media")
        return self.notices(resident, [text], language=language)


def _rows(messages: Sequence[render.Message]) -> Rows:
    return [(SHOW, json.dumps(m, ensure_ascii=False, separators=(",", ":"))) for m in messages]
