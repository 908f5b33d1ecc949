"""Repositories over one transaction: sessions, residents and statistics."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.replies import Analytics
from bot.core.session import Session
from bot.report import FunderFigures
from bot.storage.cases import CaseStore
from bot.storage.stats import funder_figures
from bot.storage.tables import (
    Base,
    DeadLetterRow,
    EventRow,
    InboxRow,
    OutboxRow,
    ProcessedUpdate,
    Resident,
    SessionRow,
)

SESSION_COLUMNS = ("language", "flow", "step", "flow_version", "data", "updated_at")


def _session_values(resident_id: int, session: Session, now: datetime) -> dict[str, Any]:
    return {
        "resident_id": resident_id,
        "language": session.language,
        "flow": session.flow,
        "step": session.step,
        "flow_version": session.flow_version,
        "data": session.model_dump_json(),
        "updated_at": now,
    }


def _table(model: type[Base]) -> Table:
    """The Core table of a mapped class: statements on it skip the ORM's bulk machinery,
    which costs more CPU than the database on the per-message path."""
    table = model.__table__
    assert isinstance(table, Table)  # noqa: S101 - every mapped class here has one table
    return table


RESIDENTS, SESSIONS, EVENTS, OUTBOX, PROCESSED, INBOX = map(
    _table, (Resident, SessionRow, EventRow, OutboxRow, ProcessedUpdate, InboxRow)
)
SEEN_AGAIN = (
    update(RESIDENTS)
    .where(RESIDENTS.c.id == bindparam("b_id"))
    .values(last_seen_at=bindparam("b_seen"))
)
SESSION_SAVED = (
    update(SESSIONS)
    .where(SESSIONS.c.resident_id == bindparam("b_resident_id"))
    .values({name: bindparam(f"b_{name}") for name in SESSION_COLUMNS})
)
"""Updates by key, executed once per row: Core names the parameters ``b_<column>``."""


SEEN_PRECISION = timedelta(hours=1)
"""How exactly ``last_seen_at`` is kept: it decides retention, which counts in days, so
it is written at most hourly instead of with every message (a statement saved per unit)."""


class _Known(NamedTuple):
    """A resident looked up in a unit of work."""

    id: int
    has_session: bool
    last_seen: datetime


def _seen_long_ago(last_seen: datetime, now: datetime) -> bool:
    """True when ``last_seen`` is not within ``SEEN_PRECISION`` of ``now``."""
    if last_seen.tzinfo is None:  # SQLite gives back the wall-clock time it was given
        now = now.replace(tzinfo=None)
    return abs(now - last_seen) >= SEEN_PRECISION


HELD = ":"
"""An outbox chat named ``<channel>:<id>`` is held for its channel to fetch (the web chat),
never sent to Telegram."""


def held_chat(channel: str, external_id: str) -> str:
    """The outbox chat whose calls wait until the resident's channel fetches them."""
    return f"{channel}{HELD}{external_id}"


class Queued(NamedTuple):
    """A Bot API call in the outbox."""

    id: int
    chat: str
    method: str
    payload: str


class SqlUnit:
    """Everything the conversation service reads and writes, inside one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.db = session
        self._known: dict[tuple[str, str], _Known] = {}
        """Residents looked up in this transaction."""
        self.queued: list[Queued] = []
        """Outbox calls added in this transaction (announced once it is committed)."""

    async def _resident(self, channel: str, external_id: str) -> Resident | None:
        query = select(Resident).where(
            Resident.channel == channel, Resident.external_id == external_id
        )
        return (await self.db.execute(query)).scalar_one_or_none()

    async def load_session(self, channel: str, external_id: str) -> Session | None:
        """The stored session of a resident, or None for someone new."""
        return (await self.load_sessions(channel, [external_id])).get(external_id)

    async def load_sessions(self, channel: str, external_ids: Sequence[str]) -> dict[str, Session]:
        """The stored sessions of several residents of a channel, by external id."""
        found = await self._find_residents(channel, external_ids, with_data=True)
        return {
            key: Session.model_validate_json(row.data)
            for key, row in found.items()
            if row.data is not None
        }

    async def _find_residents(
        self, channel: str, external_ids: Iterable[str], *, with_data: bool = False
    ) -> dict[str, Any]:
        """Rows (id, session_id, data) of known residents; remembered for a save.

        Without ``with_data`` only residents not looked up yet in this transaction are read.
        """
        wanted = [key for key in external_ids if with_data or (channel, key) not in self._known]
        if not wanted:
            return {}
        residents, sessions = RESIDENTS.c, SESSIONS.c
        columns = [
            residents.external_id,
            residents.id,
            residents.last_seen_at,
            sessions.resident_id.label("session_id"),
        ]
        if with_data:
            columns.append(sessions.data)
        query = select(*columns).outerjoin(SESSIONS, sessions.resident_id == residents.id)
        query = query.where(residents.channel == channel, residents.external_id.in_(wanted))
        found = {row.external_id: row for row in (await self.db.execute(query)).all()}
        for key, row in found.items():
            self._known[(channel, key)] = _Known(
                row.id, row.session_id is not None, row.last_seen_at
            )
        return found

    async def save_session(
        self, channel: str, external_id: str, session: Session, now: datetime
    ) -> None:
        """Store a session, creating the resident on first contact."""
        await self.save_sessions(channel, {external_id: session}, now)

    async def save_sessions(
        self, channel: str, sessions: Mapping[str, Session], now: datetime
    ) -> None:
        """Store several residents' sessions in a few statements (new residents created)."""
        await self._find_residents(channel, sessions)
        new = [key for key in sessions if (channel, key) not in self._known]
        if new:
            statement = insert(RESIDENTS).returning(
                RESIDENTS.c.external_id, RESIDENTS.c.id, sort_by_parameter_order=True
            )
            seen = {"channel": channel, "created_at": now, "last_seen_at": now}
            created = await self.db.execute(statement, [{**seen, "external_id": k} for k in new])
            for row in created:
                self._known[(channel, row.external_id)] = _Known(row.id, False, now)
        residents = {key: self._known[(channel, key)] for key in sessions}
        seen_again = {k for k, known in residents.items() if _seen_long_ago(known.last_seen, now)}
        if seen_again:
            rows_seen = [{"b_id": residents[key].id, "b_seen": now} for key in seen_again]
            await self.db.execute(SEEN_AGAIN, rows_seen)
        rows = [_session_values(known.id, sessions[key], now) for key, known in residents.items()]
        stored = [
            {f"b_{name}": value for name, value in row.items()}
            for row, known in zip(rows, residents.values(), strict=True)
            if known.has_session
        ]
        fresh = [
            row
            for row, known in zip(rows, residents.values(), strict=True)
            if not known.has_session
        ]
        if stored:
            await self.db.execute(SESSION_SAVED, stored)
        if fresh:
            await self.db.execute(insert(SESSIONS), fresh)
        for key, known in residents.items():
            last_seen = now if key in seen_again else known.last_seen
            self._known[(channel, key)] = _Known(known.id, True, last_seen)

    async def record(self, events: Sequence[Analytics], now: datetime) -> None:
        """Store anonymous statistics, the time cut to the hour."""
        if not events:
            return
        hour = now.replace(minute=0, second=0, microsecond=0)
        rows = [
            {
                "at": hour,
                "kind": item.kind,
                "flow": item.flow,
                "step": item.step,
                "topic": item.topic,
                "quarter": item.quarter,
                "language": item.language,
                "detail": ",".join(f"{k}={v}" for k, v in sorted(item.extra.items()))[:64] or None,
            }
            for item in events
        ]
        await self.db.execute(insert(EVENTS), rows)

    async def funder_figures(self, since: datetime, until: datetime) -> FunderFigures:
        """Anonymous counts of ``[since, until)`` for funders (bounds in the bot's zone)."""
        return await funder_figures(self.db, since, until)

    async def erase(self, channel: str, external_id: str) -> bool:
        """Delete a resident and everything linked to them; anonymous counts stay."""
        resident = await self._resident(channel, external_id)
        if resident is None:
            return False
        await self.db.execute(delete(SessionRow).where(SessionRow.resident_id == resident.id))
        chats = (external_id, held_chat(channel, external_id))
        await self.db.execute(delete(OutboxRow).where(OutboxRow.chat.in_(chats)))
        await self.db.execute(delete(DeadLetterRow).where(DeadLetterRow.chat == external_id))
        await CaseStore(self.db).erase_resident(channel, external_id, datetime.now(UTC))
        await self.db.delete(resident)
        self._known.pop((channel, external_id), None)
        return True

    async def export(self, channel: str, external_id: str) -> dict[str, Any] | None:
        """Everything stored about a resident, for a data access request."""
        resident = await self._resident(channel, external_id)
        if resident is None:
            return None
        row = await self.db.get(SessionRow, resident.id)
        return {
            "channel": resident.channel,
            "external_id": resident.external_id,
            "created_at": resident.created_at.isoformat(),
            "last_seen_at": resident.last_seen_at.isoformat(),
            "session": Session.model_validate_json(row.data).model_dump(mode="json")
            if row
            else None,
        }

    async def purge_sessions(self, before: datetime) -> int:
        """Delete residents not seen since ``before`` (retention); returns how many."""
        old = select(Resident.id).where(Resident.last_seen_at < before)
        ids = list((await self.db.execute(old)).scalars())
        if ids:
            await self.db.execute(delete(SessionRow).where(SessionRow.resident_id.in_(ids)))
            await self.db.execute(delete(Resident).where(Resident.id.in_(ids)))
            self._known.clear()
        return len(ids)

    # -- exactly-once delivery ---------------------------------------------------------

    async def claim_update(self, update_id: int, now: datetime) -> bool:
        """Record an update as handled in this transaction; False when it already was."""
        return bool(await self.claim_updates([update_id], now))

    async def claim_updates(self, update_ids: Sequence[int], now: datetime) -> set[int]:
        """Record updates as handled in this transaction; returns those not handled before."""
        if not update_ids:
            return set()
        statement = self._insert_new(PROCESSED).returning(PROCESSED.c.update_id)
        rows = [{"update_id": update_id, "processed_at": now} for update_id in update_ids]
        return set((await self.db.execute(statement, rows)).scalars())

    async def was_handled(self, update_id: int) -> bool:
        """True when the update was claimed before (a redelivery)."""
        return await self.db.get(ProcessedUpdate, update_id) is not None

    def _insert_new(self, table: Table) -> Any:
        """An INSERT that skips rows whose key is already there (SQLite and PostgreSQL)."""
        dialect = sqlite if self.db.get_bind().dialect.name == "sqlite" else postgresql
        return dialect.insert(table).on_conflict_do_nothing()

    async def keep_updates(self, updates: Sequence[tuple[int, str]], now: datetime) -> None:
        """Put fetched updates (id, JSON) into the inbox; ones already there are skipped."""
        if updates:
            rows = [
                {"update_id": i, "payload": payload, "received_at": now} for i, payload in updates
            ]
            await self.db.execute(self._insert_new(INBOX), rows)

    async def forget_updates(self, update_ids: Sequence[int]) -> None:
        """Take handled updates out of the inbox."""
        if update_ids:
            await self.db.execute(delete(INBOX).where(INBOX.c.update_id.in_(update_ids)))

    async def kept_updates(self) -> list[tuple[int, str]]:
        """The inbox in order: updates fetched before a crash and not handled yet."""
        query = select(INBOX.c.update_id, INBOX.c.payload).order_by(INBOX.c.update_id)
        return [(row.update_id, row.payload) for row in (await self.db.execute(query)).all()]

    async def enqueue(
        self, chat: str, calls: Sequence[tuple[str, str]], now: datetime
    ) -> list[Queued]:
        """Queue Bot API calls (method, JSON payload) for a chat, in order."""
        return await self.enqueue_many([(chat, calls)], now)

    async def enqueue_many(
        self, chats: Sequence[tuple[str, Sequence[tuple[str, str]]]], now: datetime
    ) -> list[Queued]:
        """Queue Bot API calls for several chats in one statement, in order."""
        wanted = [(chat, method, payload) for chat, calls in chats for method, payload in calls]
        if not wanted:
            return []
        rows = [
            {"chat": chat, "method": method, "payload": payload, "created_at": now}
            for chat, method, payload in wanted
        ]
        statement = insert(OUTBOX).returning(OUTBOX.c.id, sort_by_parameter_order=True)
        ids = (await self.db.execute(statement, rows)).scalars().all()
        queued = [Queued(i, *call) for i, call in zip(ids, wanted, strict=True)]
        self.queued.extend(queued)
        return queued

    async def pending(self, limit: int = 500) -> list[Queued]:
        """The oldest queued calls to send (held ones wait for their channel)."""
        query = (
            select(OutboxRow.id, OutboxRow.chat, OutboxRow.method, OutboxRow.payload)
            .where(OutboxRow.chat.not_like(f"%{HELD}%"))
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return [Queued(*row) for row in (await self.db.execute(query)).all()]

    async def take_held(self, chat: str, after: int, limit: int = 50) -> list[Queued]:
        """The held calls of ``chat`` after id ``after``; those up to it were fetched and
        are forgotten (so a reply lost on its way is fetched again)."""
        await self.db.execute(
            delete(OutboxRow).where(OutboxRow.chat == chat, OutboxRow.id <= after)
        )
        query = (
            select(OutboxRow.id, OutboxRow.chat, OutboxRow.method, OutboxRow.payload)
            .where(OutboxRow.chat == chat, OutboxRow.id > after)
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return [Queued(*row) for row in (await self.db.execute(query)).all()]

    async def purge_held(self, before: datetime) -> int:
        """Forget held calls nobody fetched within the retention period."""
        result = await self.db.execute(
            delete(OutboxRow).where(
                OutboxRow.chat.like(f"%{HELD}%"), OutboxRow.created_at < before
            )
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def delivered(self, outbox_ids: Sequence[int]) -> None:
        """Forget calls once made: their texts do not stay in the database."""
        if outbox_ids:
            await self.db.execute(delete(OUTBOX).where(OUTBOX.c.id.in_(outbox_ids)))

    # -- dead letters ------------------------------------------------------------------

    async def dead_letter(
        self, call: Queued, *, verdict: str, reason: str, attempts: int, now: datetime
    ) -> None:
        """Move an outbox call that was not delivered to the dead letters, with the reason."""
        row = {
            "chat": call.chat,
            "method": call.method,
            "payload": call.payload,
            "verdict": verdict,
            "reason": reason[:256],
            "attempts": attempts,
            "created_at": now,
            "failed_at": now,
        }
        await self.db.execute(insert(DeadLetterRow), [row])
        await self.db.execute(delete(OutboxRow).where(OutboxRow.id == call.id))

    async def requeue_dead_letters(self, verdict: str, now: datetime) -> list[Queued]:
        """Put dead letters of ``verdict`` back into the outbox, in their order."""
        query = (
            select(
                DeadLetterRow.id, DeadLetterRow.chat, DeadLetterRow.method, DeadLetterRow.payload
            )
            .where(DeadLetterRow.verdict == verdict)
            .order_by(DeadLetterRow.id)
        )
        rows = (await self.db.execute(query)).all()
        if not rows:
            return []
        await self.db.execute(
            delete(DeadLetterRow).where(DeadLetterRow.id.in_([r.id for r in rows]))
        )
        return await self.enqueue_many([(r.chat, [(r.method, r.payload)]) for r in rows], now)

    async def dead_letter_counts(self) -> dict[str, int]:
        """How many dead letters there are, by verdict."""
        query = select(DeadLetterRow.verdict, func.count()).group_by(DeadLetterRow.verdict)
        return {verdict: int(count) for verdict, count in (await self.db.execute(query)).all()}

    async def purge_dead_letters(self, before: datetime) -> int:
        """Forget dead letters older than the retention period (they hold message texts)."""
        result = await self.db.execute(
            delete(DeadLetterRow).where(DeadLetterRow.failed_at < before)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def purge_processed(self, before: datetime) -> int:
        """Forget handled update ids older than Telegram keeps updates (24 h)."""
        result = await self.db.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
