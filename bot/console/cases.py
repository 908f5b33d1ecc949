"""The cases page: open cases with their age, place and language; read-only (answering
stays in the staff group's forum topic)."""

from __future__ import annotations

from aiohttp import web

from bot.console.html import esc, table
from bot.console.pages import Pages


def routes(app: web.Application, pages: Pages) -> None:
    """Add the cases page."""
    view = CasesPage(pages)
    app.router.add_get("/cases", view.index)


class CasesPage:
    """The list of open cases."""

    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.t = pages.t

    def _age(self, hours: int) -> str:
        if hours < 48:
            return self.t("console.cases.hours", hours=hours)
        return self.t("console.cases.days", days=hours // 24)

    async def index(self, request: web.Request) -> web.Response:
        """Open cases, the oldest first; no names, no messages."""
        t = self.t
        now = self.pages.deps.clock()
        directory = self.pages.content.directory
        rows = []
        for case in await self.pages.deps.app.cases.open_cases():
            place = directory.place(case.place_id) if directory and case.place_id else None
            hours = int((now - case.created_at).total_seconds() // 3600)
            rows.append(
                [
                    esc(case.number),
                    esc(self._age(hours)),
                    esc(place.name if place else t("console.cases.no_place")),
                    esc(case.language),
                    esc(t(f"console.cases.status_{case.status.value}")),
                    esc(t("console.cases.waiting") if not case.delivered else ""),
                ]
            )
        keys = ("number", "age", "place", "language", "status", "note")
        headers = [t(f"console.cases.{key}") for key in keys]
        body = f"<p>{esc(t('console.cases.read_only'))}</p>"
        body += table(headers, rows) if rows else f"<p>{esc(t('console.cases.none'))}</p>"
        return self.pages.render(request, t("console.cases.title"), body)
