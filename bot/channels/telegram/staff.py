"""The staff side on Telegram: cases in forum topics of staff groups, relayed both ways.

Resident → staff relays and case openings are queued in the outbox as *deferred* calls
(``_handoff`` and ``_relay``) in the transaction that handled the resident's update; they
are carried out by :meth:`StaffDesk.resolve` when the sender reaches them, so a crash
loses nothing and a slow translation service never holds a database transaction.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.channels.telegram.delivery import PermanentError
from bot.channels.telegram.render import Outgoing, render_all, serialise
from bot.config import StaffGroup
from bot.core.engine import Outcome
from bot.core.events import Command
from bot.core.ports import Directory
from bot.core.replies import HandOff
from bot.handoff import card, commands, relay
from bot.handoff.cases import Case, CaseRequest, Direction, MessageKind, ResidentKey
from bot.handoff.hours import out_of_hours
from bot.handoff.routing import route, staff_group_for
from bot.handoff.translation import Translator, to_resident_language, to_staff_language
from bot.i18n import Catalogs
from bot.service import Also, ConversationService
from bot.storage.cases import CaseStore

if TYPE_CHECKING:
    from bot.storage.store import SqlUnit

log = logging.getLogger("bot.telegram.staff")
CHANNEL = "telegram"
OPEN_CASE, RELAY, TRANSFER_IN = "_handoff", "_relay", "_transfer"
"""Deferred outbox methods, resolved by :class:`StaffDesk`."""
MEDIA = {
    "photo": MessageKind.PHOTO,
    "document": MessageKind.DOCUMENT,
    "voice": MessageKind.VOICE,
    "location": MessageKind.LOCATION,
}

Call = Callable[[str, dict[str, Any]], Awaitable[Any]]


def open_case_call(
    chat_id: int, handoff: HandOff, *, language: str, quarter: str | None, typed: str | None
) -> tuple[str, str]:
    """The deferred outbox row that opens (or reuses) a case for a resident."""
    payload = {
        "chat_id": chat_id,
        "place_id": handoff.place_id,
        "topic": handoff.topic,
        "answers": list(handoff.answers),
        "language": language,
        "quarter": quarter,
        "typed": typed,
    }
    return OPEN_CASE, json.dumps(payload, ensure_ascii=False)


def relay_call(
    chat_id: int, *, message_id: int, kind: str, text: str | None, language: str
) -> tuple[str, str]:
    """The deferred outbox row that relays a resident's message into their case topic."""
    payload = {
        "chat_id": chat_id,
        "message_id": message_id,
        "kind": kind,
        "text": text,
        "language": language,
    }
    return RELAY, json.dumps(payload, ensure_ascii=False)


class StaffDesk:
    """Opens cases, relays resident messages to staff and staff messages back."""

    def __init__(
        self,
        service: ConversationService,
        groups: list[StaffGroup],
        *,
        translator: Translator,
        call: Call,
        now: Callable[[], datetime],
    ) -> None:
        self.service = service
        self.groups = groups
        self.translator = translator
        self.call = call
        self.now = now
        self.group_ids = frozenset(g.chat_id for g in groups)

    @property
    def texts(self) -> Catalogs:
        """The catalogues in use (they change with a hot reload)."""
        return self.service.engine.texts

    @property
    def directory(self) -> Directory:
        """The places in use (they change with a hot reload)."""
        directory = self.service.engine.directory
        if directory is None:
            msg = "the staff desk needs the directory of places"
            raise RuntimeError(msg)
        return directory

    # -- deferred calls from the outbox ------------------------------------------------

    async def resolve(self, method: str, params: dict[str, Any]) -> None:
        """Carry out a deferred ``_handoff`` or ``_relay`` call."""
        if method == OPEN_CASE:
            await self._open(params)
        elif method == TRANSFER_IN:
            await self._transfer_in(params)
        else:
            await self._relay_to_staff(params)

    async def _open(self, params: dict[str, Any]) -> None:
        chat_id, language, at = int(params["chat_id"]), str(params["language"]), self.now()
        handoff = HandOff(
            place_id=params.get("place_id"),
            topic=params.get("topic"),
            answers=tuple(tuple(a) for a in params.get("answers", ())),
        )
        variables = dict(handoff.answers)
        if params.get("quarter"):
            variables["quarter"] = params["quarter"]
        target = route(
            handoff,
            variables=variables,
            language=language,
            directory=self.directory,
            staff_groups=self.groups,
            at=at,
        )
        request = CaseRequest(
            resident=ResidentKey(CHANNEL, str(chat_id)),
            language=language,
            quarter=variables.get("quarter"),
            topic=handoff.topic,
            place_id=target.place_id,
            staff_chat_id=target.staff_chat_id,
            answers=handoff.answers,
        )
        async with self.service.db.unit() as unit:
            case, opened = await CaseStore(unit.db).open_or_reuse(request, at)
        log.info(
            "case %s %s (place %s, group %s)",
            case.number,
            "opened" if opened else "reused",
            case.place_id,
            case.staff_chat_id,
        )
        notices: list[str] = []
        if not opened:
            notices.append(self.texts.text(language, "handoff.reused"))
            if case.topic_id is not None:
                await self._queue(case, [self._staff("asked_again")])
        elif case.staff_chat_id is None or not await self._create_topic(case, params, at):
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
        await self._tell_resident(chat_id, notices, at)

    async def _create_topic(self, case: Case, params: dict[str, Any], at: datetime) -> bool:
        """Open the forum topic and post the case card; False when the group refuses.

        Creating the topic is the one direct call: its id is needed for everything after.
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
            return False
        topic_id = int(_field(topic, "message_thread_id"))
        async with self.service.db.unit() as unit:
            case = await CaseStore(unit.db).set_topic(case.id, topic_id, at)
        typed = params.get("typed") or None
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
        return True

    async def _relay_to_staff(self, params: dict[str, Any]) -> None:
        chat_id, at = int(params["chat_id"]), self.now()
        kind = MEDIA.get(str(params["kind"]), MessageKind.TEXT)
        text = params.get("text")
        async with self.service.db.unit() as unit:
            store = CaseStore(unit.db)
            case = await store.get_open_for_resident(ResidentKey(CHANNEL, str(chat_id)))
            if case is None:
                return
            case = await store.add_message(
                case.id,
                direction=Direction.TO_STAFF,
                kind=kind,
                text=text,
                resident_message_id=params["message_id"],
                now=at,
            )
        if case.staff_chat_id is None:
            return  # kept with the case; the resident was told nobody is connected yet
        if case.topic_id is None:
            # The topic was deleted (or never made): open a new one, with the card again.
            if not await self._create_topic(case, {}, at):
                return
            async with self.service.db.unit() as unit:
                case = await CaseStore(unit.db).get(case.id) or case
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
                        "from_chat_id": chat_id,
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
        async with self.service.db.unit() as unit:
            store = CaseStore(unit.db)
            case = await store.get_by_topic(group, int(thread))
            if case is None or not case.is_open:
                return
            await store.update_status(replace(case, topic_id=None))
        log.error(
            "staff group %s refused %s for case %s; the case waits for a new topic",
            group,
            method,
            case.number,
        )
        await self._tell_resident(
            int(case.resident.chat_id),
            [self.texts.text(case.language, "handoff.no_staff")],
            self.now(),
        )

    async def _tell_resident(self, chat_id: int, texts: list[str], at: datetime) -> None:
        if texts:
            calls = [Outgoing("sendMessage", {"chat_id": chat_id, "text": t}) for t in texts]
            await self.service.enqueue(str(chat_id), serialise(calls), at)

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
        """A message in a staff group: a command or words for the resident of the topic."""
        if from_bot or thread_id is None:
            return
        at = self.now()
        async with self.service.db.unit() as unit:
            if await unit.was_handled(update_id):
                return  # redelivered after a crash: its effects are committed already
            case = await CaseStore(unit.db).get_by_topic(chat_id, thread_id)
        if case is None:
            return
        notes: list[dict[str, Any]] = []
        """Case messages to store with the claim and the replies (one transaction)."""
        change: Also | None = None
        """A change of the case, made in that transaction too."""
        parsed: commands.StaffCommand = commands.Relay(text or "")
        if text:
            parsed = commands.parse_staff_message(
                text,
                texts=self.texts,
                place_ids=self.directory_place_ids(),
                template_keys=commands.template_keys(self.texts),
            )
        if isinstance(parsed, commands.NotForUs):
            return
        staff: list[Outgoing] = []
        resident: list[Outgoing] = []
        chat = int(case.resident.chat_id)
        topic = {"chat_id": chat_id, "message_thread_id": thread_id, "parse_mode": "HTML"}
        if not case.is_open:
            staff.append(Outgoing("sendMessage", {**topic, "text": self._staff("case_is_closed")}))
        elif isinstance(parsed, commands.Usage):
            staff.append(Outgoing("sendMessage", {**topic, "text": card.escape(parsed.text)}))
        elif isinstance(parsed, commands.Note):
            notes.append({"direction": Direction.NOTE, "text": parsed.text})
            staff.append(Outgoing("sendMessage", {**topic, "text": self._staff("note_saved")}))
        elif isinstance(parsed, commands.Close):
            await self._close(case, update_id=update_id, topic=topic, at=at)
            return
        elif isinstance(parsed, commands.Transfer):
            change = self._transfer(
                case, parsed.place_id, at=at, topic=topic, staff=staff, resident=resident
            )
        elif isinstance(parsed, commands.UseTemplate):
            rendered = relay.template_texts(parsed.key, language=case.language, texts=self.texts)
            staff.append(Outgoing("sendMessage", {**topic, "text": rendered.staff}))
            resident.append(Outgoing("sendMessage", {"chat_id": chat, "text": rendered.resident}))
            notes.append(_reply_note(rendered.resident, message_id))
        else:
            words = parsed.text if isinstance(parsed, commands.Relay) else text or ""
            if media:
                resident.append(
                    Outgoing(
                        "copyMessage",
                        {"chat_id": chat, "from_chat_id": chat_id, "message_id": message_id},
                    )
                )
            if words and not media:
                translated = await to_resident_language(self.translator, words, case.language)
                resident.append(
                    Outgoing(
                        "sendMessage",
                        {
                            "chat_id": chat,
                            "text": relay.for_resident(
                                words, translated, language=case.language, texts=self.texts
                            ),
                        },
                    )
                )
            notes.append(_reply_note(words or None, message_id))
        await self._answer(
            update_id=update_id,
            staff_chat=chat_id,
            case=case,
            notes=notes,
            staff=staff,
            resident=resident,
            change=change,
            at=at,
        )

    def directory_place_ids(self) -> list[str]:
        """Every place id staff can transfer a case to."""
        return sorted(self.directory.place_ids)

    async def _close(
        self, case: Case, *, update_id: int, topic: dict[str, Any], at: datetime
    ) -> None:
        """Close the case and bring the resident back to the flows, in the transaction that
        claims the staff update: a crash leaves all of it to the redelivery, or none."""
        chat = int(case.resident.chat_id)
        staff = [
            Outgoing(
                "sendMessage", {**topic, "text": self._staff("closed_case", number=case.number)}
            ),
            Outgoing(
                "closeForumTopic",
                {"chat_id": topic["chat_id"], "message_thread_id": topic["message_thread_id"]},
            ),
        ]
        closed = Outgoing(
            "sendMessage",
            {"chat_id": chat, "text": self.texts.text(case.language, "handoff.closed")},
        )

        def deliver(outcome: Outcome) -> list[tuple[str, str]]:
            return serialise([*render_all(outcome.replies, chat), closed])

        async def close(unit: SqlUnit) -> None:
            await CaseStore(unit.db).close(case.id, at)
            await unit.enqueue(str(topic["chat_id"]), serialise(staff), at)

        # The resident's session leaves handoff mode: their next message goes to the flows.
        await self.service.handle(
            CHANNEL,
            case.resident.chat_id,
            Command(at=at, name="bot"),
            update_id=update_id,
            deliver=deliver,
            also=close,
        )

    def _transfer(
        self,
        case: Case,
        place_id: str,
        *,
        at: datetime,
        topic: dict[str, Any],
        staff: list[Outgoing],
        resident: list[Outgoing],
    ) -> Also:
        """The replies to a transfer, and the change of the case (with the new group's topic
        left to a deferred call, so that it is made even after a crash)."""
        group = staff_group_for(place_id, self.groups)
        name = self._place_name(place_id)
        staff.append(
            Outgoing(
                "sendMessage",
                {**topic, "text": self._staff("transferred_out", number=case.number, place=name)},
            )
        )
        staff.append(
            Outgoing(
                "closeForumTopic",
                {"chat_id": topic["chat_id"], "message_thread_id": topic["message_thread_id"]},
            )
        )
        resident.append(
            Outgoing(
                "sendMessage",
                {
                    "chat_id": int(case.resident.chat_id),
                    "text": self.texts.text(case.language, "handoff.transferred", place=name),
                },
            )
        )

        async def move(unit: SqlUnit) -> None:
            moved = await CaseStore(unit.db).transfer(
                case.id, place_id=place_id, staff_chat_id=group.chat_id if group else None, now=at
            )
            if moved.staff_chat_id is not None:
                payload = {"case_id": case.id, "from_place": case.place_id, "topic": topic}
                calls = [(TRANSFER_IN, json.dumps(payload, ensure_ascii=False))]
                await unit.enqueue(str(moved.staff_chat_id), calls, at)

        return move

    async def _transfer_in(self, params: dict[str, Any]) -> None:
        """Open the case's topic in its new group and say where it comes from.

        Skipped when done before (a retry after a crash): the case no longer has the topic
        it was transferred from.
        """
        at, old = self.now(), params["topic"]
        async with self.service.db.unit() as unit:
            case = await CaseStore(unit.db).get(int(params["case_id"]))
        was_there = case is not None and (
            case.topic_id is None
            or (case.staff_chat_id, case.topic_id) == (old["chat_id"], old["message_thread_id"])
        )
        if case is None or not case.is_open or case.staff_chat_id is None or not was_there:
            return
        if await self._create_topic(case, {}, at):
            async with self.service.db.unit() as unit:
                case = await CaseStore(unit.db).get(case.id) or case
            came_from = self._place_name(params.get("from_place"))
            await self._queue(
                case, [self._staff("transferred_in", number=case.number, place=came_from)]
            )

    def _place_name(self, place_id: str | None) -> str:
        place = self.directory.place(place_id) if place_id else None
        return place.name if place else (place_id or "")

    async def _answer(
        self,
        *,
        update_id: int,
        staff_chat: int,
        case: Case,
        notes: list[dict[str, Any]],
        staff: list[Outgoing],
        resident: list[Outgoing],
        change: Also | None,
        at: datetime,
    ) -> None:
        """Claim the staff update, change the case, store its case messages and queue both
        sides' replies in one transaction: a crash leaves all of it to the redelivery, or
        none."""
        async with self.service.db.unit() as unit:
            if not await unit.claim_update(update_id, at):
                return
            store = CaseStore(unit.db)
            for note in notes:
                await store.add_message(case.id, now=at, **note)
            await unit.enqueue_many(
                [
                    (str(staff_chat), serialise(staff)),
                    (case.resident.chat_id, serialise(resident)),
                ],
                at,
            )
            if change is not None:  # last: its own calls follow the replies
                await change(unit)


def _reply_note(text: str | None, message_id: int) -> dict[str, Any]:
    """A staff reply as a case message (stored with the reply it caused)."""
    return {"direction": Direction.TO_RESIDENT, "text": text, "staff_message_id": message_id}


def _field(result: Any, name: str) -> Any:
    """Read a field of a Bot API result, whether a library object or a plain dict."""
    return result[name] if isinstance(result, dict) else getattr(result, name)
