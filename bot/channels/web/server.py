"""The web app: the resident chat at ``/``, its assets, health, and sub-apps (``/staff``).

Security headers go on every answer: a strict Content-Security-Policy (everything from this
server, no inline script), and ``frame-ancestors`` that lets only this site and the
configured websites embed the chat in an ``<iframe>``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path

from aiohttp import web

from bot.channels.web.chat import MAX_EVENT_BYTES, WebChat

STATIC = Path(str(resources.files(__package__).joinpath("static")))
ASSET_CACHE_S = 3600
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def content_policy(embed_origins: Sequence[str]) -> str:
    """The Content-Security-Policy of the chat's pages."""
    ancestors = " ".join(["'self'", *embed_origins])
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
    )


def create_web_app(
    chat: WebChat,
    *,
    subapps: Mapping[str, web.Application] | None = None,
    embed_origins: Sequence[str] = (),
) -> web.Application:
    """The chat at ``/`` (its API under ``chat.api``), ``/static``, ``/healthz``, and each
    sub-app under its prefix (e.g. ``{"/staff": console}``).

    Sub-apps keep headers they set themselves; the chat's policy fills in the rest.
    """
    policy = content_policy(embed_origins)

    @web.middleware
    async def headers(request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if request.path.startswith(chat.assets + "/"):
            response.headers.setdefault("Cache-Control", f"public, max-age={ASSET_CACHE_S}")
        else:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    # The chat reads at most MAX_EVENT_BYTES itself; sub-apps (the staff console's edits)
    # may take more.
    app = web.Application(middlewares=[headers], client_max_size=64 * MAX_EVENT_BYTES)
    chat.add_to(app)
    app.router.add_static(chat.assets, STATIC)
    app.router.add_get("/healthz", _healthy)
    for prefix, subapp in (subapps or {}).items():
        app.add_subapp(prefix, subapp)
    return app


async def _healthy(_: web.Request) -> web.Response:
    return web.Response(text="ok")
