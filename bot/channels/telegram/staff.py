"""The staff side on Telegram: cases in forum topics of staff groups, relayed both ways.

Resident → staff relays and case openings are queued in the outbox as *deferred* calls
(``_handoff`` and ``_relay``) in the transaction that handled the resident's update; they
are carried out by :meth:`StaffDesk.resolve` when the sender reaches them, so a crash
loses nothing and a slow translation service never holds a database transaction.

The desk is forum-topic input and output: it reads staff messages, builds the Bot API calls
and creates topics through the call primitive. What a case becomes, and in which
transaction, is :class:`~bot.handoff_service.HandoffService`'s.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.channels.desk import (
    OPEN_CASE,
    RELAY,
    TRANSFER_IN,
    ResidentDelivery,
    Rows,
    open_case_call,
    relay_call,
    resident_of,
)
from bot.channels.telegram.delivery import PermanentError
from bot.channels.telegram.render import Outgoing, render_all, serialise
from bot.core.engine import Outcome
from bot.core.ports import Directory
from bot.core.replies import HandOff, Reply
from bot.handoff import card, commands, relay
from bot.handoff.cases import Case, MessageKind, ResidentKey
from bot.handoff.hours import out_of_hours
from bot.handoff.translation import Translator, to_resident_language, to_staff_language
from bot.handoff_service import HandoffService
from bot.i18n import Catalogs

__all__ = ["OPEN_CASE", "RELAY", "StaffDesk", "TelegramResidents", "open_case_call", "relay_call"]
log = logging.getLogger("bot.telegram.staff")
CHANNEL = "telegram"
MEDIA = {
    "photo": MessageKind.PHOTO,
    "document": MessageKind.DOCUMENT,
    "voice": MessageKind.VOICE,
    "location": MessageKind.LOCATION,
}

Call = Callable[[str, dict[str, Any]], Awaitable[Any]]


class TelegramResidents:
    """Staff answers for residents on Telegram: Bot API calls to their private chat."""

    def chat(self, resident: ResidentKey) -> str:
        """The chat id, as the outbox keys it."""
        return resident.chat_id

    def notices(self, resident: ResidentKey, texts: Sequence[str], *, language: str) -> Rows:
        """One plain message per text."""
        chat = int(resident.chat_id)
        return serialise([Outgoing("sendMessage", {"chat_id": chat, "text": t}) for t in texts])

    def replies(self, resident: ResidentKey, replies: Sequence[Reply], *, language: str) -> Rows:
        """The replies as the gateway shows them."""
        return serialise(render_all(replies, int(resident.chat_id)))

    def media(
        self, resident: ResidentKey, *, from_chat: int, message_id: int, language: str
    ) -> Rows:
        """A copy of staff's message (the sender stays private)."""
        params = {"chat_id": int(resident.chat_id), "from_chat_id": from_chat}
        return serialise([Outgoing("copyMessage", {**params, "message_id": message_id})])


class StaffDesk:
    """Opens cases, relays resident messages to staff and staff messages back."""

    def __init__(
        self,
        cases: HandoffService,
        *,
        translator: Translator,
        call: Call,
        now: Callable[[], datetime],
        residents: Mapping[str, ResidentDelivery] | None = None,
    ) -> None:
        self.cases = cases
        self.residents: dict[str, ResidentDelivery] = {CHANNEL: TelegramResidents()}
        """How answers reach residents, by channel (the web chat adds its own)."""
        self.residents.update(residents or {})
        self.service = cases.conversations
        """Queues calls that change no case (notices, relays, topic messages)."""
        self.translator = translator
        self.call = call
        self.now = now
        self.group_ids = frozenset(g.chat_id for g in cases.groups)

    @property
    def texts(self) -> Catalogs:
        """The catalogues in use (they change with a hot reload)."""
        return self.service.engine.texts

    @property
    def directory(self) -> Directory:
        """The places in use (they change with a hot reload)."""
        return self.cases.directory

    # -- deferred calls from the outbox ------------------------------------------------

    async def resolve(self, method: str, params: dict[str, Any]) -> None:
        """Carry out a deferred ``_handoff``, ``_transfer`` or ``_relay`` call."""
        if method == OPEN_CASE:
            await self._open(params)
        elif method == TRANSFER_IN:
            await self._transfer_in(params)
        else:
            await self._relay_to_staff(params)

    async def _open(self, params: dict[str, Any]) -> None:
        resident, language, at = resident_of(params), str(params["language"]), self.now()
        handoff = HandOff(
            place_id=params.get("place_id"),
            topic=params.get("topic"),
            answers=tuple(tuple(a) for a in params.get("answers", ())),
        )
        case, opened = await self.cases.open(
            resident,
            handoff,
            language=language,
            quarter=params.get("quarter"),
            at=at,
        )
        notices: list[str] = []
        if not opened:
            notices.append(self.texts.text(language, "handoff.reused"))
            if case.topic_id is not None:
                await self._queue(case, [self._staff("asked_again")])
        elif (
            case.staff_chat_id is None
            or await self._create_topic(case, params.get("typed") or None, at) is None
        ):
            notices.append(self.texts.text(language, "handoff.no_staff"))
        if opened and case.place_id:
            closed = out_of_hours(
                self.directory.status(case.place_id, at),
                now=at,
                language=language,
                texts=self.texts,
            )
            if closed is not None:
                notices.append(closed.text)
        await self._tell_resident(resident, notices, language, at)

    async def _create_topic(self, case: Case, typed: str | None, at: datetime) -> Case | None:
        """Open the forum topic and post the case card; None when the group refuses.

        Creating the topic is the one direct call: its id is needed for everything after.

        Returns:
            The case with its topic.
        """
        try:
            topic = await self.call(
                "createForumTopic",
                {
                    "chat_id": case.staff_chat_id,
                    "name": card.topic_title(case, self.directory, texts=self.texts),
                },
            )
        except PermanentError as exc:
            log.error(
                "staff group %s: cannot create a topic for case %s (%s); is Lotse an "
                "admin with can_manage_topics, and are topics switched on?",
                case.staff_chat_id,
                case.number,
                exc,
            )
            return None
        case = await self.cases.set_topic(case.id, int(_field(topic, "message_thread_id")), at)
        translated = (
            await to_staff_language(self.translator, typed, case.language) if typed else None
        )
        await self._queue(
            case,
            [
                card.case_card(
                    case,
                    directory=self.directory,
                    texts=self.texts,
                    now=at,
                    typed=typed,
                    translated=translated,
                )
            ],
        )
        return case

    async def _relay_to_staff(self, params: dict[str, Any]) -> None:
        resident, at = resident_of(params), self.now()
        kind = MEDIA.get(str(params["kind"]), MessageKind.TEXT)
        text = params.get("text")
        case = await self.cases.relay_to_staff(
            resident,
            kind=kind,
            text=text,
            message_id=params["message_id"],
            at=at,
        )
        if case is None or case.staff_chat_id is None:
            return  # kept with the case; the resident was told nobody is connected yet
        if case.topic_id is None:
            # The topic was deleted (or never made): open a new one, with the card again.
            case = await self._create_topic(case, None, at)
            if case is None:
                return
        translated = (
            await to_staff_language(self.translator, text, case.language) if text else None
        )
        calls = []
        if kind is not MessageKind.TEXT:
            calls.append(
                Outgoing(
                    "copyMessage",
                    {
                        "chat_id": case.staff_chat_id,
                        "message_thread_id": case.topic_id,
                        "from_chat_id": int(resident.chat_id),
                        "message_id": params["message_id"],
                    },
                )
            )
        body = relay.for_staff(
            text, translated, language=case.language, texts=self.texts, kind=kind
        )
        await self._queue(case, [body] if body else [], calls)

    async def refused(self, method: str, params: dict[str, Any]) -> None:
        """Telegram refused a call into a staff topic (deleted topic, removed from group).

        The case is kept and its topic forgotten, so the resident's next message opens a new
        one; the resident is told that nobody is connected right now.
        """
        thread, group = params.get("message_thread_id"), params.get("chat_id")
        if thread is None or not isinstance(group, int) or group not in self.group_ids:
            return
        case = await self.cases.forget_topic(group, int(thread))
        if case is None:
            return
        log.error(
            "staff group %s refused %s for case %s; the case waits for a new topic",
            group,
            method,
            case.number,
        )
        await self._tell_resident(
            case.resident,
            [self.texts.text(case.language, "handoff.no_staff")],
            case.language,
            self.now(),
        )

    def _delivery(self, resident: ResidentKey) -> ResidentDelivery:
        return self.residents.get(resident.channel) or self.residents[CHANNEL]

    def _to_resident(self, case: Case, texts: Sequence[str]) -> tuple[str, Rows]:
        """Texts for the resident of a case, with the outbox chat they go to."""
        delivery = self._delivery(case.resident)
        return delivery.chat(case.resident), delivery.notices(
            case.resident, texts, language=case.language
        )

    async def _tell_resident(
        self, resident: ResidentKey, texts: list[str], language: str, at: datetime
    ) -> None:
        if texts:
            delivery = self._delivery(resident)
            rows = delivery.notices(resident, texts, language=language)
            await self.service.enqueue(delivery.chat(resident), rows, at)

    async def _queue(
        self, case: Case, html_texts: list[str], before: Sequence[Outgoing] = ()
    ) -> None:
        """Queue messages into the case topic (paced like every other call)."""
        topic = {"chat_id": case.staff_chat_id, "message_thread_id": case.topic_id}
        calls = [
            *before,
            *(
                Outgoing("sendMessage", {**topic, "text": t, "parse_mode": "HTML"})
                for t in html_texts
            ),
        ]
        if calls:
            await self.service.enqueue(str(case.staff_chat_id), serialise(calls), self.now())

    def _staff(self, name: str, **params: object) -> str:
        return card.escape(self.texts.text("de", f"handoff.staff.{name}", **params))

    # -- staff messages ----------------------------------------------------------------

    def is_staff_chat(self, chat_id: int) -> bool:
        """True for a configured staff group: only there are messages read as staff's."""
        return chat_id in self.group_ids

    async def on_staff_message(
        self,
        *,
        update_id: int,
        chat_id: int,
        thread_id: int | None,
        message_id: int,
        text: str | None,
        media: bool,
        from_bot: bool,
    ) -> None:
        """A message in a staff group: a command or words for the resident of the topic.

        Each answer claims the update in the transaction that carries its effects, so a
        redelivery after a crash finds all of them done, or none.
        """
        if from_bot or thread_id is None:
            return
        at = self.now()
        case = await self.cases.case_in_topic(chat_id, thread_id, update_id=update_id)
        if case is None:
            return
        parsed: commands.StaffCommand = commands.Relay(text or "")
        if text:
            parsed = commands.parse_staff_message(
                text,
                texts=self.texts,
                place_ids=sorted(self.directory.place_ids),
                template_keys=commands.template_keys(self.texts),
            )
        if isinstance(parsed, commands.NotForUs):
            return
        staff_chat = str(chat_id)
        topic = {"chat_id": chat_id, "message_thread_id": thread_id, "parse_mode": "HTML"}

        def to_staff(html_text: str) -> tuple[str, list[tuple[str, str]]]:
            return staff_chat, serialise([Outgoing("sendMessage", {**topic, "text": html_text})])

        if not case.is_open:
            await self.service.enqueue(
                *to_staff(self._staff("case_is_closed")), at, update_id=update_id
            )
        elif isinstance(parsed, commands.Usage):
            await self.service.enqueue(
                *to_staff(card.escape(parsed.text)), at, update_id=update_id
            )
        elif isinstance(parsed, commands.Note):
            await self.cases.note(
                case,
                parsed.text,
                update_id=update_id,
                at=at,
                replies=[to_staff(self._staff("note_saved"))],
            )
        elif isinstance(parsed, commands.Close):
            await self._close(case, update_id=update_id, topic=topic, at=at)
        elif isinstance(parsed, commands.Transfer):
            await self._transfer(case, parsed.place_id, update_id=update_id, at=at, topic=topic)
        elif isinstance(parsed, commands.UseTemplate):
            rendered = relay.template_texts(parsed.key, language=case.language, texts=self.texts)
            await self.cases.relay_to_resident(
                case,
                rendered.resident,
                staff_message_id=message_id,
                update_id=update_id,
                at=at,
                replies=[to_staff(rendered.staff), self._to_resident(case, [rendered.resident])],
            )
        else:
            words = parsed.text if isinstance(parsed, commands.Relay) else text or ""
            relayed = await self._relay_to_resident(case, words, chat_id, message_id, media=media)
            await self.cases.relay_to_resident(
                case,
                words or None,
                staff_message_id=message_id,
                update_id=update_id,
                at=at,
                replies=[relayed],
            )

    async def _relay_to_resident(
        self, case: Case, words: str, staff_chat: int, message_id: int, *, media: bool
    ) -> tuple[str, Rows]:
        """Staff's words (translated) or media, for the resident, with their outbox chat."""
        delivery, resident = self._delivery(case.resident), case.resident
        if media:
            rows = delivery.media(
                resident, from_chat=staff_chat, message_id=message_id, language=case.language
            )
            return delivery.chat(resident), rows
        if not words:
            return delivery.chat(resident), []
        translated = await to_resident_language(self.translator, words, case.language)
        text = relay.for_resident(words, translated, language=case.language, texts=self.texts)
        return self._to_resident(case, [text])

    async def _close(
        self, case: Case, *, update_id: int, topic: dict[str, Any], at: datetime
    ) -> None:
        """Close the case and bring the resident back to the flows, in the transaction that
        claims the staff update: a crash leaves all of it to the redelivery, or none."""
        delivery, resident = self._delivery(case.resident), case.resident
        staff = [
            Outgoing(
                "sendMessage", {**topic, "text": self._staff("closed_case", number=case.number)}
            ),
            Outgoing(
                "closeForumTopic",
                {"chat_id": topic["chat_id"], "message_thread_id": topic["message_thread_id"]},
            ),
        ]
        closed = self.texts.text(case.language, "handoff.closed")

        def deliver(outcome: Outcome) -> tuple[str, Rows]:
            language = outcome.session.language or case.language
            shown = delivery.replies(resident, outcome.replies, language=language)
            told = delivery.notices(resident, [closed], language=language)
            return delivery.chat(resident), shown + told

        await self.cases.close(
            case,
            update_id=update_id,
            at=at,
            replies=(str(topic["chat_id"]), serialise(staff)),
            deliver=deliver,
        )

    async def _transfer(
        self, case: Case, place_id: str, *, update_id: int, at: datetime, topic: dict[str, Any]
    ) -> None:
        """Tell both sides about a transfer and move the case, leaving the new group's topic
        to a deferred call (so that it is made even after a crash)."""
        name = self._place_name(place_id)
        staff = [
            Outgoing(
                "sendMessage",
                {**topic, "text": self._staff("transferred_out", number=case.number, place=name)},
            ),
            Outgoing(
                "closeForumTopic",
                {"chat_id": topic["chat_id"], "message_thread_id": topic["message_thread_id"]},
            ),
        ]
        told = self.texts.text(case.language, "handoff.transferred", place=name)
        payload = {"case_id": case.id, "from_place": case.place_id, "topic": topic}
        await self.cases.transfer(
            case,
            place_id,
            update_id=update_id,
            at=at,
            replies=[
                (str(topic["chat_id"]), serialise(staff)),
                self._to_resident(case, [told]),
            ],
            then=[(TRANSFER_IN, json.dumps(payload, ensure_ascii=False))],
        )

    async def _transfer_in(self, params: dict[str, Any]) -> None:
        """Open the case's topic in its new group and say where it comes from.

        Skipped when done before (a retry after a crash): the case no longer has the topic
        it was transferred from.
        """
        at, old = self.now(), params["topic"]
        moved = await self.cases.moved_case(
            int(params["case_id"]), from_topic=(old["chat_id"], old["message_thread_id"])
        )
        case = await self._create_topic(moved, None, at) if moved is not None else None
        if case is not None:
            came_from = self._place_name(params.get("from_place"))
            await self._queue(
                case, [self._staff("transferred_in", number=case.number, place=came_from)]
            )

    def _place_name(self, place_id: str | None) -> str:
        place = self.directory.place(place_id) if place_id else None
        return place.name if place else (place_id or "")


def _field(result: Any, name: str) -> Any:
    """Read a field of a Bot API result, whether a library object or a plain dict."""
    return result[name] if isinstance(result, dict) else getattr(result, name)
