"""Tables. Keep them minimal: privacy by default means storing only what the bot needs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (so migrations stay portable)."""

    metadata = MetaData(naming_convention=NAMING)


class Resident(Base):
    """A person on a channel. ``external_id`` is the channel's chat id: needed to answer."""

    __tablename__ = "residents"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SessionRow(Base):
    """The conversation state of a resident, as the engine's JSON."""

    __tablename__ = "sessions"

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str | None] = mapped_column(String(8))
    flow: Mapped[str | None] = mapped_column(String(64))
    step: Mapped[str | None] = mapped_column(String(64))
    flow_version: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EventRow(Base):
    """Anonymous statistics: what happened, never who or what they wrote.

    The time is cut to the hour so that events cannot be linked to a person's messages.
    """

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_at_kind", "at", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(32))
    flow: Mapped[str | None] = mapped_column(String(64))
    step: Mapped[str | None] = mapped_column(String(64))
    topic: Mapped[str | None] = mapped_column(String(32))
    quarter: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))
    detail: Mapped[str | None] = mapped_column(String(64))


class ProcessedUpdate(Base):
    """An update id handled and committed: a redelivered update is skipped."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InboxRow(Base):
    """An update fetched by long polling and not yet handled, as Telegram's JSON.

    Kept so that Telegram can be told at once that it arrived (the next ``getUpdates``
    then returns only new updates); after a crash the inbox is handled first. Deleted
    once handled, so texts do not linger in the database.
    """

    __tablename__ = "inbox"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxRow(Base):
    """A Bot API call decided in the same transaction as the session change, not yet made.

    Deleted as soon as the call succeeds, so texts do not linger in the database.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_chat", "chat", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DeadLetterRow(Base):
    """An outbox call that was not delivered: refused for good, or retried until the horizon.

    Undelivered calls go back to the outbox on the next start or with ``/resend``; refusals
    (the resident blocked the bot, chat not found) stay, with Telegram's reason.
    """

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat: Mapped[str] = mapped_column(String(64), index=True)
    method: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(16))
    """``undelivered`` (retries exhausted) or ``refused`` (a permanent error)."""
    reason: Mapped[str] = mapped_column(String(256))
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
