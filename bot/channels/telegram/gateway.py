"""The resident side of a Telegram runtime: event → service → replies → Bot API calls.

Library-neutral: a runtime passes facts it extracted from its own update objects and a
``send`` function that performs one :class:`~bot.channels.telegram.render.Outgoing` call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.channels.telegram.callbacks import decode
from bot.channels.telegram.incoming import MessageFacts, to_event
from bot.channels.telegram.metrics import Metrics
from bot.channels.telegram.render import Outgoing, remove_reply_keyboard, render
from bot.core.events import Button, Event, Location
from bot.core.replies import AskLocation, HandOff, Reply
from bot.i18n import Catalogs
from bot.service import ConversationService

log = logging.getLogger("bot.telegram")
CHANNEL = "telegram"
Send = Callable[[Outgoing], Awaitable[Any]]


class TelegramGateway:
    """Turns resident updates into engine events and engine replies into Bot API calls."""

    def __init__(
        self,
        service: ConversationService,
        texts: Catalogs,
        send: Send,
        metrics: Metrics,
        *,
        timezone: str = "Europe/Berlin",
        default_language: str = "de",
    ) -> None:
        self.service = service
        self.texts = texts
        self.send = send
        self.metrics = metrics
        self.tz = ZoneInfo(timezone)
        self.default_language = default_language
        self._location_keyboard: set[int] = set()

    def now(self) -> datetime:
        """The time events carry (the engine never reads the clock)."""
        return datetime.now(self.tz)

    async def on_message(self, chat_id: int, facts: MessageFacts) -> None:
        """A resident's message in a private chat."""
        kind = "edited" if facts.edited else facts.content
        await self._handle(chat_id, facts.update_id, kind, to_event(facts, self.now()))

    async def on_button(
        self,
        chat_id: int,
        update_id: int,
        *,
        message_id: int | None,
        data: str | None,
        language_code: str | None,
    ) -> None:
        """A press on an inline keyboard (the callback query is answered by the runtime)."""
        decoded = decode(data)
        if decoded is None:
            log.warning("update %s: malformed callback data ignored", update_id)
        step, option = decoded or ("", "")
        if message_id is not None:
            await self._safe_send(
                Outgoing(
                    "editMessageReplyMarkup",
                    {
                        "chat_id": chat_id,
                        "message_id": message_id,
                        "reply_markup": {"inline_keyboard": []},
                    },
                ),
                update_id,
            )
        event = Button(at=self.now(), step=step, option=option, language_hint=language_code)
        await self._handle(chat_id, update_id, "button", event)

    async def _handle(self, chat_id: int, update_id: int, kind: str, event: Event) -> None:
        started = time.perf_counter()
        self.metrics.updates.labels(kind=kind).inc()
        self.metrics.saw(chat_id)
        try:
            outcome = await self.service.handle(CHANNEL, str(chat_id), event)
        except Exception:
            self.metrics.errors.labels(stage="engine").inc()
            log.exception("update %s: handling failed", update_id)
            await self._kind_error(chat_id, update_id, event)
            return
        await self.show(
            chat_id,
            outcome.replies,
            update_id,
            answered_location=isinstance(event, Location) or kind == "text",
        )
        self.metrics.latency.observe(time.perf_counter() - started)

    async def show(
        self,
        chat_id: int,
        replies: tuple[Reply, ...],
        update_id: int,
        *,
        answered_location: bool = False,
    ) -> None:
        """Send replies in order; a failed call is logged and the rest still go out."""
        calls = [call for reply in replies for call in render(reply, chat_id)]
        if answered_location and chat_id in self._location_keyboard and calls:
            self._location_keyboard.discard(chat_id)
            calls[0] = remove_reply_keyboard(calls[0])
        if any(isinstance(r, AskLocation) for r in replies):
            self._location_keyboard.add(chat_id)
        if any(isinstance(r, HandOff) for r in replies):
            self.metrics.handoffs.inc()
        for call in calls:
            await self._safe_send(call, update_id)

    async def _safe_send(self, call: Outgoing, update_id: int) -> None:
        try:
            await self.send(call)
        except Exception as exc:  # noqa: BLE001 - one failed call must not stop the others
            self.metrics.errors.labels(stage="send").inc()
            log.warning("update %s: %s failed: %s", update_id, call.method, type(exc).__name__)

    async def _kind_error(self, chat_id: int, update_id: int, event: Event) -> None:
        session = None
        try:
            session = await self.service.session(CHANNEL, str(chat_id))
        except Exception:  # noqa: BLE001 - the database itself may be what failed
            log.warning("update %s: session unavailable for the error reply", update_id)
        language = (session.language if session else None) or event.language_hint or ""
        if language not in self.texts.catalogues:
            language = self.default_language
        text = self.texts.text(language, "system.error")
        await self._safe_send(
            Outgoing("sendMessage", {"chat_id": chat_id, "text": text}), update_id
        )
