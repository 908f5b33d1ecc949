"""Counting the anonymous event log and the cases of a period for funders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.report import FunderFigures
from bot.storage.cases import CaseStore
from bot.storage.tables import EventRow

# Event kinds the engine notes (bot/core) that the report counts.
START, FIRST_CONTACT, CONSENT = "start", "first_contact", "consent"
REFER, REFER_PLACE = "refer", "refer_place"
NO_PLACE_FOUND = "count=0"
"""The detail of a ``refer`` event whose search found nothing: not a referral."""
PLACE_DETAIL = "place="
"""The detail of a ``refer_place`` event starts with this, then the place id."""


async def funder_figures(db: AsyncSession, since: datetime, until: datetime) -> FunderFigures:
    """Exact counts of the events and cases in ``[since, until)``.

    Args:
        db: The session of a unit of work.
        since: Start of the period, timezone-aware in the bot's time zone. Event times are
            stored as the bot's wall clock on SQLite, so the bounds must be too.
        until: End of the period (exclusive).

    Returns:
        The figures; all zero (never an error) for an empty database.
    """
    when = (EventRow.at >= since, EventRow.at < until)
    kinds_query = (
        select(EventRow.kind, func.count())
        .where(*when, EventRow.kind.in_((START, FIRST_CONTACT, CONSENT)))
        .group_by(EventRow.kind)
    )
    kinds: dict[str, int] = {kind: n for kind, n in (await db.execute(kinds_query)).all()}
    referred = (*when, EventRow.kind == REFER, EventRow.detail.is_distinct_from(NO_PLACE_FOUND))
    places = await _count_by(db, EventRow.detail, *when, EventRow.kind == REFER_PLACE)
    cases = await CaseStore(db).stats(since, until)
    return FunderFigures(
        conversations=kinds.get(START, 0),
        residents=kinds.get(FIRST_CONTACT, 0),
        consents=kinds.get(CONSENT, 0),
        referrals=sum((await _count_by(db, EventRow.kind, *referred)).values()),
        by_topic=await _count_by(db, EventRow.topic, *referred),
        by_quarter=await _count_by(db, EventRow.quarter, *referred),
        by_language=await _count_by(db, EventRow.language, *referred),
        by_place={
            detail.removeprefix(PLACE_DETAIL): n
            for detail, n in places.items()
            if detail and detail.startswith(PLACE_DETAIL)
        },
        handoffs=cases.cases,
        answered=cases.answered,
        median_first_answer=cases.median_first_answer,
    )


async def _count_by(
    db: AsyncSession, column: InstrumentedAttribute[Any], *conditions: ColumnElement[bool]
) -> dict[Any, int]:
    query = select(column, func.count()).where(*conditions).group_by(column)
    return {value: int(n) for value, n in (await db.execute(query)).all()}
