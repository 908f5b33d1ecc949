"""Tables of the staff console (migration 0007): one-time login links and the edit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.case_tables import UtcDateTime
from bot.storage.tables import Base


class LoginTokenRow(Base):
    """A one-time login link; only the SHA-256 of its token is stored, never the token."""

    __tablename__ = "login_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class ContentChangeRow(Base):
    """One edit made in the staff console: who, when, which file and key, old and new."""

    __tablename__ = "content_changes"
    __table_args__ = (Index("ix_content_changes_file", "file", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    who: Mapped[str] = mapped_column(String(128))
    file: Mapped[str] = mapped_column(String(256))
    key: Mapped[str] = mapped_column(String(256))
    old: Mapped[str] = mapped_column(Text)
    new: Mapped[str] = mapped_column(Text)
