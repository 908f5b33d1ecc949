"""The web chat: a page and a small JSON API over the conversation service.

One request per resident action (text, button, location, command, deep-link start) answers
with that action's replies; staff replies from a handoff are held in the outbox and fetched
by long polling. A :class:`WebChat` keeps no module-level state, so several can be served
at once (the live chat, the staff console's preview over a draft engine).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from importlib import resources
from string import Template
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.channels.desk import Rows, Written, staff_rows
from bot.channels.flood import FloodGuard
from bot.channels.telegram.incoming import MessageFacts, to_event
from bot.channels.web import render
from bot.channels.web.identity import Signer, new_id
from bot.core.engine import Outcome
from bot.core.events import Button, Event, Location, Text
from bot.core.ports import GeoPoint
from bot.core.replies import EraseData, HandOff
from bot.core.session import Mode
from bot.handoff.cases import ResidentKey
from bot.i18n import Catalogs
from bot.outbox_service import OutboxService, Queued, held_chat
from bot.service import ConversationService

log = logging.getLogger("bot.web")
CHANNEL = "web"
COOKIE = "lotse_web"
SESSION_HEADER = "X-Lotse-Session"
"""The signed id again, for pages in an iframe on another site (browsers withhold the
cookie there): the page keeps it in memory and sends it back."""
POLL_WAIT_S = 20.0
MAX_EVENT_BYTES = 8 * 1024
UI_KEYS = ("title", "input_label", "send", "share_location", "typing", "connection_error")
"""``web.*`` texts the page itself shows (the rest comes with the replies)."""
_PAGE = Template(resources.files(__package__).joinpath("page.html").read_text("utf-8"))


class BadEventError(ValueError):
    """A request body that is not one of the events the page sends."""


class WebChat:
    """The page and the JSON API of one web chat over one conversation service."""

    def __init__(
        self,
        service: ConversationService,
        *,
        secret: bytes,
        api: str = "/api",
        assets: str = "/static",
        outbox: OutboxService | None = None,
        staff_desk: bool = False,
        channel: str = CHANNEL,
        cookie: str = COOKIE,
        secure: bool = False,
        timezone: str = "Europe/Berlin",
        default_language: str = "de",
        clock: Callable[[], datetime] | None = None,
        new_per_minute: int = 60,
    ) -> None:
        """
        Args:
            service: The conversation service (engine, flows, languages, storage).
            secret: Signs the resident cookie (``WEB_SECRET``).
            api: The API's path as the browser sees it (the page reads it from
                ``data-api``), e.g. ``/api`` or ``/staff/preview/api``.
            assets: Where the page's CSS and JS are served.
            outbox: Where staff replies are held for fetching; None: nothing to fetch.
            staff_desk: True when a staff desk (the Telegram runtime) carries out handoffs;
                False: "talk to a person" says kindly that nobody reads this chat.
            channel: The residents' channel name in storage (``web``).
            cookie: The cookie's name (a second chat on the same site needs its own).
            secure: Send the cookie only over https.
            timezone: The time events carry.
            default_language: The page's language before any choice.
            clock: The time events carry (tests, ``LOTSE_NOW``); default: now.
            new_per_minute: New conversations per minute from one address (behind a
                proxy: from the whole site); 0: no limit.
        """
        self.service = service
        self.api = api.rstrip("/")
        self.assets = assets.rstrip("/")
        self.outbox = outbox
        self.staff_desk = staff_desk
        self.channel = channel
        self.cookie = cookie
        self.secure = secure
        self.default_language = default_language
        self.tz = ZoneInfo(timezone)
        self.clock = clock or (lambda: datetime.now(self.tz))
        self.flood = FloodGuard()
        self.new_residents = FloodGuard(new_per_minute, 60.0) if new_per_minute else None
        self._signer = Signer(secret)
        self._waiting: dict[str, asyncio.Event] = {}
        if outbox is not None:
            outbox.on_queued(self._wake)

    @property
    def texts(self) -> Catalogs:
        """The catalogues in use (they change with a hot reload)."""
        return self.service.engine.texts

    def add_to(self, app: web.Application, *, page: str = "/", mounted_at: str = "") -> None:
        """Serve the page at ``page`` and the API in ``app``, which is reachable under
        ``mounted_at`` (the prefix of a sub-app, e.g. ``/staff``; empty for the root)."""
        api = self.api.removeprefix(mounted_at)
        app.router.add_get(page, self.page)
        app.router.add_post(f"{api}/event", self.event)
        app.router.add_get(f"{api}/messages", self.messages)
        app.on_shutdown.append(self._release_waiting)

    # -- the page ----------------------------------------------------------------------

    async def page(self, request: web.Request) -> web.Response:
        """The chat page in the resident's language, right to left where it is written so."""
        resident = self._resident(request)
        session = await self.service.session(self.channel, resident) if resident else None
        language = self._language(session.language if session else None, request)
        ui = self.ui(language)
        body = _PAGE.substitute(
            lang=language,
            dir=ui["dir"],
            title=_attr(ui["title"]),
            input_label=_attr(ui["input_label"]),
            send=_attr(ui["send"]),
            share_location=_attr(ui["share_location"]),
            api=_attr(self.api),
            assets=_attr(self.assets),
            start=_attr(request.query.get("start", "")[:64]),
            handoff="1" if session is not None and session.mode is Mode.HANDOFF else "",
            ui=_attr(_dumps(ui)),
            needs_javascript=_attr(self.texts.text(language, "web.needs_javascript")),
        )
        return web.Response(text=body, content_type="text/html", charset="utf-8")

    def ui(self, language: str) -> dict[str, str]:
        """The page's own texts in ``language``, and its writing direction."""
        texts = {key: self.texts.text(language, f"web.{key}") for key in UI_KEYS}
        return {**texts, "lang": language, "dir": "rtl" if self.texts.is_rtl(language) else "ltr"}

    def _language(self, chosen: str | None, request: web.Request) -> str:
        offered = self.service.engine.offered()
        if chosen is not None and chosen in offered:
            return chosen
        for code in _accepted(request.headers.get("Accept-Language", "")):
            if code in offered:
                return code
        return self.default_language

    # -- events ------------------------------------------------------------------------

    async def event(self, request: web.Request) -> web.Response:
        """One action of the resident; answers with its replies (one request per action)."""
        try:
            data = await _json_body(request)
            hint = self._language(None, request)
            event = parse_event(data, self.clock(), hint)
        except BadEventError as exc:
            return _error(400, str(exc))
        known = self._resident(request)
        resident = known or new_id()
        flood = self.flood.check(resident)
        if known is None and flood == "ok" and self.new_residents is not None:
            # Without a cookie every request would be someone new, out of the guard's reach.
            flood = self.new_residents.check(request.remote or "")
        if flood != "ok":
            texts = [self._slow_down(data)] if flood == "warn" else []
            return self._answer(resident, known, {"messages": [render.say(t) for t in texts]}, 429)
        key = ResidentKey(self.channel, resident)

        def deliver(outcome: Outcome) -> Rows:
            if not self.staff_desk:
                return []
            typed = event.text if isinstance(event, Text) else None
            return staff_rows(
                key,
                outcome,
                default_language=self.default_language,
                typed=typed,
                written=_written(event),
            )

        try:
            outcome = await self.service.handle(self.channel, resident, event, deliver=deliver)
        except Exception:
            log.exception("web event could not be handled")
            text = self.texts.text(self._language(None, request), "system.error")
            return self._answer(resident, known, {"messages": [render.say(text)]}, 500)
        if outcome is None:  # only a repeated update id gives None; the web sends none
            return self._answer(resident, known, {"messages": []})
        return self._answer(resident, known, self._shown(outcome, data))

    def _shown(self, outcome: Outcome, data: dict[str, Any]) -> dict[str, Any]:
        session = outcome.session
        language = session.language or self.default_language
        messages = render.render_all(outcome.replies, language=language, texts=self.texts)
        handed_off = any(isinstance(r, HandOff) for r in outcome.replies)
        if not self.staff_desk and (handed_off or outcome.relay):
            # Telegram would relay these words to staff; nobody reads them here.
            messages.append(render.say(self.texts.text(language, "web.no_staff")))
        shown: dict[str, Any] = {
            "lang": language,
            "messages": messages,
            "handoff": session.mode is Mode.HANDOFF,
        }
        if any(isinstance(r, EraseData) for r in outcome.replies):
            shown["erased"] = True
        if data.get("lang") != language:
            shown["ui"] = self.ui(language)
        return shown

    def _slow_down(self, data: dict[str, Any]) -> str:
        language = str(data.get("lang") or self.default_language)
        if language not in self.texts.catalogues:
            language = self.default_language
        return self.texts.text(language, "system.slow_down")

    def _answer(
        self, resident: str, known: str | None, body: dict[str, Any], status: int = 200
    ) -> web.Response:
        response = web.json_response(body, status=status, dumps=_dumps)
        if body.get("erased"):
            response.del_cookie(self.cookie, path="/")
            return response
        signed = self._signer.sign(resident)
        response.headers[SESSION_HEADER] = signed
        if known is None:
            response.set_cookie(
                self.cookie,
                signed,
                path="/",
                httponly=True,
                samesite="Lax",
                secure=self.secure,
            )
        return response

    def _resident(self, request: web.Request) -> str | None:
        return self._signer.check(request.cookies.get(self.cookie)) or self._signer.check(
            request.headers.get(SESSION_HEADER)
        )

    # -- staff replies -----------------------------------------------------------------

    async def messages(self, request: web.Request) -> web.Response:
        """Staff replies held for the resident after ``after`` (long polling with
        ``wait=1``: answers as soon as one arrives, or empty after a while)."""
        resident = self._resident(request)
        try:
            after = int(request.query.get("after", "0"))
        except ValueError:
            return _error(400, "'after' must be a whole number")
        if resident is None or self.outbox is None:
            return web.json_response({"messages": [], "last": after})
        chat = held_chat(self.channel, resident)
        held = await self.outbox.take_held(chat, after)
        if not held and request.query.get("wait") == "1":
            waiter = self._waiting.setdefault(chat, asyncio.Event())
            try:
                await asyncio.wait_for(waiter.wait(), POLL_WAIT_S)
            except TimeoutError:
                pass
            finally:
                if self._waiting.get(chat) is waiter:
                    del self._waiting[chat]
            held = await self.outbox.take_held(chat, after)
        session = await self.service.session(self.channel, resident)
        body = {
            "messages": [json.loads(q.payload) for q in held],
            "last": held[-1].id if held else after,
            "handoff": session is not None and session.mode is Mode.HANDOFF,
        }
        return self._answer(resident, resident, body)

    async def _release_waiting(self, _: web.Application) -> None:
        """Answer every waiting long poll now: a stop must not wait for them to time out."""
        for waiter in self._waiting.values():
            waiter.set()

    def _wake(self, queued: Sequence[Queued]) -> None:
        for call in queued:
            waiter = self._waiting.get(call.chat)
            if waiter is not None:
                waiter.set()


def parse_event(data: dict[str, Any], at: datetime, hint: str | None) -> Event:
    """The engine event for one JSON action of the page.

    Raises:
        BadEventError: Not one of ``text``, ``button``, ``location``, ``command``,
            ``start`` with its fields.
    """
    kind = data.get("type")
    if kind == "text":
        return to_event(MessageFacts(0, text=_string(data, "text"), language_code=hint), at)
    if kind in ("command", "start"):
        name = "start" if kind == "start" else _string(data, "name").lstrip("/")
        argument = str(data.get("payload" if kind == "start" else "argument") or "")
        line = f"/{name} {argument}".strip()
        return to_event(MessageFacts(0, text=line, language_code=hint), at)
    if kind == "button":
        step, option = _string(data, "step"), _string(data, "option")
        return Button(at=at, step=step, option=option, language_hint=hint)
    if kind == "location":
        try:
            point = GeoPoint(float(data["lat"]), float(data["lon"]))
        except (KeyError, TypeError, ValueError):
            msg = "a location needs numbers 'lat' and 'lon'"
            raise BadEventError(msg) from None
        if not (-90 <= point.lat <= 90 and -180 <= point.lon <= 180):
            msg = "'lat' must lie within ±90 and 'lon' within ±180"
            raise BadEventError(msg)
        return Location(at=at, point=point, language_hint=hint)
    msg = "'type' must be one of text, button, location, command, start"
    raise BadEventError(msg)


def _written(event: Event) -> Written | None:
    """What the staff topic receives of an event while the resident talks to a person."""
    if isinstance(event, Text):
        return Written(None, "text", event.text)
    if isinstance(event, Location):
        return Written(None, "text", f"📍 {event.point.lat:.5f}, {event.point.lon:.5f}")
    return None


def _string(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        msg = f"'{name}' must be a non-empty string"
        raise BadEventError(msg)
    return value


async def _json_body(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        msg = "send the event as JSON (Content-Type: application/json)"
        raise BadEventError(msg)
    if (request.content_length or 0) > MAX_EVENT_BYTES:
        msg = f"an event may have at most {MAX_EVENT_BYTES} bytes"
        raise BadEventError(msg)
    raw = await request.read()  # whole, however it arrives; bounded by the app's limit
    if len(raw) > MAX_EVENT_BYTES:
        msg = f"an event may have at most {MAX_EVENT_BYTES} bytes"
        raise BadEventError(msg)
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        msg = f"the body is not valid JSON: {exc}"
        raise BadEventError(msg) from None
    if not isinstance(data, dict):
        msg = "the body must be a JSON object with a 'type'"
        raise BadEventError(msg)
    return data


def _accepted(header: str) -> list[str]:
    """Language codes of an Accept-Language header, most wanted first."""
    weighted = []
    for index, part in enumerate(header.split(",")[:12]):
        code, _, weight = part.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            continue
        weighted.append((-quality, index, code.split("-")[0].lower()))
    return [code for _, _, code in sorted(weighted) if code]


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _attr(value: str) -> str:
    """Escape a value for an HTML attribute or text."""
    return (
        value.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )
