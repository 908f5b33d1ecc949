"""The preview: the web chat over a draft content set, before anything is saved.

A draft is the content on disk with one edit applied, validated by the same loader, run by
its own engine on an in-memory database; the page is the residents' web chat (WebChat)
under ``/staff/preview/<draft>/``. Only the newest few drafts are kept.
"""

from __future__ import annotations

import asyncio
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from aiohttp import web

from bot.app import preview_service
from bot.channels.web import WebChat
from bot.config import Settings
from bot.console.drafts import draft_settings
from bot.console.html import esc, notice
from bot.console.pages import Pages
from bot.content import Content, load_content
from bot.source import Issue

KEEP = 10
"""Drafts kept at once; the oldest one's chat ends when an eleventh starts."""
PREVIEW_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""The chat page needs its script and its API; nothing else."""


class Closable(Protocol):
    """The draft's database: closed when the draft ends."""

    async def close(self) -> None:
        """Release it."""


@dataclass
class Preview:
    """One draft's chat and what it runs on."""

    chat: WebChat
    db: Closable
    language: str


def _draft_content(settings: Settings, changed: dict[Path, str]) -> Content:
    with draft_settings(settings, changed) as draft:
        return load_content(draft)


class Previews:
    """The drafts being previewed, by random id."""

    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self._drafts: OrderedDict[str, Preview] = OrderedDict()

    def routes(self, app: web.Application) -> None:
        """Add the preview's page and API; close the drafts with the app."""
        app.router.add_get("/preview/{draft}/", self.page)
        app.router.add_post("/preview/{draft}/api/event", self.event)
        app.router.add_get("/preview/{draft}/api/messages", self.messages)
        app.on_cleanup.append(self._close_all)

    async def start(self, path: Path, text: str, language: str) -> tuple[str | None, list[Issue]]:
        """A preview of the content with ``path`` replaced by ``text``: its id, or the
        errors that stop the draft from running."""
        settings = self.pages.deps.app.settings
        content = await asyncio.to_thread(_draft_content, settings, {path: text})
        if not content.ok:
            return None, list(content.issues.errors)
        service, db = await preview_service(settings, content)
        draft = secrets.token_urlsafe(12)
        base = self.pages.deps.base
        chat = WebChat(
            service,
            secret=secrets.token_bytes(32),
            api=f"{base}/preview/{draft}/api",
            cookie="lotse_preview",
            secure=self.pages.deps.secure,
            timezone=settings.timezone,
            default_language=language,
        )
        self._drafts[draft] = Preview(chat, db, language)
        while len(self._drafts) > KEEP:
            _, oldest = self._drafts.popitem(last=False)
            await oldest.db.close()
        return draft, []

    def ready(self, draft: str, language: str) -> str:
        """The notice that a draft runs, with the link that opens its chat."""
        link = f"{self.pages.deps.base}/preview/{draft}/?lang={language}"
        label = esc(self.pages.t("console.preview.open"))
        opened = f'<a href="{esc(link)}" target="_blank" rel="noopener">{label}</a>'
        return notice(self.pages.t("console.preview.ready"), "ok") + f"<p>{opened}</p>"

    def _find(self, request: web.Request) -> tuple[Preview, web.Request]:
        """The draft of a request, and the request in the preview's language."""
        preview = self._drafts.get(request.match_info["draft"])
        if preview is None:
            raise web.HTTPNotFound(text=self.pages.t("console.preview.gone"))
        chosen = request.query.get("lang", "")
        if chosen in self.pages.deps.app.settings.languages:
            preview.language = chosen
        headers = {**request.headers, "Accept-Language": preview.language}
        return preview, request.clone(headers=headers)

    async def page(self, request: web.Request) -> web.Response:
        """The chat page of a draft."""
        preview, request = self._find(request)
        response = await preview.chat.page(request)
        response.headers["Content-Security-Policy"] = PREVIEW_CSP
        return response

    async def event(self, request: web.Request) -> web.Response:
        """One action in a draft's chat."""
        preview, request = self._find(request)
        return await preview.chat.event(request)

    async def messages(self, request: web.Request) -> web.Response:
        """Staff replies in a draft's chat (there are none: nobody reads it)."""
        preview, request = self._find(request)
        return await preview.chat.messages(request)

    async def _close_all(self, app: web.Application) -> None:
        del app
        while self._drafts:
            _, preview = self._drafts.popitem()
            await preview.db.close()
