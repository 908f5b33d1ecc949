"""The resident side of a Telegram runtime: event → service → queued Bot API calls.

Library-neutral: a runtime passes facts it extracted from its own update objects; replies
are rendered and written to the outbox in the same transaction as the session change, and
the :class:`~bot.channels.telegram.delivery.OutboxSender` sends them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.channels.desk import Written, staff_rows
from bot.channels.flood import FloodGuard
from bot.channels.telegram.callbacks import decode
from bot.channels.telegram.incoming import MessageFacts, to_event
from bot.channels.telegram.metrics import Metrics
from bot.channels.telegram.render import Outgoing, remove_reply_keyboard, render_all, serialise
from bot.core.engine import Outcome
from bot.core.events import Button, Event, Location, Text
from bot.core.replies import AskLocation, HandOff
from bot.core.session import Mode
from bot.handoff.cases import ResidentKey
from bot.i18n import Catalogs
from bot.service import ConversationService

log = logging.getLogger("bot.telegram")
CHANNEL = "telegram"


class TelegramGateway:
    """Turns resident updates into engine events and engine replies into queued calls."""

    def __init__(
        self,
        service: ConversationService,
        metrics: Metrics,
        *,
        timezone: str = "Europe/Berlin",
        default_language: str = "de",
        fixed_now: datetime | None = None,
    ) -> None:
        self.service = service
        self.metrics = metrics
        self.tz = ZoneInfo(timezone)
        self.fixed_now = fixed_now
        """A frozen clock (LOTSE_NOW) for previews and tests of opening hours."""
        self.default_language = default_language
        self.flood = FloodGuard()
        self._location_keyboard: set[int] = set()

    @property
    def texts(self) -> Catalogs:
        """The catalogues of the engine in use (they change with a hot reload)."""
        return self.service.engine.texts

    def now(self) -> datetime:
        """The time events carry (the engine never reads the clock)."""
        return self.fixed_now or datetime.now(self.tz)

    async def on_message(self, chat_id: int, facts: MessageFacts) -> None:
        """A resident's message in a private chat."""
        kind = "edited" if facts.edited else facts.content
        await self._handle(
            chat_id, facts.update_id, kind, to_event(facts, self.now()), facts=facts
        )

    async def on_button(
        self,
        chat_id: int,
        update_id: int,
        *,
        message_id: int | None,
        data: str | None,
        language_code: str | None,
        callback_query_id: str | None = None,
    ) -> None:
        """A press on an inline keyboard.

        The callback query is answered through the outbox, committed with the press's effect:
        answered directly, a crash before the commit left a redelivered press whose second
        answer Telegram refuses ("query is too old"), and that refusal ended its handling.
        """
        decoded = decode(data)
        if decoded is None:
            log.warning("update %s: malformed callback data ignored", update_id)
        step, option = decoded or ("", "")
        event = Button(at=self.now(), step=step, option=option, language_hint=language_code)
        removal = []
        if message_id is not None:
            removal.append(
                Outgoing(
                    "editMessageReplyMarkup",
                    {
                        "chat_id": chat_id,
                        "message_id": message_id,
                        "reply_markup": {"inline_keyboard": []},
                    },
                )
            )
        ack = []
        if callback_query_id is not None:
            ack.append(Outgoing("answerCallbackQuery", {"callback_query_id": callback_query_id}))
        await self._handle(chat_id, update_id, "button", event, before=removal, ack=ack)

    async def _handle(
        self,
        chat_id: int,
        update_id: int,
        kind: str,
        event: Event,
        *,
        before: Sequence[Outgoing] = (),
        facts: MessageFacts | None = None,
        ack: Sequence[Outgoing] = (),
    ) -> None:
        started = time.perf_counter()
        self.metrics.updates.labels(kind=kind).inc()
        self.metrics.saw(chat_id)
        flood = self.flood.check(chat_id)
        quiet = flood != "ok"
        if quiet and not await self._in_handoff(chat_id):
            await self._flooded(chat_id, update_id, event, warn=flood == "warn", ack=ack)
            return
        answered_location = isinstance(event, Location) or kind == "text"

        def deliver(outcome: Outcome) -> list[tuple[str, str]]:
            # Flooding a conversation with staff: every message still goes to the topic
            # (paced by the outbox), but Lotse itself stays quiet.
            shown = [] if quiet else [*before, *self._calls(chat_id, outcome, answered_location)]
            return serialise([*ack, *shown]) + self._staff_rows(chat_id, outcome, event, facts)

        try:
            await self.service.handle(
                CHANNEL, str(chat_id), event, update_id=update_id, deliver=deliver
            )
        except Exception:
            self.metrics.errors.labels(stage="engine").inc()
            log.exception("update %s: handling failed", update_id)
            await self._kind_error(chat_id, update_id, event, ack)
        self.metrics.latency.observe(time.perf_counter() - started)

    def _calls(self, chat_id: int, outcome: Outcome, answered_location: bool) -> list[Outgoing]:
        replies = outcome.replies
        # The "share location" keyboard goes with the first message, which then cannot
        # carry the next question's buttons as well.
        removing = answered_location and chat_id in self._location_keyboard
        calls = render_all(replies, chat_id, merge=not removing)
        if removing and calls:
            self._location_keyboard.discard(chat_id)
            calls[0] = remove_reply_keyboard(calls[0])
        if any(isinstance(r, AskLocation) for r in replies):
            self._location_keyboard.add(chat_id)
        if any(isinstance(r, HandOff) for r in replies):
            self.metrics.handoffs.inc()
        return calls

    def _staff_rows(
        self, chat_id: int, outcome: Outcome, event: Event, facts: MessageFacts | None
    ) -> list[tuple[str, str]]:
        """Deferred calls for the staff side: open a case, relay a message into it."""
        written = None
        if facts is not None and not facts.edited:
            written = Written(facts.message_id, facts.content, facts.caption)
        return staff_rows(
            ResidentKey(CHANNEL, str(chat_id)),
            outcome,
            default_language=self.default_language,
            typed=event.text if isinstance(event, Text) else None,
            written=written,
        )

    async def _flooded(
        self, chat_id: int, update_id: int, event: Event, *, warn: bool, ack: Sequence[Outgoing]
    ) -> None:
        """Over the flood limit: one kind warning, then quiet; each update is claimed once."""
        calls: list[Outgoing] = [*ack]
        if warn:
            log.warning("chat flood limit reached (update %s)", update_id)
            text = self.texts.text(await self._language(chat_id, event), "system.slow_down")
            calls.append(Outgoing("sendMessage", {"chat_id": chat_id, "text": text}))
        await self.service.enqueue(str(chat_id), serialise(calls), event.at, update_id=update_id)

    async def _in_handoff(self, chat_id: int) -> bool:
        session = await self.service.session(CHANNEL, str(chat_id))
        return session is not None and session.mode is Mode.HANDOFF

    async def _language(self, chat_id: int, event: Event) -> str:
        session = None
        try:
            session = await self.service.session(CHANNEL, str(chat_id))
        except Exception:  # noqa: BLE001 - the database itself may be what failed
            log.warning("session unavailable for a notice")
        language = (session.language if session else None) or event.language_hint or ""
        return language if language in self.texts.catalogues else self.default_language

    async def _kind_error(
        self, chat_id: int, update_id: int, event: Event, ack: Sequence[Outgoing]
    ) -> None:
        """Claim the update with a kind error notice; raises when even that cannot be stored,
        so that the runtime keeps the update in its inbox instead of confirming it."""
        text = self.texts.text(await self._language(chat_id, event), "system.error")
        call = Outgoing("sendMessage", {"chat_id": chat_id, "text": text})
        await self.service.enqueue(
            str(chat_id), serialise([*ack, call]), event.at, update_id=update_id
        )
