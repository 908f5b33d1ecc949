"""Repositories over one transaction: sessions, residents and statistics."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.replies import Analytics
from bot.core.session import Session
from bot.storage.cases import CaseStore
from bot.storage.tables import EventRow, OutboxRow, ProcessedUpdate, Resident, SessionRow


class SqlUnit:
    """Everything the conversation service reads and writes, inside one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def _resident(self, channel: str, external_id: str) -> Resident | None:
        query = select(Resident).where(
            Resident.channel == channel, Resident.external_id == external_id
        )
        return (await self.db.execute(query)).scalar_one_or_none()

    async def load_session(self, channel: str, external_id: str) -> Session | None:
        """The stored session of a resident, or None for someone new."""
        resident = await self._resident(channel, external_id)
        if resident is None:
            return None
        row = await self.db.get(SessionRow, resident.id)
        return Session.model_validate_json(row.data) if row else None

    async def save_session(
        self, channel: str, external_id: str, session: Session, now: datetime
    ) -> None:
        """Store a session, creating the resident on first contact."""
        resident = await self._resident(channel, external_id)
        if resident is None:
            resident = Resident(
                channel=channel, external_id=external_id, created_at=now, last_seen_at=now
            )
            self.db.add(resident)
            await self.db.flush()
        resident.last_seen_at = now
        row = await self.db.get(SessionRow, resident.id)
        values: dict[str, Any] = {
            "language": session.language,
            "flow": session.flow,
            "step": session.step,
            "flow_version": session.flow_version,
            "data": session.model_dump_json(),
            "updated_at": now,
        }
        if row is None:
            self.db.add(SessionRow(resident_id=resident.id, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)

    async def record(self, events: Sequence[Analytics], now: datetime) -> None:
        """Store anonymous statistics, the time cut to the hour."""
        hour = now.replace(minute=0, second=0, microsecond=0)
        for item in events:
            detail = ",".join(f"{k}={v}" for k, v in sorted(item.extra.items()))[:64] or None
            self.db.add(
                EventRow(
                    at=hour,
                    kind=item.kind,
                    flow=item.flow,
                    step=item.step,
                    topic=item.topic,
                    quarter=item.quarter,
                    language=item.language,
                    detail=detail,
                )
            )

    async def erase(self, channel: str, external_id: str) -> bool:
        """Delete a resident and everything linked to them; anonymous counts stay."""
        resident = await self._resident(channel, external_id)
        if resident is None:
            return False
        await self.db.execute(delete(SessionRow).where(SessionRow.resident_id == resident.id))
        await self.db.execute(delete(OutboxRow).where(OutboxRow.chat == external_id))
        await CaseStore(self.db).erase_resident(channel, external_id, datetime.now(UTC))
        await self.db.delete(resident)
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
        return len(ids)

    # -- exactly-once delivery ---------------------------------------------------------

    async def claim_update(self, update_id: int, now: datetime) -> bool:
        """Record an update as handled in this transaction; False when it already was."""
        if await self.db.get(ProcessedUpdate, update_id) is not None:
            return False
        self.db.add(ProcessedUpdate(update_id=update_id, processed_at=now))
        return True

    async def enqueue(self, chat: str, calls: Sequence[tuple[str, str]], now: datetime) -> None:
        """Queue Bot API calls (method, JSON payload) for a chat, in order."""
        for method, payload in calls:
            self.db.add(
                OutboxRow(chat=chat, method=method, payload=payload, created_at=now, attempts=0)
            )

    async def pending(self, limit: int = 500) -> list[tuple[int, str, str, str]]:
        """The oldest queued calls: (id, chat, method, payload)."""
        query = (
            select(OutboxRow.id, OutboxRow.chat, OutboxRow.method, OutboxRow.payload)
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return [tuple(row) for row in (await self.db.execute(query)).all()]  # type: ignore[misc]

    async def delivered(self, outbox_id: int) -> None:
        """Forget a call once made: its text does not stay in the database."""
        await self.db.execute(delete(OutboxRow).where(OutboxRow.id == outbox_id))

    async def failed_attempt(self, outbox_id: int) -> int:
        """Count a failed attempt; returns the number of attempts so far."""
        row = await self.db.get(OutboxRow, outbox_id)
        if row is None:
            return 0
        row.attempts += 1
        return row.attempts

    async def purge_processed(self, before: datetime) -> int:
        """Forget handled update ids older than Telegram keeps updates (24 h)."""
        result = await self.db.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
