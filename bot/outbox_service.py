"""The outbox and its dead letters, for the channel's sender and for staff commands.

Calls are written to the outbox by the transactions that decide them (the conversation
and handoff services); this service reads them for sending, deletes what was sent, keeps
what could not be sent as dead letters, and queues those again on request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.storage import Database, Queued, held_chat
from bot.storage.store import HELD

__all__ = ["OutboxService", "Queued", "held_chat", "is_held"]


def is_held(chat: str) -> bool:
    """True for an outbox chat its channel fetches (the web chat): never sent to Telegram."""
    return HELD in chat


class OutboxService:
    """The outbox and the dead letters in the database; each method is one transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def on_queued(self, listener: Callable[[Sequence[Queued]], None]) -> None:
        """Tell ``listener`` about calls as soon as the transaction adding them commits."""
        self._db.on_queued(listener)

    async def pending(self, limit: int = 500) -> list[Queued]:
        """The oldest queued calls."""
        async with self._db.unit() as unit:
            return await unit.pending(limit)

    async def take_held(self, chat: str, after: int) -> list[Queued]:
        """Held calls of ``chat`` after ``after``, forgetting those up to it (fetched)."""
        async with self._db.unit() as unit:
            return await unit.take_held(chat, after)

    async def delivered(self, outbox_ids: Sequence[int]) -> None:
        """Forget calls once made: their texts do not stay in the database."""
        async with self._db.unit() as unit:
            await unit.delivered(outbox_ids)

    async def dead_letter(
        self, call: Queued, *, verdict: str, reason: str, attempts: int, now: datetime
    ) -> None:
        """Move a call that was not delivered to the dead letters, with the reason."""
        async with self._db.unit() as unit:
            await unit.dead_letter(
                call, verdict=verdict, reason=reason, attempts=attempts, now=now
            )

    async def requeue_dead_letters(self, verdict: str, now: datetime) -> list[Queued]:
        """Put the dead letters of ``verdict`` back into the outbox, in their order."""
        async with self._db.unit() as unit:
            return await unit.requeue_dead_letters(verdict, now)

    async def dead_letter_counts(self) -> dict[str, int]:
        """How many dead letters there are, by verdict."""
        async with self._db.unit() as unit:
            return await unit.dead_letter_counts()
