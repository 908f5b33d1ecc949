"""A seeded anonymous event log and cases for the funder statistics (issue 13, point 5).

November 2026 in Hameln, with events just inside and just outside the month, written the
way the service writes them (``SqlUnit.record``, times cut to the hour) and cases opened
and answered through the case store.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.replies import Analytics
from bot.handoff.cases import CaseRequest, Direction, ResidentKey
from bot.report import FunderFigures
from bot.storage import Database
from bot.storage.cases import CaseStore

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)
NOVEMBER = ("2026-11-01", "2026-11-30")
FIRST_HOUR = datetime(2026, 11, 1, 0, 30, tzinfo=BERLIN)
"""Inside November; cut to 00:00, the very first moment of the month."""
LAST_HOUR = datetime(2026, 11, 30, 23, 30, tzinfo=BERLIN)
OUTSIDE = (
    datetime(2026, 10, 31, 23, 30, tzinfo=BERLIN),
    datetime(2026, 12, 1, 0, 10, tzinfo=BERLIN),
    datetime(2026, 10, 15, 12, 0, tzinfo=BERLIN),
)
ANSWER_MINUTES = (10, 20, 30, 40, 50)

REFERRALS = list(
    zip(
        ["letters"] * 7 + ["debts"] * 3 + ["housing"] * 6,
        ["suedstadt"] * 9 + ["nordstadt"] * 5 + [None] * 2,
        ["ar"] * 8 + ["uk"] * 6 + ["de"] * 2,
        strict=True,
    )
)
PLACES = ["kaisers"] * 10 + ["vhs"] * 6 + ["tafel"] * 2

NOVEMBER_FIGURES = FunderFigures(
    conversations=12,
    residents=9,
    consents=8,
    referrals=16,
    by_topic={"letters": 7, "debts": 3, "housing": 6},
    by_quarter={"suedstadt": 9, "nordstadt": 5, None: 2},
    by_language={"ar": 8, "uk": 6, "de": 2},
    by_place={"kaisers": 10, "vhs": 6, "tafel": 2},
    handoffs=6,
    answered=5,
    median_first_answer=timedelta(minutes=30),
)
"""What the seed holds for November 2026, exactly (before the "<5" rule)."""


def _events() -> list[tuple[datetime, Analytics]]:
    events = [(MONDAY_10, Analytics("start", language="ar")) for _ in range(10)]
    events += [(FIRST_HOUR, Analytics("start")), (LAST_HOUR, Analytics("start"))]
    events += [(at, Analytics("start")) for at in OUTSIDE]
    events += [(MONDAY_10, Analytics("first_contact", language="uk")) for _ in range(9)]
    events += [(MONDAY_10, Analytics("consent", language="uk")) for _ in range(8)]
    events += [
        (
            MONDAY_10,
            Analytics("refer", flow="f", topic=t, quarter=q, language=lang, extra={"count": "3"}),
        )
        for t, q, lang in REFERRALS
    ]
    events += [(MONDAY_10, Analytics("refer", topic="letters", extra={"count": "0"}))]
    events += [(OUTSIDE[1], Analytics("refer", topic="letters", extra={"count": "1"}))]
    events += [(MONDAY_10, Analytics("refer_place", extra={"place": p})) for p in PLACES]
    events += [(MONDAY_10, Analytics(kind, topic="letters")) for kind in ("handoff", "topic")]
    return events


async def seed(db: Database) -> None:
    """Write the November log and six November cases (five answered) plus one in October."""
    async with db.unit() as unit:
        for at, event in _events():
            await unit.record([event], at)
    openings = [MONDAY_10 + timedelta(minutes=i) for i in range(6)] + [OUTSIDE[2]]
    async with db.unit() as unit:
        store = CaseStore(unit.db)
        for number, opened in enumerate(openings):
            request = CaseRequest(
                resident=ResidentKey("telegram", str(1000 + number)),
                language="ar",
                quarter="suedstadt",
                topic="letters",
                place_id="kaisers",
                staff_chat_id=-1001,
                answers=(),
            )
            case, _ = await store.open_or_reuse(request, opened)
            if number < len(ANSWER_MINUTES) or opened == OUTSIDE[2]:
                minutes = ANSWER_MINUTES[number % len(ANSWER_MINUTES)]
                await store.add_message(
                    case.id,
                    direction=Direction.TO_RESIDENT,
                    text="Hallo",
                    now=opened + timedelta(minutes=minutes),
                )
