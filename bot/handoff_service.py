"""The handoff use cases over storage: open or reuse a case, relay both ways, note, transfer,
close, and the topic bookkeeping after Telegram refused a call into a topic.

Each method owns its transaction and returns plain values (:class:`~bot.handoff.cases.Case`,
never ORM rows). Channels decide what to show: their calls arrive here as ``(method, JSON
payload)`` pairs per chat and are queued in the outbox in the transaction of the change they
belong to. A staff update is claimed in that same transaction, so a crash leaves all of its
effects to the redelivery, or none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from bot.config import StaffGroup
from bot.core.engine import Outcome
from bot.core.events import Command
from bot.core.ports import Directory
from bot.core.replies import HandOff
from bot.handoff.cases import Case, CaseRequest, Direction, MessageKind, ResidentKey
from bot.handoff.routing import route, staff_group_for
from bot.service import ConversationService
from bot.storage import Database
from bot.storage.cases import CaseStore
from bot.storage.store import SqlUnit

log = logging.getLogger("bot.handoff_service")
Calls = Sequence[tuple[str, str]]
"""Channel calls (method, JSON payload) for one chat, queued in this order."""
ChatCalls = tuple[str, Calls]
"""Calls and the chat they go to."""


class HandoffService:
    """Cases of residents handed to staff groups: every change in one transaction."""

    def __init__(
        self,
        conversations: ConversationService,
        db: Database,
        groups: Sequence[StaffGroup],
    ) -> None:
        self.conversations = conversations
        """Closing a case also brings its resident back to the flows (one transaction)."""
        self.groups = tuple(groups)
        self._db = db

    @property
    def directory(self) -> Directory:
        """The places in use (they change with a hot reload)."""
        directory = self.conversations.engine.directory
        if directory is None:
            msg = "handing off to staff needs the directory of places"
            raise RuntimeError(msg)
        return directory

    async def open_cases(self, limit: int = 200) -> list[Case]:
        """Open cases, oldest first, for the staff console's read-only list."""
        async with self._db.unit() as unit:
            return await CaseStore(unit.db).open_cases(limit)

    # -- the resident's side -----------------------------------------------------------

    async def open(
        self,
        resident: ResidentKey,
        handoff: HandOff,
        *,
        language: str,
        quarter: str | None,
        at: datetime,
    ) -> tuple[Case, bool]:
        """Route a handoff to a place and its staff group, and open a case for it.

        Returns:
            The case, and True when it was opened now (False: the resident's open case
            was reused, its routing unchanged).
        """
        variables = dict(handoff.answers)
        if quarter:
            variables["quarter"] = quarter
        target = route(
            handoff,
            variables=variables,
            language=language,
            directory=self.directory,
            staff_groups=self.groups,
            at=at,
        )
        request = CaseRequest(
            resident=resident,
            language=language,
            quarter=variables.get("quarter"),
            topic=handoff.topic,
            place_id=target.place_id,
            staff_chat_id=target.staff_chat_id,
            answers=handoff.answers,
        )
        async with self._db.unit() as unit:
            case, opened = await CaseStore(unit.db).open_or_reuse(request, at)
        log.info(
            "case %s %s (place %s, group %s)",
            case.number,
            "opened" if opened else "reused",
            case.place_id,
            case.staff_chat_id,
        )
        return case, opened

    async def relay_to_staff(
        self,
        resident: ResidentKey,
        *,
        kind: MessageKind,
        text: str | None,
        message_id: int,
        at: datetime,
    ) -> Case | None:
        """Keep a resident's message with their open case (it now waits for staff).

        Returns:
            The case after the message; None when the resident has no open case.
        """
        async with self._db.unit() as unit:
            cases = CaseStore(unit.db)
            case = await cases.get_open_for_resident(resident)
            if case is None:
                return None
            return await cases.add_message(
                case.id,
                direction=Direction.TO_STAFF,
                kind=kind,
                text=text,
                resident_message_id=message_id,
                now=at,
            )

    # -- forum topics ------------------------------------------------------------------

    async def set_topic(self, case_id: int, topic_id: int, at: datetime) -> Case:
        """Remember the forum topic just created for a case."""
        async with self._db.unit() as unit:
            return await CaseStore(unit.db).set_topic(case_id, topic_id, at)

    async def forget_topic(self, staff_chat_id: int, topic_id: int) -> Case | None:
        """Telegram refused a call into a topic: its open case forgets the topic, so that
        the resident's next message opens a new one.

        Returns:
            That case; None when no open case has the topic.
        """
        async with self._db.unit() as unit:
            cases = CaseStore(unit.db)
            case = await cases.get_by_topic(staff_chat_id, topic_id)
            if case is None or not case.is_open:
                return None
            return await cases.update_status(replace(case, topic_id=None))

    async def moved_case(self, case_id: int, *, from_topic: tuple[int, int]) -> Case | None:
        """A transferred case that still needs a topic in its new staff group.

        Args:
            case_id: The case.
            from_topic: The staff group and topic it was transferred from.

        Returns:
            The case; None when it is closed, has no staff group, or already moved on from
            ``from_topic`` (the topic was made before: a retry after a crash).
        """
        async with self._db.unit() as unit:
            case = await CaseStore(unit.db).get(case_id)
        if case is None or not case.is_open or case.staff_chat_id is None:
            return None
        was_there = case.topic_id is None or (case.staff_chat_id, case.topic_id) == from_topic
        return case if was_there else None

    # -- the staff's side --------------------------------------------------------------

    async def case_in_topic(
        self, staff_chat_id: int, topic_id: int, *, update_id: int
    ) -> Case | None:
        """The case of a forum topic, open or closed, for a staff message in it.

        Returns:
            The case; None for a topic of no case, or when the update was handled before
            (redelivered after a crash: its effects are committed already).
        """
        async with self._db.unit() as unit:
            if await unit.was_handled(update_id):
                return None
            return await CaseStore(unit.db).get_by_topic(staff_chat_id, topic_id)

    async def note(
        self,
        case: Case,
        text: str,
        *,
        update_id: int,
        at: datetime,
        replies: Sequence[ChatCalls],
    ) -> bool:
        """Store a staff-internal note with the staff update's claim and the replies.

        Returns:
            False when the update was handled before (nothing done).
        """
        return await self._answer(
            case, Direction.NOTE, text, None, update_id=update_id, at=at, replies=replies
        )

    async def relay_to_resident(
        self,
        case: Case,
        text: str | None,
        *,
        staff_message_id: int,
        update_id: int,
        at: datetime,
        replies: Sequence[ChatCalls],
    ) -> bool:
        """Store a staff reply (words, media or a template) with the staff update's claim
        and the calls that relay it; the case then waits for the resident.

        Returns:
            False when the update was handled before (nothing done).
        """
        return await self._answer(
            case,
            Direction.TO_RESIDENT,
            text,
            staff_message_id,
            update_id=update_id,
            at=at,
            replies=replies,
        )

    async def _answer(
        self,
        case: Case,
        direction: Direction,
        text: str | None,
        staff_message_id: int | None,
        *,
        update_id: int,
        at: datetime,
        replies: Sequence[ChatCalls],
    ) -> bool:
        """Claim the staff update, store its case message and queue the replies, together."""
        async with self._db.unit() as unit:
            if not await unit.claim_update(update_id, at):
                return False
            await CaseStore(unit.db).add_message(
                case.id,
                direction=direction,
                text=text,
                staff_message_id=staff_message_id,
                now=at,
            )
            await unit.enqueue_many(replies, at)
        return True

    async def transfer(
        self,
        case: Case,
        place_id: str,
        *,
        update_id: int,
        at: datetime,
        replies: Sequence[ChatCalls],
        then: Calls,
    ) -> bool:
        """Move a case to another place and its staff group, in the staff update's claim.

        Args:
            case: The open case.
            place_id: The new place.
            update_id: The staff update that asked for it.
            at: When.
            replies: What both sides are told.
            then: Calls for the new staff group, queued after the replies (e.g. a deferred
                call that opens the case's topic there); none when the place has no group.

        Returns:
            False when the update was handled before (nothing done).
        """
        group = staff_group_for(place_id, self.groups)
        async with self._db.unit() as unit:
            if not await unit.claim_update(update_id, at):
                return False
            await unit.enqueue_many(replies, at)
            moved = await CaseStore(unit.db).transfer(
                case.id,
                place_id=place_id,
                staff_chat_id=group.chat_id if group else None,
                now=at,
            )
            if moved.staff_chat_id is not None:
                await unit.enqueue(str(moved.staff_chat_id), then, at)
        return True

    async def close(
        self,
        case: Case,
        *,
        update_id: int,
        at: datetime,
        replies: ChatCalls,
        deliver: Callable[[Outcome], ChatCalls],
    ) -> None:
        """Close a case and bring its resident back to the flows, in one transaction with
        the staff update's claim.

        Args:
            case: The case.
            update_id: The staff update that asked for it.
            at: When.
            replies: What staff are told.
            deliver: The resident's calls for the engine's outcome, with the outbox chat
                of the resident's channel (the resident's session leaves handoff mode:
                their next message goes to the flows).
        """
        shown: list[ChatCalls] = []

        def keep(outcome: Outcome) -> Calls:
            shown.append(deliver(outcome))
            return []  # queued below, in the chat the resident's channel reads

        async def close_case(unit: SqlUnit) -> None:
            await CaseStore(unit.db).close(case.id, at)
            await unit.enqueue_many([replies, *shown], at)

        await self.conversations.handle(
            case.resident.channel,
            case.resident.chat_id,
            Command(at=at, name="bot"),
            update_id=update_id,
            deliver=keep,
            also=close_case,
        )
