"""The read-only pages: flows with their findings, open cases, statistics."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

from bot.core.replies import HandOff
from bot.handoff.cases import ResidentKey
from tests.integration.console.staff_console import Console


async def test_the_flows_page_lists_every_flow_and_draws_one(console: Console) -> None:
    await console.login()
    html = await (await console.client.get("/staff/flows?flow=housing")).text()
    assert "?flow=welcome" in html
    assert "Flow housing (flows/housing.yaml)" in html
    if shutil.which("dot") is None:
        assert "flowchart" in html
        return
    assert '<img class="flow" src="/staff/flows/housing.svg"' in html
    svg = await console.client.get("/staff/flows/housing.svg")
    assert svg.content_type == "image/svg+xml"
    assert "<svg" in await svg.text()
    assert (await console.client.get("/staff/flows/nothing.svg")).status == 404


async def test_a_broken_flow_is_marked(console: Console) -> None:
    await console.login()
    path = console.site / "flows" / "housing.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("next:", "next: nowhere_", 1), encoding="utf-8")
    html = await (await console.client.get("/staff/flows?flow=housing")).text()
    assert "Fehler" in html


async def test_open_cases_show_age_place_and_language_and_nothing_personal(
    console: Console,
) -> None:
    await console.login()
    empty = await (await console.client.get("/staff/cases")).text()
    assert "Keine offenen Fälle" in empty
    resident = ResidentKey("telegram", "777001")
    handoff = HandOff("kaisers", "meeting", (("name", "Amina"),), "Hilfe")
    opened = console.now - timedelta(days=3, hours=2)
    case, _ = await console.app.cases.open(
        resident, handoff, language="ar", quarter=None, at=opened
    )
    html = await (await console.client.get("/staff/cases")).text()
    assert case.number in html
    assert "3 Tagen" in html
    assert "KAISERS" in html
    assert "<td>ar</td>" in html
    assert "777001" not in html
    assert "Amina" not in html


async def test_the_statistics_page_shows_the_report(console: Console) -> None:
    await console.login()
    html = await (await console.client.get("/staff/stats?from=2026-11-01&to=2026-11-30")).text()
    assert "Zeitraum" in html
    assert "Gespräche begonnen" in html
    assert "„&lt;5“ heißt 1 bis 4" in html  # the report's "<5" rule, as the command prints it


@pytest.mark.parametrize("query", ["from=gestern", "from=2026-12-01&to=2026-11-01"])
async def test_a_bad_period_is_explained(console: Console, query: str) -> None:
    await console.login()
    response = await console.client.get(f"/staff/stats?{query}")
    assert response.status == 400
    assert "Datum" in await response.text() or "Anfang" in await response.text()
