"""The repository of handoff cases, over one transaction (an ``AsyncSession``).

It returns :mod:`bot.handoff.cases` values, never ORM rows, and changes cases only through
the pure state machine there. One open case per resident is a rule of this code (not a
database constraint): :meth:`CaseStore.open_or_reuse` looks before it opens.

Erasure and retention do not delete case rows: they delete the messages and everything
that points to a person (resident, answers, forum topic) and cut the times to the hour,
keeping the time to the first staff answer. What is left is an anonymous count.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.handoff import cases as machine
from bot.handoff.cases import (
    Case,
    CaseFacts,
    CaseRequest,
    CaseStats,
    CaseStatus,
    Direction,
    MessageKind,
    ResidentKey,
)
from bot.storage.case_tables import CaseMessageRow, CaseRow


class CaseNotFoundError(LookupError):
    """No case with that id (or it was anonymised)."""


class CaseStore:
    """Cases and their messages, read and written inside the caller's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        """Work in ``session``; the caller commits (e.g. ``Database.unit()``)."""
        self.db = session

    # -- opening and finding -----------------------------------------------------------

    async def open_or_reuse(self, request: CaseRequest, now: datetime) -> tuple[Case, bool]:
        """Return the resident's open case, or open a new one.

        The number is the next in the year of ``now`` as given (pass local time, so that a
        case opened at 00:30 on New Year's Day counts for the new year). Two transactions
        opening cases at the same moment may pick the same number: the unique constraint
        then fails one of them, and the caller retries its unit of work.

        Args:
            request: The resident and the routing result.
            now: A timezone-aware moment.

        Returns:
            The case, and True when it was opened now (False: an open case was reused).
        """
        reused = machine.reuse(await self.get_open_for_resident(request.resident), now)
        if reused is not None:
            await self._write(reused)
            return reused, False
        year = now.year
        last = await self.db.scalar(select(func.max(CaseRow.seq)).where(CaseRow.year == year))
        seq = (last or 0) + 1
        row = CaseRow(
            number=machine.case_number(year, seq),
            year=year,
            seq=seq,
            resident_channel=request.resident.channel,
            resident_chat=request.resident.chat_id,
            language=request.language,
            status=CaseStatus.OPEN.value,
            created_at=now,
            updated_at=now,
        )
        self.db.add(row)
        await self.db.flush()
        case = machine.new_case(request, case_id=row.id, number=row.number, now=now)
        await self._write(case)
        return case, True

    async def get(self, case_id: int) -> Case | None:
        """A case by id; None when unknown or anonymised."""
        row = await self.db.get(CaseRow, case_id)
        return _case(row) if row is not None else None

    async def get_open_for_resident(self, resident: ResidentKey) -> Case | None:
        """The resident's open case, or None."""
        query = (
            select(CaseRow)
            .where(
                CaseRow.resident_channel == resident.channel,
                CaseRow.resident_chat == resident.chat_id,
                CaseRow.status != CaseStatus.CLOSED.value,
            )
            .order_by(CaseRow.id.desc())
            .limit(1)
        )
        row = (await self.db.execute(query)).scalar_one_or_none()
        return _case(row) if row is not None else None

    async def get_by_topic(self, staff_chat_id: int, topic_id: int) -> Case | None:
        """The case of a forum topic in a staff group, open or closed; None when unknown."""
        query = (
            select(CaseRow)
            .where(CaseRow.staff_chat_id == staff_chat_id, CaseRow.topic_id == topic_id)
            .order_by(CaseRow.id.desc())
            .limit(1)
        )
        row = (await self.db.execute(query)).scalar_one_or_none()
        return _case(row) if row is not None else None

    async def open_cases(self, limit: int) -> list[Case]:
        """Open cases, the oldest first (anonymised ones have no resident and are left out)."""
        query = (
            select(CaseRow)
            .where(CaseRow.status != CaseStatus.CLOSED.value)
            .order_by(CaseRow.created_at, CaseRow.id)
            .limit(limit)
        )
        rows = (await self.db.execute(query)).scalars()
        return [case for row in rows if (case := _case(row)) is not None]

    # -- changing a case ---------------------------------------------------------------

    async def set_topic(self, case_id: int, topic_id: int, now: datetime) -> Case:
        """Remember the forum topic created for the case."""
        case = machine.with_topic(await self._require(case_id), topic_id, now)
        await self._write(case)
        return case

    async def update_status(self, case: Case) -> Case:
        """Store a case as the state machine returned it (status, times, routing, topic).

        Raises:
            CaseNotFoundError: The case does not exist or was anonymised.
        """
        await self._require(case.id)
        await self._write(case)
        return case

    async def transfer(
        self, case_id: int, *, place_id: str, staff_chat_id: int | None, now: datetime
    ) -> Case:
        """Move a case to another place and staff group; its messages stay with it.

        Raises:
            CaseNotFoundError: No such case.
            bot.handoff.cases.InvalidTransitionError: The case is closed.
        """
        case = machine.transfer(
            await self._require(case_id), place_id=place_id, staff_chat_id=staff_chat_id, now=now
        )
        await self._write(case)
        return case

    async def close(self, case_id: int, now: datetime) -> Case:
        """Close a case (closing a closed case changes nothing)."""
        case = machine.close(await self._require(case_id), now)
        await self._write(case)
        return case

    # -- messages ----------------------------------------------------------------------

    async def add_message(
        self,
        case_id: int,
        *,
        direction: Direction,
        kind: MessageKind = MessageKind.TEXT,
        text: str | None = None,
        resident_message_id: int | None = None,
        staff_message_id: int | None = None,
        now: datetime,
    ) -> Case:
        """Store a relayed message or a note, and apply the status change it implies.

        A message to staff makes the case wait for staff; one to the resident makes it wait
        for the resident and may record the first staff answer; a note changes no status.

        Raises:
            CaseNotFoundError: No such case.
            bot.handoff.cases.InvalidTransitionError: A relay into a closed case.

        Returns:
            The case after the change.
        """
        case = machine.after_message(await self._require(case_id), direction, now)
        row = CaseMessageRow(
            case_id=case_id,
            direction=direction.value,
            kind=kind.value,
            text=text,
            resident_message_id=resident_message_id,
            staff_message_id=staff_message_id,
            created_at=now,
        )
        self.db.add(row)
        await self._write(case)
        return case

    # -- privacy and statistics --------------------------------------------------------

    async def erase_resident(self, channel: str, chat_id: str, now: datetime) -> list[Case]:
        """Erase a resident's cases (/delete): messages go, anonymous counts stay.

        Args:
            channel: The resident's channel.
            chat_id: The resident's chat id on it.
            now: Closes the cases that were still open.

        Returns:
            The cases as they were before erasure, so the caller can tell staff and remove
            the forum topics; an empty list when the resident had none.
        """
        query = select(CaseRow).where(
            CaseRow.resident_channel == channel, CaseRow.resident_chat == chat_id
        )
        rows = list((await self.db.execute(query)).scalars())
        before = [c for row in rows if (c := _case(row))]
        await self._anonymise(rows, now)
        return before

    async def purge_closed(self, before: datetime) -> int:
        """Anonymise cases closed before ``before`` (retention); returns how many.

        Args:
            before: Cases closed earlier lose their messages and personal fields.

        Returns:
            The number of cases anonymised now.
        """
        query = select(CaseRow).where(
            CaseRow.status == CaseStatus.CLOSED.value,
            CaseRow.closed_at < before,
            CaseRow.resident_chat.is_not(None),
        )
        rows = list((await self.db.execute(query)).scalars())
        await self._anonymise(rows, before)
        return len(rows)

    async def stats(self, since: datetime, until: datetime) -> CaseStats:
        """Anonymous statistics of the cases opened in ``[since, until)``.

        Args:
            since: Start of the period, timezone-aware.
            until: End of the period (exclusive).

        Returns:
            Counts by place, topic and language and the median time to the first staff
            answer; anonymised cases count too.
        """
        query = select(
            CaseRow.place_id,
            CaseRow.topic,
            CaseRow.language,
            CaseRow.created_at,
            CaseRow.first_staff_reply_at,
        ).where(CaseRow.created_at >= since, CaseRow.created_at < until)
        facts = [
            CaseFacts(
                place_id=place,
                topic=topic,
                language=language,
                time_to_first_answer=first - created if first is not None else None,
            )
            for place, topic, language, created, first in (await self.db.execute(query)).all()
        ]
        return machine.summarize(facts)

    # -- rows --------------------------------------------------------------------------

    async def _require(self, case_id: int) -> Case:
        case = await self.get(case_id)
        if case is None:
            msg = f"no case with id {case_id}"
            raise CaseNotFoundError(msg)
        return case

    async def _write(self, case: Case) -> None:
        row = await self.db.get(CaseRow, case.id)
        if row is None:
            msg = f"no case with id {case.id}"
            raise CaseNotFoundError(msg)
        row.resident_channel = case.resident.channel
        row.resident_chat = case.resident.chat_id
        row.language = case.language
        row.quarter = case.quarter
        row.topic = case.topic
        row.place_id = case.place_id
        row.staff_chat_id = case.staff_chat_id
        row.topic_id = case.topic_id
        row.status = case.status.value
        row.answers = json.dumps([list(pair) for pair in case.answers], ensure_ascii=False)
        row.created_at = case.created_at
        row.updated_at = case.updated_at
        row.first_staff_reply_at = case.first_staff_reply_at
        row.closed_at = case.closed_at

    async def _anonymise(self, rows: Sequence[CaseRow], now: datetime) -> None:
        if not rows:
            return
        ids = [row.id for row in rows]
        await self.db.execute(delete(CaseMessageRow).where(CaseMessageRow.case_id.in_(ids)))
        for row in rows:
            # Cut the moments to the hour (as the events table does) but keep the time to
            # the first answer exact: the report needs it, and alone it points to nobody.
            opened = _hour(row.created_at)
            wait = (
                row.first_staff_reply_at - row.created_at
                if row.first_staff_reply_at is not None
                else None
            )
            closed = _hour(row.closed_at or now)
            row.resident_channel = None
            row.resident_chat = None
            row.answers = None
            row.topic_id = None
            row.status = CaseStatus.CLOSED.value
            row.created_at = opened
            row.first_staff_reply_at = opened + wait if wait is not None else None
            row.closed_at = max(closed, opened)
            row.updated_at = row.closed_at


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _case(row: CaseRow) -> Case | None:
    if row.resident_channel is None or row.resident_chat is None:
        return None
    answers = json.loads(row.answers) if row.answers else []
    return Case(
        id=row.id,
        number=row.number,
        resident=ResidentKey(row.resident_channel, row.resident_chat),
        language=row.language,
        quarter=row.quarter,
        topic=row.topic,
        place_id=row.place_id,
        staff_chat_id=row.staff_chat_id,
        topic_id=row.topic_id,
        status=CaseStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        first_staff_reply_at=row.first_staff_reply_at,
        closed_at=row.closed_at,
        answers=tuple((str(k), str(v)) for k, v in answers),
    )
