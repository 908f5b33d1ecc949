"""The console as an aiohttp application: security headers, login, session and CSRF checks
around the pages, which live in their own modules.

Mount it with ``parent.add_subapp("/staff", create_console(deps))``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from bot.console import cases, flows, places, stats, texts
from bot.console.auth import (
    SESSION_HOURS,
    AttemptLimit,
    Signer,
    TelegramUser,
    check_telegram_login,
)
from bot.console.deps import ConsoleDeps
from bot.console.html import Texts, esc, hidden, notice, page
from bot.console.pages import CONSOLE, SESSION, Pages
from bot.console.preview import Previews
from bot.console.yamlfile import YamlFileError

log = logging.getLogger("bot.console")
COOKIE = "lotse_staff"
STATIC = Path(__file__).parent / "static"
OPEN_PATHS = ("/login", "/static/")
"""Paths reachable without a session: the login itself and the stylesheet."""
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
LOGIN_CSP = (
    "default-src 'none'; style-src 'self'; "
    "img-src 'self' data: https://t.me https://telegram.org; "
    "script-src https://telegram.org; frame-src https://oauth.telegram.org; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""Only the login page loads Telegram's widget script (and its frame)."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def create_console(deps: ConsoleDeps) -> web.Application:
    """The staff console; every page but the login needs a staff session."""
    pages = Pages(deps, Signer(deps.web_secret))
    app = web.Application(middlewares=[_headers, _guard])
    app[CONSOLE] = pages
    login = Login(pages, AttemptLimit())
    app.router.add_get("/", pages.home)
    app.router.add_get("/login", login.form)
    app.router.add_get("/login/telegram", login.telegram)
    app.router.add_get("/login/link", login.link_form)
    app.router.add_post("/login/link", login.link)
    app.router.add_post("/logout", login.logout)
    app.router.add_static("/static/", STATIC)
    previews = Previews(pages)
    previews.routes(app)
    texts.routes(app, pages, previews)
    places.routes(app, pages, previews)
    flows.routes(app, pages)
    cases.routes(app, pages)
    stats.routes(app, pages)
    return app


@web.middleware
async def _headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Security headers on every answer, errors included."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = exc
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    if request.app[CONSOLE].deps.secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    if isinstance(response, web.HTTPException):
        raise response
    return response


@web.middleware
async def _guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """No page without a session; no POST without the session's CSRF token."""
    pages: Pages = request.app[CONSOLE]
    relative = request.path.removeprefix(pages.deps.base) or "/"
    if relative.startswith(OPEN_PATHS):
        return await handler(request)
    session = pages.signer.session(request.cookies.get(COOKIE), pages.deps.clock())
    if session is None:
        raise web.HTTPSeeOther(f"{pages.deps.base}/login")
    request[SESSION] = session
    if request.method == "POST" and not _preview_api(relative, request):
        posted = await request.post()
        if posted.get("csrf") != pages.signer.csrf(session):
            log.warning("console: a form without a valid CSRF token was refused")
            raise web.HTTPForbidden(text=pages.t("console.login.csrf"))
    try:
        return await handler(request)
    except YamlFileError as exc:  # broken by hand: say where, change nothing
        body = notice(pages.t("console.edit.broken_file", error=str(exc)), "error")
        return pages.render(request, pages.t("console.edit.broken_title"), body, 409)


def _preview_api(relative: str, request: web.Request) -> bool:
    """The preview chat's JSON requests carry no form token: a page of another site can
    send JSON only after a CORS preflight, which the console never grants, and the
    session cookie is SameSite=Strict."""
    return relative.startswith("/preview/") and request.content_type == "application/json"


class Login:
    """Telegram Login, the one-time link and logout."""

    def __init__(self, pages: Pages, limit: AttemptLimit) -> None:
        self.pages = pages
        self.deps = pages.deps
        self.limit = limit

    @property
    def t(self) -> Texts:
        return self.pages.t

    async def form(self, request: web.Request) -> web.Response:
        """The login page: the widget (with a public https address) and the /login hint."""
        del request
        return self._page(self._widget())

    def _widget(self) -> str:
        username = self.deps.app.settings.telegram.username
        if not (self.deps.public_url and username):
            return notice(self.t("console.login.no_widget"))
        auth = esc(self.deps.link("/login/telegram"))
        return (
            '<script async src="https://telegram.org/js/telegram-widget.js?22" '
            f'data-telegram-login="{esc(username)}" data-size="large" '
            f'data-auth-url="{auth}"></script>'
        )

    def _page(self, body: str, status: int = 200) -> web.Response:
        hint = f"<p>{esc(self.t('console.login.link_hint'))}</p>"
        html = page(self.t, self.deps.base, self.t("console.login.title"), body + hint)
        response = web.Response(text=html, content_type="text/html", status=status)
        if "telegram.org" in body:
            response.headers["Content-Security-Policy"] = LOGIN_CSP
        return response

    def _refused(self, key: str, status: int) -> web.Response:
        return self._page(notice(self.t(f"console.login.{key}"), "error"), status)

    def _allowed(self, request: web.Request) -> bool:
        return self.limit.allow(request.remote or "?", self.deps.clock())

    async def telegram(self, request: web.Request) -> web.Response:
        """The widget's redirect: signed user data in the query."""
        if not self._allowed(request):
            return self._refused("too_many", 429)
        user = check_telegram_login(dict(request.query), self.deps.bot_token, self.deps.clock())
        if user is None:
            return self._refused("bad_signature", 403)
        return await self._enter(user)

    async def link_form(self, request: web.Request) -> web.Response:
        """A one-time link opens a button; only pressing it logs in (link previews and
        scanners that open the link do not use it up)."""
        token = request.query.get("token", "")
        button = f"<button>{esc(self.t('console.login.link_button'))}</button>"
        inner = hidden("token", token) + button
        html = f'<form method="post" action="{esc(self.deps.base)}/login/link">{inner}</form>'
        return self._page(html)

    async def link(self, request: web.Request) -> web.Response:
        """Redeem a one-time token."""
        if not self._allowed(request):
            return self._refused("too_many", 429)
        token = str((await request.post()).get("token", ""))
        user_id = await self.deps.app.staff.redeem_login_token(token, self.deps.clock())
        if user_id is None:
            return self._refused("bad_link", 403)
        return await self._enter(TelegramUser(user_id, self.t("console.login.link_user")))

    async def _enter(self, user: TelegramUser) -> web.Response:
        if not await self._is_staff(user.id):
            log.warning("console: login refused for a user who is not staff")
            return self._refused("not_staff", 403)
        session, cookie = self.pages.signer.new_session(user, self.deps.clock())
        log.info("console: staff user %s logged in", session.user_id)
        # A page, not a redirect: after Telegram's cross-site redirect the browser would
        # not send the SameSite=Strict cookie on a redirect; a same-site link does.
        target = esc(f"{self.deps.base}/")
        body = f'<p><a href="{target}">{esc(self.t("console.login.continue"))}</a></p>'
        response = self._page(notice(self.t("console.login.welcome", name=user.name), "ok") + body)
        response.set_cookie(
            COOKIE,
            cookie,
            max_age=SESSION_HOURS * 3600,
            path=self.deps.base,
            secure=self.deps.secure,
            httponly=True,
            samesite="Strict",
        )
        return response

    async def _is_staff(self, user_id: int) -> bool:
        telegram = self.deps.app.settings.telegram
        if user_id in telegram.staff_user_ids:
            return True
        for group in telegram.staff_groups:
            if await self.deps.is_member(group.chat_id, user_id):
                return True
        return False

    async def logout(self, request: web.Request) -> web.Response:
        """End the session in this browser."""
        session = request[SESSION]
        log.info("console: staff user %s logged out", session.user_id)
        response = self._page(notice(self.t("console.login.logged_out"), "ok"))
        response.del_cookie(COOKIE, path=self.deps.base)
        return response
