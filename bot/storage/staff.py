"""The staff console's records: one-time login links and the log of content edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.staff_tables import ContentChangeRow, LoginTokenRow


@dataclass(frozen=True)
class ContentChange:
    """One logged edit, as the console shows it."""

    id: int
    at: datetime
    who: str
    file: str
    key: str
    old: str
    new: str


class StaffStore:
    """Login tokens (by hash) and content changes, inside the caller's transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.db = session

    async def add_login_token(self, token_hash: str, user_id: int, expires_at: datetime) -> None:
        """Keep a new token's hash until it is used or expires."""
        self.db.add(LoginTokenRow(token_hash=token_hash, user_id=user_id, expires_at=expires_at))

    async def take_login_token(self, token_hash: str, now: datetime) -> int | None:
        """The user id of a valid token, which is used up now; None when unknown or expired.

        Expired tokens are removed on the way, so the table stays as small as the links
        staff asked for in the last minutes.
        """
        await self.db.execute(delete(LoginTokenRow).where(LoginTokenRow.expires_at <= now))
        deleted = await self.db.execute(
            delete(LoginTokenRow)
            .where(LoginTokenRow.token_hash == token_hash)
            .returning(LoginTokenRow.user_id)
        )
        return deleted.scalar_one_or_none()

    async def add_change(
        self, *, at: datetime, who: str, file: str, key: str, old: str, new: str
    ) -> None:
        """Append one edit to the log."""
        self.db.add(ContentChangeRow(at=at, who=who, file=file, key=key, old=old, new=new))

    async def changes(
        self, *, file: str | None = None, after_id: int = 0, limit: int = 50
    ) -> list[ContentChange]:
        """The newest edits first (of one file, and after an id, when given)."""
        query = select(ContentChangeRow).where(ContentChangeRow.id > after_id)
        if file is not None:
            query = query.where(ContentChangeRow.file == file)
        rows = await self.db.scalars(query.order_by(ContentChangeRow.id.desc()).limit(limit))
        return [
            ContentChange(row.id, row.at, row.who, row.file, row.key, row.old, row.new)
            for row in rows
        ]
