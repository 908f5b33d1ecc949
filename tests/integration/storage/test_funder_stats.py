"""Issue 13, point 5: funder figures from the anonymous event log and the cases, on SQLite
and on PostgreSQL when it answers."""

from __future__ import annotations

from datetime import date

from fakes import make_engine
from stats_seed import BERLIN, MONDAY_10, NOVEMBER_FIGURES, seed

from bot.core.events import Button, Start
from bot.core.replies import Ask
from bot.report import FunderFigures, Period
from bot.service import ConversationService
from bot.storage import Database

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


async def figures(db: Database, period: Period) -> FunderFigures:
    async with db.unit() as unit:
        return await unit.funder_figures(*period.bounds(BERLIN))


async def test_every_figure_of_the_seeded_month(db: Database) -> None:
    await seed(db)
    assert await figures(db, NOVEMBER) == NOVEMBER_FIGURES


async def test_the_period_starts_and_ends_at_midnight_in_hameln(db: Database) -> None:
    await seed(db)
    first = await figures(db, Period(date(2026, 11, 1), date(2026, 11, 1)))
    last = await figures(db, Period(date(2026, 11, 30), date(2026, 11, 30)))
    october = await figures(db, Period(date(2026, 10, 1), date(2026, 10, 31)))
    assert (first.conversations, last.conversations, october.conversations) == (1, 1, 2)
    assert (october.handoffs, october.answered) == (1, 1)
    assert (first.referrals, first.handoffs) == (0, 0)


async def test_an_empty_database_gives_zeros(db: Database) -> None:
    assert await figures(db, NOVEMBER) == FunderFigures()


async def test_what_the_engine_notes_is_what_the_report_counts(db: Database) -> None:
    """A real conversation through the service: new resident, consent, one referral."""
    service = ConversationService(make_engine(), db)
    outcome = await service.handle(
        "test", "1", Start(at=MONDAY_10, payload="", language_hint="de")
    )
    for option in ("de", "agree", "letter", "jobcenter"):  # the referral shows the treff
        assert outcome is not None
        step = [reply for reply in outcome.replies if isinstance(reply, Ask)][-1].step
        outcome = await service.handle("test", "1", Button(at=MONDAY_10, step=step, option=option))
    assert await figures(db, NOVEMBER) == FunderFigures(
        conversations=1,
        residents=1,
        consents=1,
        referrals=1,
        by_topic={"letters": 1},
        by_quarter={None: 1},
        by_language={"de": 1},
        by_place={"treff": 1},
    )
