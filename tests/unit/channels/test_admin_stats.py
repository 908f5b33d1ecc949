"""Issue 13, point 5: ``/stats`` in the staff group gives the funder figures as text, the
same report as ``python -m bot stats``, with the "<5" rule (real SQLite, outbox read back)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from html import escape

import pytest
from fakes import make_engine
from stats_seed import BERLIN, MONDAY_10, seed

from bot.channels.telegram.admin import StaffAdmin
from bot.core.replies import Analytics
from bot.outbox_service import OutboxService
from bot.report import Names, Period, build_report
from bot.service import ConversationService
from bot.source import IssueList
from bot.storage import Database

STAFF_GROUP = -1001


@pytest.fixture
def admin(db: Database) -> StaffAdmin:
    async def reload() -> IssueList:
        return IssueList()

    service = ConversationService(make_engine(), db)
    return StaffAdmin(
        service, OutboxService(db), staff_chats=[STAFF_GROUP], staff_users=[], reload=reload
    )


async def answer(admin: StaffAdmin, text: str) -> str:
    """Send a staff command and read the reply back from the outbox."""
    await admin.on_command(update_id=1, chat_id=STAFF_GROUP, thread_id=7, text=text)
    [queued] = await admin.outbox.pending()
    params = json.loads(queued.payload)
    assert (queued.chat, params["message_thread_id"]) == (str(STAFF_GROUP), 7)
    return str(params["text"])


async def test_the_figures_of_a_month_with_the_rule_applied(
    admin: StaffAdmin, db: Database
) -> None:
    await seed(db)
    async with db.unit() as unit:  # a place with a name to escape: "Treff <Süd>"
        await unit.record([Analytics("refer_place", extra={"place": "treff"})] * 5, MONDAY_10)
    text = await answer(admin, "/stats 2026-11-01 2026-11-30")
    lines = text.splitlines()
    assert lines[:4] == [
        "📊 Statistik für Förderer",
        "Zeitraum: 01.11.2026 bis 30.11.2026",
        "",
        "Überblick",
    ]
    for expected in (
        "• Gespräche begonnen: 12",
        "• Neue Personen (erster Kontakt): 9",
        "• Verweise an Orte: 16",
        "• Übergaben an Mitarbeitende: 6",
        "• Erste Antwort nach (Median): 30 Min.",
        "• Brief vom Amt: 7",
        "• Schulden: &lt;5",
        "• Treff &lt;Süd&gt;: ≥5",
        "• tafel: &lt;5",
        "• Arabisch: 8",
        "Nicht zugestellt: 0 (mit /resend erneut senden), von Telegram abgelehnt: 0",
    ):
        assert expected in lines
    # The same report the command line prints, row for row.
    engine = admin.service.engine
    async with db.unit() as unit:
        november = Period(date(2026, 11, 1), date(2026, 11, 30))
        figures = await unit.funder_figures(*november.bounds(BERLIN))
    report = build_report(figures, november, engine.texts, Names.of(engine.directory))
    for section in report.sections:
        for row in section.rows:
            assert escape(f"• {row.label}: {row.text}", quote=False) in lines


async def test_an_empty_database_and_no_dates_give_zeros_for_the_last_30_days(
    admin: StaffAdmin,
) -> None:
    text = await answer(admin, "/stats")
    today = datetime.now(BERLIN).date()
    start = today - timedelta(days=29)
    assert f"Zeitraum: {start:%d.%m.%Y} bis {today:%d.%m.%Y}" in text
    assert "• Gespräche begonnen: 0" in text
    assert "• Erste Antwort nach (Median): –" in text
    assert text.count("• keine: 0") == 4


async def test_a_bad_date_gets_one_german_line_and_the_usage(admin: StaffAdmin) -> None:
    text = await answer(admin, "/stats 2026-02-30")
    assert text.splitlines() == [
        "Das Datum „2026-02-30“ verstehe ich nicht. Bitte so schreiben: 2026-03-31 "
        "(Jahr-Monat-Tag).",
        "So geht es: /stats oder /stats 2026-01-01 2026-03-31 (von, bis)",
    ]


async def test_too_many_arguments_get_the_usage(admin: StaffAdmin) -> None:
    assert await answer(admin, "/stats@lotse_bot a b c") == (
        "So geht es: /stats oder /stats 2026-01-01 2026-03-31 (von, bis)"
    )
