"""What every page shares: the dependencies, German texts, the session and the frame."""

from __future__ import annotations

from aiohttp import web

from bot.console.auth import Signer, StaffSession
from bot.console.deps import ConsoleDeps
from bot.console.editor import Editor, Saved
from bot.console.html import esc, issue_list, notice, page, table
from bot.content import Content
from bot.staff_service import ContentChange

SESSION = web.RequestKey("lotse_staff_session", StaffSession)
"""Where the guard puts the request's :class:`StaffSession`."""


class Pages:
    """Rendering helpers over the running app."""

    def __init__(self, deps: ConsoleDeps, signer: Signer) -> None:
        self.deps = deps
        self.signer = signer
        self.editor = Editor(deps.app.settings, deps.app.staff, deps.reload)

    @property
    def content(self) -> Content:
        """The content the bot runs on now (it changes with every reload)."""
        return self.deps.app.content

    def t(self, key: str, /, **params: object) -> str:
        """A German console text."""
        return self.content.texts.text("de", key, **params)

    def csrf(self, request: web.Request) -> str:
        """The CSRF token for forms on this request's page."""
        return self.signer.csrf(self.session(request))

    @staticmethod
    def session(request: web.Request) -> StaffSession:
        """The logged-in staff member of a request that passed the guard."""
        return request[SESSION]

    def render(
        self, request: web.Request, title: str, body: str, status: int = 200
    ) -> web.Response:
        """A page of the console for the logged-in staff member."""
        html = page(self.t, self.deps.base, title, body, csrf=self.csrf(request))
        return web.Response(text=html, content_type="text/html", status=status)

    async def home(self, request: web.Request) -> web.Response:
        """The console starts with the texts."""
        del request
        raise web.HTTPSeeOther(f"{self.deps.base}/texts")

    async def newest_change(self) -> int:
        """The id of the newest logged edit (0 without any): a form remembers it, so that
        a conflict can show what others changed since."""
        newest = await self.deps.app.staff.changes(limit=1)
        return newest[0].id if newest else 0

    def change_rows(self, changes: list[ContentChange]) -> str:
        """The change log as a table: when, who, key, old → new."""
        if not changes:
            return ""
        t = self.t
        body = [
            [
                esc(c.at.strftime("%d.%m.%Y %H:%M")),
                esc(c.who),
                f"<code>{esc(c.key)}</code>",
                f"<del>{esc(c.old)}</del> → <ins>{esc(c.new)}</ins>",
            ]
            for c in changes
        ]
        keys = ("when", "who", "key", "change")
        headers = [t(f"console.log.{key}") for key in keys]
        return f"<h2>{esc(t('console.log.title'))}</h2>" + table(headers, body)

    def refusal(self, saved: Saved) -> tuple[str, int]:
        """Why a save was refused, and the HTTP status: 409 conflict, 422 invalid."""
        if saved.conflict is not None:
            others = self.change_rows(saved.conflict)
            key = "console.edit.conflict" if others else "console.edit.conflict_outside"
            return notice(self.t(key), "error") + others, 409
        lines = [str(issue) for issue in saved.errors]
        text = self.t("console.edit.invalid", errors=len(lines))
        return notice(text, "error") + issue_list(lines), 422


def number(value: object) -> int:
    """A posted whole number; 0 when it is none."""
    try:
        return int(str(value))
    except ValueError:
        return 0


CONSOLE = web.AppKey("console", Pages)
