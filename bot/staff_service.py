"""The staff console's use cases over storage: one-time login links and the edit log.

A login link carries a random token; only its SHA-256 is stored, for ten minutes, and the
first use removes it. The edit log keeps who changed which text or place, when, from what
to what, in the database next to the cases (backed up with them, readable in the console).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from bot.storage import Database
from bot.storage.staff import ContentChange, StaffStore

__all__ = ["LOGIN_LINK_VALID", "ContentChange", "StaffService"]

LOGIN_LINK_VALID = timedelta(minutes=10)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class StaffService:
    """Login tokens and the change log, each call in its own transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def new_login_token(self, user_id: int, now: datetime) -> str:
        """A fresh single-use token for ``user_id``, valid for :data:`LOGIN_LINK_VALID`."""
        token = secrets.token_urlsafe(32)
        async with self._db.unit() as unit:
            await StaffStore(unit.db).add_login_token(
                _digest(token), user_id, now + LOGIN_LINK_VALID
            )
        return token

    async def redeem_login_token(self, token: str, now: datetime) -> int | None:
        """The staff user id of a valid token (used up now), else None."""
        async with self._db.unit() as unit:
            return await StaffStore(unit.db).take_login_token(_digest(token), now)

    async def log_change(
        self, *, at: datetime, who: str, file: str, key: str, old: str, new: str
    ) -> None:
        """Append one edit to the change log."""
        async with self._db.unit() as unit:
            await StaffStore(unit.db).add_change(
                at=at, who=who, file=file, key=key, old=old, new=new
            )

    async def changes(
        self, *, file: str | None = None, after_id: int = 0, limit: int = 50
    ) -> list[ContentChange]:
        """The newest edits first, of one file and after a known id when given."""
        async with self._db.unit() as unit:
            return await StaffStore(unit.db).changes(file=file, after_id=after_id, limit=limit)
