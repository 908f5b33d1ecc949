"""Tables of the handoff: cases and their messages (migration 0003).

After erasure or retention a case row stays without resident, answers, topic or messages:
an anonymous count for funder reports.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware time stored as UTC.

    SQLite keeps a ``DateTime`` as wall-clock text and drops the offset, so 10:00 Berlin
    and 10:00 UTC would compare equal; storing UTC everywhere keeps comparisons right and
    gives back aware values on SQLite as on PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to UTC; a naive time is refused (its meaning is unknown)."""
        del dialect
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "times stored in cases must be timezone-aware"
            raise ValueError(msg)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Give back an aware UTC time (SQLite returns it naive)."""
        del dialect
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class CaseRow(Base):
    """One handoff. ``resident_*`` is NULL once the case is anonymised."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_cases_year_seq"),
        Index("ix_cases_resident", "resident_channel", "resident_chat", "status"),
        Index("ix_cases_topic", "staff_chat_id", "topic_id"),
        Index("ix_cases_created_at", "created_at"),
        Index("ix_cases_status_closed_at", "status", "closed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    resident_channel: Mapped[str | None] = mapped_column(String(32))
    resident_chat: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    quarter: Mapped[str | None] = mapped_column(String(32))
    topic: Mapped[str | None] = mapped_column(String(32))
    place_id: Mapped[str | None] = mapped_column(String(64))
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    topic_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    answers: Mapped[str | None] = mapped_column(Text)
    """The flow answers as JSON [[variable, value], ...]; NULL once anonymised."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    first_staff_reply_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CaseMessageRow(Base):
    """One relayed message or staff note; kept so a transfer can repost the history."""

    __tablename__ = "case_messages"
    __table_args__ = (Index("ix_case_messages_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    resident_message_id: Mapped[int | None] = mapped_column(BigInteger)
    staff_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
