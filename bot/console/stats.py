"""The statistics page: the report of ``python -m bot stats`` (bot/report) for a period, as
tables and a bar chart, under the same "<5" rule: counts the report hides get no bar."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from bot.console.html import esc, labelled, notice, table
from bot.console.pages import Pages
from bot.report import Names, PeriodError, Report, Section, build_report, parse_period
from bot.report.layout import PREFIX


def routes(app: web.Application, pages: Pages) -> None:
    """Add the statistics page."""
    view = StatsPage(pages)
    app.router.add_get("/stats", view.index)


class StatsPage:
    """The funder figures of a period."""

    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.t = pages.t

    async def index(self, request: web.Request) -> web.Response:
        """The report for ``from`` and ``to`` (default: the last 30 days)."""
        t = self.t
        engine = self.pages.deps.app.service.engine
        start = request.query.get("from") or None
        end = request.query.get("to") or None
        body = self._period_form(start or "", end or "")
        try:
            period = parse_period(start, end, datetime.now(engine.tz).date())
        except PeriodError as exc:
            body += notice(t(PREFIX + exc.key, **exc.params), "error")
            return self.pages.render(request, t("console.stats.title"), body, 400)
        figures = await self.pages.deps.app.service.funder_figures(*period.bounds(engine.tz))
        report = build_report(figures, period, engine.texts, Names.of(engine.directory))
        body += self._report(report)
        return self.pages.render(request, t("console.stats.title"), body)

    def _period_form(self, start: str, end: str) -> str:
        t = self.t
        fields = labelled(t("console.stats.from"), _date("from", start))
        fields += labelled(t("console.stats.to"), _date("to", end))
        button = f"<button>{esc(t('console.texts.show'))}</button>"
        return f'<form method="get" class="filters">{fields}{button}</form>'

    def _report(self, report: Report) -> str:
        html = f"<p>{esc(report.period_line)}</p>"
        for section in report.sections:
            rows = [[esc(row.label), esc(row.text)] for row in section.rows]
            html += f"<h2>{esc(section.title)}</h2>" + table(["", ""], rows, css="figures")
            html += _chart(section)
        return html + f'<p class="rule">{esc(report.rule)}</p>'


def _chart(section: Section) -> str:
    """Bars for the exact counts of a breakdown; hidden counts ("<5", "≥5") stay words."""
    counted = [row for row in section.rows if row.count]
    if section.key == "overview":  # different measures: no common scale
        return ""
    if len(counted) < 2:
        return ""
    top = max(row.count or 0 for row in counted)
    bars = "".join(
        f'<div class="bar"><span>{esc(row.label)}</span>'
        f'<meter min="0" max="{top}" value="{row.count}">{esc(row.text)}</meter>'
        f"<span>{esc(row.text)}</span></div>"
        for row in counted
    )
    return f'<div class="chart" aria-hidden="true">{bars}</div>'


def _date(name: str, value: str) -> str:
    return f'<input type="date" name="{esc(name)}" value="{esc(value)}">'
