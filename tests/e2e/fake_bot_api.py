"""In-process fake of the Telegram Bot API for end-to-end tests and benchmarks.

The server speaks the real wire protocol (``/bot{token}/{method}`` with multipart, urlencoded,
query-string or JSON bodies; ``{"ok": ..., "result": ...}`` envelopes; real error codes and
descriptions), so any client - aiogram in-process, ``python -m bot run`` in a subprocess,
python-telegram-bot - can be pointed at ``FakeBotApi.base_url``.

Usage::

    async with FakeBotApi() as api, BotProcess(api, ["python", "-m", "bot", "run"]):
        api.user_sends(42, "/start")
        menu = await api.next_call("sendMessage", chat_id=42)
        api.click_label(42, menu, "Deutsch")
        await api.next_call("answerCallbackQuery", chat_id=42)

or the ``fake_api`` fixture (``pytest_plugins = ["tests.e2e.fake_bot_api"]`` in the root
conftest). Timestamps (``ApiCall.at``, ``enqueued_at``) use ``time.monotonic()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import html
import itertools
import json
import os
import random
import re
import signal
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Self

from aiohttp import ClientError, ClientSession, ClientTimeout, web

if TYPE_CHECKING:
    from tests.e2e.warm import WarmProcess

__all__ = [
    "DEFAULT_TOKEN",
    "POLLING_METHODS",
    "ApiCall",
    "BotProcess",
    "FakeBotApi",
    "UploadedFile",
    "buttons",
    "post_update_to_webhook",
]

DEFAULT_TOKEN: Final = "123456789:AAFakeTokenForLotseTests-0123456789ab"
#: Calls that are polling noise rather than bot behaviour; ``next_call()``/``calls()``/
#: ``wait_idle()`` without an explicit method ignore them.
POLLING_METHODS: Final = frozenset({"getUpdates"})
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"

# Update kinds Telegram withholds unless a bot asks for them in allowed_updates.
_OPT_IN_UPDATES: Final = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# Form fields that are always strings; everything else in a form body is JSON-decoded when it
# looks like JSON, because aiogram json.dumps()es ints, bools, lists and objects but posts
# strings raw (a text "123" must stay a string).
_STRING_FIELDS: Final = frozenset(
    {
        "action", "address", "business_connection_id", "callback_query_id", "caption",
        "currency", "custom_title", "data", "description", "emoji", "explanation", "file_id",
        "first_name", "icon_custom_emoji_id", "inline_message_id", "inline_query_id",
        "language_code", "last_name", "message_effect_id", "name", "next_offset",
        "parse_mode", "payload", "phone_number", "provider_token", "query", "question",
        "secret_token", "short_description", "start_parameter", "text", "title", "url",
        "vcard", "photo", "document", "voice", "audio", "video", "animation", "sticker",
        "video_note", "thumbnail",
    }
)  # fmt: skip
_CONTENT_KEYS: Final = (
    "text", "entities", "caption", "caption_entities", "photo", "document", "voice", "audio",
    "video", "animation", "sticker", "location", "contact", "venue",
)  # fmt: skip
_CHAT_ACTIONS: Final = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip
_TOPIC_COLORS: Final = frozenset({7322096, 16766590, 13338331, 9367192, 16749490, 16478047})
_BUTTON_ACTIONS: Final = frozenset(
    {
        "callback_data", "url", "web_app", "login_url", "switch_inline_query",
        "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
        "callback_game", "pay",
    }
)  # fmt: skip
_HTML_TAGS: Final = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
        "tg-emoji", "code", "pre", "blockquote",
    }
)  # fmt: skip
_ADMIN_RIGHTS: Final = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics",
)  # fmt: skip
_ADMIN_FLAGS: Final = (
    "can_be_edited", "is_anonymous", "can_promote_members", "can_post_stories",
    "can_edit_stories", "can_delete_stories", "can_send_welcome_messages",
)  # fmt: skip
_TAG_RE: Final = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>")
# Characters MarkdownV2 never uses as markup; an unescaped one is the classic 400.
_MDV2_RESERVED: Final = frozenset(".!+-={}#")
_JSONISH_RE: Final = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null|[\[{\"].*", re.S)
_MAX_TEXT: Final = 4096
_MAX_CAPTION: Final = 1024


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request (``attach://`` references are resolved to it)."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(eq=False)
class ApiCall:
    """One request the bot made, recorded when it arrived (before any injected delay).

    ``params`` are decoded: JSON fields (reply_markup, entities, ...) are dicts/lists, numbers
    are ints, uploads are :class:`UploadedFile`. ``status`` is the HTTP status answered
    (``None`` while a long poll is pending, ``0`` when the connection was dropped) and
    ``response`` the JSON body sent back.
    """

    method: str
    params: dict[str, Any]
    token: str
    at: float
    chat_id: int | str | None = None
    status: int | None = None
    response: dict[str, Any] | None = field(default=None, repr=False)
    seq: int = -1

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        """The ``result`` of a successful call; AssertionError otherwise."""
        if not self.ok or self.response is None:
            msg = f"{self.method} did not succeed: status={self.status} {self.response}"
            raise AssertionError(msg)
        return self.response.get("result")

    @property
    def text(self) -> str | None:
        value = self.params.get("text", self.params.get("caption"))
        return value if isinstance(value, str) else None

    def describe(self) -> str:
        text = self.text
        shown = "" if text is None else f" {text[:60]!r}"
        return f"#{self.seq} {self.method} chat={self.chat_id} status={self.status}{shown}"


class _ApiFailure(Exception):
    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str) -> _ApiFailure:
    return _ApiFailure(400, f"Bad Request: {description}")


@dataclass
class _Described:
    """A result that Telegram accompanies with a human ``description`` (setWebhook & co)."""

    value: Any
    description: str


@dataclass
class _Fault:
    method: str | None  # None: any method except polling
    status: int
    description: str
    retry_after: int | None
    remaining: int
    drop: bool = False
    executed: bool = False
    raw_body: str | None = None


BAD_GATEWAY_HTML: Final = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
"""What the proxy in front of the Bot API answers when the API behind it fails."""


def _html_fault(method: str, status: int) -> _Fault:
    return _Fault(method, status, "Bad Gateway", None, 1, raw_body=BAD_GATEWAY_HTML)


@dataclass
class _Chaos:
    rng: random.Random
    p429: float
    p500: float
    p502_html: float
    p_reset: float
    p_slow: float
    slow_max: float
    retry_after: int


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes = field(repr=False)
    mime_type: str | None = None


class _Signal:
    """Edge-triggered broadcast: ``fire()`` wakes every current waiter (no lost wake-ups as
    long as the condition is re-checked before each ``wait()``)."""

    def __init__(self, parent: _Signal | None = None) -> None:
        self._event = asyncio.Event()
        self._parent = parent

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()
        if self._parent is not None:
            self._parent.fire()

    async def wait(self, seconds: float) -> bool:
        event = self._event
        try:
            await asyncio.wait_for(event.wait(), max(seconds, 0))
        except TimeoutError:
            return False
        return True


def _decode_field(key: str, value: str) -> Any:
    if key in _STRING_FIELDS or not _JSONISH_RE.fullmatch(value):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode())


def _html_to_plain(text: str) -> str:
    """Validate Telegram's HTML subset like the server does and return the visible text."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while (lt := text.find("<", pos)) >= 0:
        out.append(text[pos:lt])
        match = _TAG_RE.match(text, lt)
        offset = _byte_offset(text, lt)
        if match is None:
            raise _bad(
                f"can't parse entities: Unexpected end of name token at byte offset {offset}"
            )
        closing, name, attrs = match.group(1) == "/", match.group(2).lower(), match.group(3)
        if name not in _HTML_TAGS:
            kind = "end" if closing else "start"
            raise _bad(
                f'can\'t parse entities: Unsupported {kind} tag "{name}" at byte offset {offset}'
            )
        if closing:
            if not stack or stack[-1] != name:
                expected = f'expected "</{stack[-1]}>", ' if stack else ""
                raise _bad(
                    f"can't parse entities: Unmatched end tag at byte offset {offset}, "
                    f'{expected}found "</{name}>"'
                )
            stack.pop()
        else:
            if name == "span" and "tg-spoiler" not in attrs:
                raise _bad(
                    'can\'t parse entities: Tag "span" must have class "tg-spoiler" '
                    f"at byte offset {offset}"
                )
            stack.append(name)
        pos = match.end()
    out.append(text[pos:])
    if stack:
        raise _bad(
            f"can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1]}\""
        )
    return html.unescape("".join(out))


def _markdown_v2_to_plain(text: str) -> str:
    """Reject unescaped reserved characters (outside code and link targets); approximate text."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            if i + 1 >= len(text):
                raise _bad("can't parse entities: Can't find end of the entity")
            out.append(text[i + 1])
            i += 2
            continue
        if char == "`":
            fence = "```" if text.startswith("```", i) else "`"
            end = text.find(fence, i + len(fence))
            if end < 0:
                raise _bad(
                    "can't parse entities: Can't find end of Pre entity at byte offset "
                    f"{_byte_offset(text, i)}"
                )
            out.append(text[i + len(fence) : end].replace("\\`", "`").replace("\\\\", "\\"))
            i = end + len(fence)
            continue
        if text.startswith("](", i):
            end = text.find(")", i + 2)
            i = len(text) if end < 0 else end + 1
            continue
        if char in _MDV2_RESERVED:
            raise _bad(
                f"can't parse entities: Character '{char}' is reserved and must be escaped "
                "with the preceding '\\'"
            )
        if char not in "*_~|[]()>":
            out.append(char)
        i += 1
    return "".join(out)


def _update_kind(update: Mapping[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "unknown")


def _chat_id_value(value: Any) -> int | str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value
    return None


def buttons(call: ApiCall) -> list[list[tuple[str, str | None]]]:
    """Rows of ``(text, callback_data)`` of the call's keyboard (``None`` for URL/reply
    buttons); ``[]`` when the call carries no keyboard."""
    markup = call.params.get("reply_markup")
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    result: list[list[tuple[str, str | None]]] = []
    for row in rows:
        out_row: list[tuple[str, str | None]] = []
        for button in row:
            if isinstance(button, str):
                out_row.append((button, None))
            else:
                out_row.append((str(button.get("text", "")), button.get("callback_data")))
        result.append(out_row)
    return result


async def post_update_to_webhook(
    url: str, update: Mapping[str, Any], secret_token: str | None = None
) -> tuple[int, str]:
    """POST one update like Telegram does; returns ``(HTTP status, response body)``."""
    headers = {SECRET_HEADER: secret_token} if secret_token is not None else {}
    async with (
        ClientSession(timeout=ClientTimeout(total=10)) as session,
        session.post(url, json=dict(update), headers=headers) as resp,
    ):
        return resp.status, await resp.text()


class FakeBotApi:
    """The fake server plus the test-side helpers; one instance per test.

    ``strict_chats=True`` answers "chat not found" for chats the bot has never seen (the real
    behaviour); by default unknown chats are synthesised so bots can post to staff groups that
    no update has mentioned yet.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "lotse_test_bot",
        bot_first_name: str = "Lotse",
        host: str = "127.0.0.1",
        port: int = 0,
        accept_any_token: bool = True,
        strict_chats: bool = False,
        webhook_retry_delay: float = 0.2,
    ) -> None:
        self.token = token
        self.host = host
        self.port = port
        self.accept_any_token = accept_any_token
        self.strict_chats = strict_chats
        self.webhook_retry_delay = webhook_retry_delay
        bot_id = int(token.partition(":")[0])
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._runner: web.AppRunner | None = None
        self._closing = False
        self._any_changed = _Signal()
        # Calls.
        self._calls: list[ApiCall] = []
        self._consumed: set[int] = set()
        self._first_unconsumed = 0
        self._calls_changed = _Signal(self._any_changed)
        self._last_activity = 0.0
        self._inflight = 0
        self._listeners: list[Callable[[ApiCall], None]] = []
        # Updates.
        self._next_update_id = 100_000_001
        self._pending: dict[int, dict[str, Any]] = {}
        self._enqueued_at: dict[int, float] = {}
        self._deliveries: dict[int, int] = {}
        self._updates_changed = _Signal(self._any_changed)
        self._allowed_updates: frozenset[str] | None = None
        self._poll_generation = 0
        # World state.
        self._users: dict[int, dict[str, Any]] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: dict[int, dict[int, dict[str, Any]]] = {}
        self._next_message_id: dict[int, int] = {}
        self._topics: dict[tuple[int, int], dict[str, Any]] = {}
        self._members: dict[tuple[int, int], str] = {}
        self._blocked: set[int] = set()
        self._callback_chats: dict[str, int] = {}  # callback query id -> chat id
        self._open_callbacks: set[str] = set()  # not answered yet
        self._callback_ids = itertools.count(4_242_000_000_001)
        self._files: dict[str, _StoredFile] = {}
        self._file_ids = itertools.count(1)
        self._commands: dict[str, list[dict[str, Any]]] = {}
        # Webhook.
        self._webhook: dict[str, Any] | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._webhook_error: tuple[int, str] | None = None
        # Faults.
        self._faults: list[_Fault] = []
        self._delays: dict[str, float] = {}
        self._chaos: _Chaos | None = None
        self._outage_until = 0.0

        self._handlers: dict[str, Callable[[dict[str, Any]], Any]] = {
            "getMe": self._get_me,
            "logOut": lambda _p: True,
            "close": lambda _p: True,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendLocation": self._send_location,
            "sendChatAction": self._send_chat_action,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendVoice": self._send_voice,
            "createForumTopic": self._create_forum_topic,
            "editForumTopic": self._edit_forum_topic,
            "closeForumTopic": lambda p: self._set_topic_closed(p, closed=True),
            "reopenForumTopic": lambda p: self._set_topic_closed(p, closed=False),
            "deleteForumTopic": self._delete_forum_topic,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getFile": self._get_file,
        }
        # Telegram matches method names case-insensitively.
        self._canonical = {name.lower(): name for name in [*self._handlers, "getUpdates"]}

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def in_flight(self) -> int:
        """Calls (other than getUpdates) being answered right now."""
        return self._inflight

    async def start(self) -> Self:
        # 50 MB is Telegram's upload limit; handler_cancellation ends the long polls of
        # clients that went away (e.g. a killed bot process) instead of letting them linger.
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._updates_changed.fire()  # long polls answer [] right away
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
            self._webhook_task = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ HTTP layer

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        method = self._canonical.get(request.match_info["method"].lower())
        method = method or request.match_info["method"]
        try:
            params = await self._read_params(request)
        except ValueError as exc:
            call = self._new_call(method, {}, token)
            return self._respond(call, 400, _bad(f"can't parse request: {exc}").body())
        call = self._new_call(method, params, token)
        if not self.accept_any_token and token != self.token:
            return self._respond(
                call, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
        fault = self._take_fault(method)
        if method == "getUpdates" and fault is None:
            self._record(call)
            status, body = await self._get_updates(params)
            return self._respond(call, status, body, recorded=True)

        self._inflight += 1
        try:
            if fault is not None and fault.drop:
                if fault.executed:
                    self._execute(call)  # the effect happens, the answer gets lost
                self._record(call, status=0)
                await self._apply_delay(method)
                if request.transport is not None:
                    request.transport.close()
                # handler_cancellation cancels us once the connection is gone; if not, the
                # client sees the reset anyway.
                await asyncio.sleep(3600)
                raise AssertionError("unreachable")  # pragma: no cover
            if fault is not None:
                status, body = fault.status, self._fault_body(fault)
            else:
                status, body = self._execute(call)
            self._record(call, status=status, response=body)
            await self._apply_delay(method)
            await self._chaos_delay(method)
            if fault is not None and fault.raw_body is not None:
                return web.Response(status=status, text=fault.raw_body, content_type="text/html")
            return self._json(status, body)
        finally:
            self._inflight -= 1
            self._calls_changed.fire()

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {k: _decode_field(k, v) for k, v in request.query.items()}
        if request.method != "POST" or not request.body_exists:
            return params
        ctype = request.content_type
        if ctype == "application/json":
            data = json.loads(await request.text())
            if not isinstance(data, dict):
                msg = "JSON body must be an object"
                raise ValueError(msg)
            # Some clients JSON-encode reply_markup & co. even inside a JSON body.
            params.update(
                {k: _decode_field(k, v) if isinstance(v, str) else v for k, v in data.items()}
            )
        elif ctype in {"multipart/form-data", "application/x-www-form-urlencoded"}:
            uploads: dict[str, UploadedFile] = {}
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    uploads[key] = UploadedFile(
                        value.filename, value.content_type, value.file.read()
                    )
                else:
                    text = value if isinstance(value, str) else bytes(value).decode()
                    params[key] = _decode_field(key, text)
            for key, value in list(params.items()):
                if isinstance(value, str) and value.startswith("attach://"):
                    name = value.removeprefix("attach://")
                    if name in uploads:
                        params[key] = uploads.pop(name)
            for key, upload in uploads.items():
                params.setdefault(key, upload)
        else:
            msg = f"unsupported Content-Type {ctype!r}"
            raise ValueError(msg)
        return params

    def _new_call(self, method: str, params: dict[str, Any], token: str) -> ApiCall:
        return ApiCall(
            method, params, token, time.monotonic(), chat_id=self._call_chat(method, params)
        )

    def _call_chat(self, method: str, params: Mapping[str, Any]) -> int | str | None:
        if method == "answerCallbackQuery":
            return self._callback_chats.get(str(params.get("callback_query_id")))
        return _chat_id_value(params.get("chat_id"))

    def _record(
        self, call: ApiCall, *, status: int | None = None, response: dict[str, Any] | None = None
    ) -> None:
        call.status, call.response = status, response
        call.seq = len(self._calls)
        self._calls.append(call)
        if call.method not in POLLING_METHODS:
            self._last_activity = call.at
        for listener in list(self._listeners):
            listener(call)
        self._calls_changed.fire()

    def _respond(
        self, call: ApiCall, status: int, body: dict[str, Any], *, recorded: bool = False
    ) -> web.Response:
        if recorded:
            call.status, call.response = status, body
            self._calls_changed.fire()
        else:
            self._record(call, status=status, response=body)
        return self._json(status, body)

    @staticmethod
    def _json(status: int, body: dict[str, Any]) -> web.Response:
        return web.Response(
            status=status,
            text=json.dumps(body, ensure_ascii=False),
            content_type="application/json",
        )

    def _execute(self, call: ApiCall) -> tuple[int, dict[str, Any]]:
        handler = self._handlers.get(call.method)
        if handler is None:
            return 404, {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        try:
            result = handler(call.params)
        except _ApiFailure as failure:
            return failure.status, failure.body()
        except (TypeError, ValueError) as exc:
            # A malformed parameter (e.g. a non-numeric message_id) is the client's fault.
            return 400, _bad(f"wrong parameter in request: {exc}").body()
        if isinstance(result, _Described):
            return 200, {"ok": True, "result": result.value, "description": result.description}
        return 200, {"ok": True, "result": result}

    async def _handle_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        stored = next((f for f in self._files.values() if f.file_path == path), None)
        if stored is None:
            return self._json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    # ------------------------------------------------------------------ faults

    def fail_next(
        self,
        method: str | None,
        *,
        status: int = 429,
        retry_after: int = 1,
        count: int = 1,
        description: str | None = None,
        raw_body: str | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` (``None``/``"*"``: any method but
        getUpdates) with an error. 429 carries ``parameters.retry_after``; ``raw_body`` sends
        a non-JSON body instead (e.g. the HTML of a 502 from Telegram's nginx)."""
        default = {
            400: "Bad Request: injected failure",
            401: "Unauthorized",
            403: "Forbidden: bot was blocked by the user",
            404: "Not Found",
            409: "Conflict: terminated by other getUpdates request; "
            "make sure that only one bot instance is running",
            429: f"Too Many Requests: retry after {retry_after}",
            500: "Internal Server Error",
            502: "Bad Gateway",
        }.get(status, f"Error {status}")
        self._faults.append(
            _Fault(
                method=None if method in {None, "*"} else method,
                status=status,
                description=description or default,
                retry_after=retry_after if status == 429 else None,
                remaining=count,
                raw_body=raw_body,
            )
        )

    def drop_next(self, method: str | None, count: int = 1, *, executed: bool = False) -> None:
        """Close the connection instead of answering the next ``count`` calls. With
        ``executed=True`` the call takes effect first (a sent message whose answer is lost -
        the retry-creates-duplicates case)."""
        self._faults.append(
            _Fault(
                method=None if method in {None, "*"} else method,
                status=0,
                description="dropped",
                retry_after=None,
                remaining=count,
                drop=True,
                executed=executed,
            )
        )

    def delay(self, method: str | None, seconds: float) -> None:
        """Answer every call of ``method`` (``None``/``"*"``: all but getUpdates) only after
        ``seconds``; ``0`` removes the delay."""
        key = "*" if method is None else method
        if seconds > 0:
            self._delays[key] = seconds
        else:
            self._delays.pop(key, None)

    def clear_faults(self) -> None:
        self._faults.clear()
        self._delays.clear()
        self._chaos = None
        self._outage_until = 0.0

    def chaos(
        self,
        seed: int,
        *,
        p429: float = 0.0,
        p500: float = 0.0,
        p502_html: float = 0.0,
        p_reset: float = 0.0,
        p_slow: float = 0.0,
        slow_max: float = 0.0,
        retry_after: int = 1,
    ) -> None:
        """Random faults on every method (getUpdates included), like a flaky proxy: each
        call draws from a seeded generator - 429 with ``retry_after``, 500, 502 with an HTML
        page, a connection reset before the call is executed - and with ``p_slow`` a call
        (getUpdates aside) answers up to ``slow_max`` seconds late."""
        self._chaos = _Chaos(
            random.Random(seed),  # noqa: S311 - reproducible faults, not secrets
            p429,
            p500,
            p502_html,
            p_reset,
            p_slow,
            slow_max,
            retry_after,
        )

    def outage(self, seconds: float) -> None:
        """Every call fails for ``seconds`` from now with the HTML 502 of a proxy whose
        Bot API is down."""
        self._outage_until = time.monotonic() + seconds

    def _chaos_fault(self, method: str) -> _Fault | None:
        if time.monotonic() < self._outage_until:
            return _html_fault(method, 502)
        chaos = self._chaos
        if chaos is None:
            return None
        draw = chaos.rng.random()
        for status, share in ((429, chaos.p429), (500, chaos.p500), (502, chaos.p502_html)):
            if draw < share:
                if status == 502:
                    return _html_fault(method, 502)
                return _Fault(
                    method,
                    status,
                    f"Too Many Requests: retry after {chaos.retry_after}"
                    if status == 429
                    else "Internal Server Error",
                    chaos.retry_after if status == 429 else None,
                    1,
                )
            draw -= share
        if draw < chaos.p_reset:
            return _Fault(method, 0, "reset", None, 1, drop=True)
        return None

    async def _chaos_delay(self, method: str) -> None:
        chaos = self._chaos
        if chaos is None or method in POLLING_METHODS or chaos.rng.random() >= chaos.p_slow:
            return
        await asyncio.sleep(chaos.rng.uniform(0, chaos.slow_max))

    def _take_fault(self, method: str) -> _Fault | None:
        chaotic = self._chaos_fault(method)
        if chaotic is not None:
            return chaotic
        for fault in self._faults:
            matches = fault.method == method or (
                fault.method is None and method not in POLLING_METHODS
            )
            if matches and fault.remaining > 0:
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault
        return None

    @staticmethod
    def _fault_body(fault: _Fault) -> dict[str, Any]:
        params = {"retry_after": fault.retry_after} if fault.retry_after is not None else None
        return _ApiFailure(fault.status, fault.description, params).body()

    async def _apply_delay(self, method: str) -> None:
        seconds = self._delays.get(method)
        if seconds is None and method not in POLLING_METHODS:
            seconds = self._delays.get("*")
        if seconds:
            await asyncio.sleep(seconds)

    # ------------------------------------------------------------------ updates & polling

    def push_update(self, update: Mapping[str, Any]) -> int:
        """Queue a raw update (``update_id`` is assigned when missing); returns its id."""
        data = copy.deepcopy(dict(update))
        update_id = int(data.setdefault("update_id", self._next_update_id))
        self._next_update_id = max(self._next_update_id, update_id + 1)
        query = data.get("callback_query")
        if isinstance(query, dict) and "id" in query:
            chat = (query.get("message") or {}).get("chat", {}).get("id")
            self._callback_chats[str(query["id"])] = chat or query.get("from", {}).get("id")
            self._open_callbacks.add(str(query["id"]))
        for key in ("message", "edited_message", "channel_post"):
            msg = data.get(key)
            if isinstance(msg, dict) and "chat" in msg and "message_id" in msg:
                self._remember_chat(msg["chat"])
                stored = self._messages.setdefault(msg["chat"]["id"], {})
                stored.setdefault(msg["message_id"], copy.deepcopy(msg))
        self._pending[update_id] = data
        self._enqueued_at[update_id] = time.monotonic()
        self._updates_changed.fire()
        return update_id

    def enqueued_at(self, update_id: int) -> float:
        return self._enqueued_at[update_id]

    def deliveries(self, update_id: int) -> int:
        """How many times the update was handed out (by getUpdates or the webhook)."""
        return self._deliveries.get(update_id, 0)

    @property
    def pending_updates(self) -> list[int]:
        """Ids of updates not yet confirmed by the bot."""
        return list(self._pending)

    def is_confirmed(self, update_id: int) -> bool:
        return update_id in self._enqueued_at and update_id not in self._pending

    def _confirm_below(self, offset: int) -> None:
        for update_id in [uid for uid in self._pending if uid < offset]:
            del self._pending[update_id]
        self._updates_changed.fire()

    def _deliverable(self, limit: int, allowed: frozenset[str] | None) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        for update_id, update in list(self._pending.items()):
            kind = _update_kind(update)
            wanted = kind not in _OPT_IN_UPDATES if allowed is None else kind in allowed
            if not wanted:
                # Telegram never stores updates the bot did not subscribe to.
                del self._pending[update_id]
                self._updates_changed.fire()
                continue
            batch.append(update)
            if len(batch) >= limit:
                break
        for update in batch:
            uid = update["update_id"]
            self._deliveries[uid] = self._deliveries.get(uid, 0) + 1
        return batch

    async def _get_updates(self, params: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        if self._webhook is not None:
            return 409, _ApiFailure(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            ).body()
        try:
            offset = int(params.get("offset") or 0)
            limit = min(max(int(params.get("limit") or 100), 1), 100)
            timeout = max(float(params.get("timeout") or 0), 0.0)
        except (TypeError, ValueError):
            return 400, _bad("wrong parameter in request").body()
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(map(str, allowed)) or None
        if offset > 0:
            self._confirm_below(offset)
        elif offset < 0:
            keep = list(self._pending)[offset:]
            self._confirm_below(keep[0] if keep else self._next_update_id)
        # A newer getUpdates terminates an older one, like with two running bot instances.
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_changed.fire()
        deadline = time.monotonic() + timeout
        while True:
            if self._closing:
                return 200, {"ok": True, "result": []}
            if generation != self._poll_generation:
                return 409, _ApiFailure(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                ).body()
            batch = self._deliverable(limit, self._allowed_updates)
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0:
                return 200, {"ok": True, "result": batch}
            await self._updates_changed.wait(remaining)

    # ------------------------------------------------------------------ waiting helpers

    @staticmethod
    def _matches(
        call: ApiCall, method: str | Collection[str] | None, chat_id: int | str | None
    ) -> bool:
        if method is None:
            if call.method in POLLING_METHODS:
                return False
        elif isinstance(method, str):
            if call.method != method:
                return False
        elif call.method not in method:
            return False
        return chat_id is None or call.chat_id == chat_id

    def calls(
        self, method: str | Collection[str] | None = None, chat_id: int | str | None = None
    ) -> list[ApiCall]:
        """All recorded calls (failed ones included; ``method=None`` skips getUpdates)."""
        return [c for c in self._calls if self._matches(c, method, chat_id)]

    async def next_call(
        self,
        method: str | Collection[str] | None = None,
        *,
        chat_id: int | str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline for polling state, not for I/O
    ) -> ApiCall:
        """The oldest matching call no ``next_call`` has returned yet, waiting for it."""
        deadline = time.monotonic() + timeout
        while True:
            while self._first_unconsumed in self._consumed:
                self._first_unconsumed += 1
            for call in itertools.islice(self._calls, self._first_unconsumed, None):
                if call.seq not in self._consumed and self._matches(call, method, chat_id):
                    self._consumed.add(call.seq)
                    return call
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                what = f"{method or 'any call'}" + (f" to chat {chat_id}" if chat_id else "")
                msg = f"no {what} within {timeout}s\n{self.summary()}"
                raise AssertionError(msg)
            await self._calls_changed.wait(remaining)

    async def wait_idle(self, quiet: float = 0.3, *, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot made no call (getUpdates aside) and none is in flight for
        ``quiet`` seconds, counted from now at the earliest."""
        start = time.monotonic()
        deadline = start + timeout
        while True:
            now = time.monotonic()
            quiet_since = max(start, self._last_activity)
            if self._inflight == 0 and now - quiet_since >= quiet:
                return
            if now >= deadline:
                msg = f"bot not idle within {timeout}s\n{self.summary()}"
                raise AssertionError(msg)
            wait = quiet - (now - quiet_since) if self._inflight == 0 else deadline - now
            await self._calls_changed.wait(min(max(wait, 0.001), deadline - now))

    async def wait_confirmed(self, update_id: int, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot confirmed the update (getUpdates offset > id, or webhook 2xx)."""
        deadline = time.monotonic() + timeout
        while not self.is_confirmed(update_id):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                msg = (
                    f"update {update_id} not confirmed within {timeout}s "
                    f"(delivered {self.deliveries(update_id)}x)\n{self.summary()}"
                )
                raise AssertionError(msg)
            await self._updates_changed.wait(remaining)

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline for polling state, not for I/O
        what: str = "condition",
    ) -> None:
        """Wait until ``predicate()`` holds; re-checked whenever a call or an update changes."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                msg = f"{what} not reached within {timeout}s\n{self.summary()}"
                raise AssertionError(msg)
            await self._any_changed.wait(remaining)

    def add_listener(self, listener: Callable[[ApiCall], None]) -> Callable[[], None]:
        """Call ``listener`` synchronously for every recorded call; returns the remover."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def summary(self, last: int = 15) -> str:
        recent = [c for c in self._calls if c.method not in POLLING_METHODS][-last:]
        lines = [
            f"  {'*' if c.seq in self._consumed else ' '} {c.describe()}" for c in recent
        ] or ["  (no calls)"]
        polls = len(self._calls) - len([c for c in self._calls if c.method not in POLLING_METHODS])
        return (
            f"recent calls (* = consumed), {polls} getUpdates, "
            f"pending updates {self.pending_updates}:\n" + "\n".join(lines)
        )

    def sent_texts(self, chat_id: int | str) -> list[str]:
        """Texts of the successful sendMessage calls to the chat, in order."""
        return [c.params["text"] for c in self.calls("sendMessage", chat_id) if c.ok]

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The chat as it stands now (user and bot messages, edits applied, deletions gone)."""
        return [copy.deepcopy(m) for m in self._messages.get(chat_id, {}).values()]

    # ------------------------------------------------------------------ keyboards

    buttons = staticmethod(buttons)

    def click_label(
        self,
        chat_id: int,
        call: ApiCall,
        label_substring: str,
        *,
        language_code: str | None = None,
        user_id: int | None = None,
    ) -> int:
        """Click the inline button of ``call``'s message whose text contains the substring
        (an exact label wins over substring matches); returns the update id."""
        found = [
            (text, data)
            for row in buttons(call)
            for text, data in row
            if label_substring in text and data is not None
        ]
        exact = [b for b in found if b[0] == label_substring]
        if len(exact) == 1 or len(found) == 1:
            _, data = (exact or found)[0]
        else:
            labels = [text for row in buttons(call) for text, _ in row]
            problem = "no" if not found else "several"
            msg = f"{problem} button matches {label_substring!r}; labels: {labels}"
            raise AssertionError(msg)
        if call.method in {"editMessageText", "editMessageReplyMarkup"}:
            message_id = int(call.params["message_id"])
        else:
            message_id = int(call.result["message_id"])
        assert data is not None
        return self.user_clicks(
            chat_id, data, message_id=message_id, language_code=language_code, user_id=user_id
        )

    # ------------------------------------------------------------------ test-side updates

    def _user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        language_code: str | None = None,
        username: str | None = None,
        last_name: str | None = None,
    ) -> dict[str, Any]:
        user = self._users.setdefault(
            user_id,
            {"id": user_id, "is_bot": False, "first_name": "Anna", "language_code": "de"},
        )
        for key, value in (
            ("first_name", first_name),
            ("language_code", language_code),
            ("username", username),
            ("last_name", last_name),
        ):
            if value is not None:
                user[key] = value
        return dict(user)

    def _private_chat(self, chat_id: int, user: Mapping[str, Any]) -> dict[str, Any]:
        chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if key in user:
                chat[key] = user[key]
        self._remember_chat(chat)
        return chat

    def _remember_chat(self, chat: Mapping[str, Any]) -> None:
        known = self._chats.setdefault(int(chat["id"]), {})
        known.update(chat)

    def _alloc_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _store(self, chat_id: int, message: dict[str, Any]) -> dict[str, Any]:
        self._messages.setdefault(chat_id, {})[message["message_id"]] = copy.deepcopy(message)
        return message

    def _incoming(
        self,
        chat: dict[str, Any],
        sender: dict[str, Any] | None,
        content: dict[str, Any],
        *,
        reply_to: int | None = None,
        message_thread_id: int | None = None,
        is_topic_message: bool | None = None,
    ) -> dict[str, Any]:
        chat_id = int(chat["id"])
        message: dict[str, Any] = {
            "message_id": self._alloc_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
        }
        if sender is not None:
            message["from"] = sender
        if message_thread_id is not None:
            message["message_thread_id"] = message_thread_id
            if is_topic_message is not False:
                message["is_topic_message"] = True
            # In a forum topic every message without an explicit reply "replies" to the
            # topic's creation service message - a classic trap for reply detection.
            if reply_to is None and message_thread_id in self._messages.get(chat_id, {}):
                reply_to = message_thread_id
        if reply_to is not None:
            target = self._messages.get(chat_id, {}).get(reply_to)
            if target is None:
                msg = f"message {reply_to} does not exist in chat {chat_id}"
                raise AssertionError(msg)
            message["reply_to_message"] = copy.deepcopy(target)
            message["reply_to_message"].pop("reply_to_message", None)
        message.update(content)
        return self._store(chat_id, message)

    def _private_message(
        self,
        chat_id: int,
        content: dict[str, Any],
        *,
        user_id: int | None,
        first_name: str | None,
        language_code: str | None,
        username: str | None = None,
        reply_to: int | None = None,
    ) -> int:
        user = self._user(
            chat_id if user_id is None else user_id,
            first_name=first_name,
            language_code=language_code,
            username=username,
        )
        chat = self._private_chat(chat_id, user)
        message = self._incoming(chat, user, content, reply_to=reply_to)
        return self.push_update({"message": message})

    @staticmethod
    def _text_content(text: str) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/") and len(text) > 1:
            command = text.split(maxsplit=1)[0]
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
        return content

    def user_sends(
        self,
        chat_id: int,
        text: str,
        *,
        language_code: str | None = None,
        first_name: str | None = None,
        user_id: int | None = None,
        username: str | None = None,
        reply_to: int | None = None,
    ) -> int:
        """A private-chat text message (commands get their bot_command entity).

        Unset user fields keep the values this user had before (first contact: "Anna", "de").
        """
        return self._private_message(
            chat_id,
            self._text_content(text),
            user_id=user_id,
            first_name=first_name,
            language_code=language_code,
            username=username,
            reply_to=reply_to,
        )

    def user_clicks(
        self,
        chat_id: int,
        callback_data: str,
        *,
        message_id: int,
        language_code: str | None = None,
        user_id: int | None = None,
    ) -> int:
        """A click on an inline button of the (bot) message ``message_id``."""
        user = self._user(chat_id if user_id is None else user_id, language_code=language_code)
        message = self._messages.get(chat_id, {}).get(message_id)
        if message is None:
            chat = self._chats.get(chat_id) or self._private_chat(chat_id, user)
            message = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat,
                "from": self.bot_user,
                "text": "",
            }
        query_id = str(next(self._callback_ids))
        return self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "message": copy.deepcopy(message),
                    "chat_instance": str(-abs(hash((chat_id, self.bot_user["id"])))),
                    "data": callback_data,
                }
            }
        )

    def register_file(
        self,
        data: bytes,
        *,
        kind: str = "documents",
        file_name: str = "file.bin",
        mime_type: str | None = None,
    ) -> str:
        """Store bytes under a new file_id (getFile + download work for it); returns the id."""
        number = next(self._file_ids)
        file_id = f"BQACAgIAAx{number:06d}{kind[:3]}FakeFileId"
        suffix = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        self._files[file_id] = _StoredFile(
            file_id=file_id,
            file_unique_id=f"AgAD{number:06d}",
            file_path=f"{kind}/file_{number}.{suffix}",
            data=data,
            mime_type=mime_type,
        )
        return file_id

    def _file_info(self, file_id: str) -> dict[str, Any]:
        stored = self._files[file_id]
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }

    def _photo_sizes(self, data: bytes, width: int, height: int) -> list[dict[str, Any]]:
        sizes = []
        for scale in (90, 320, max(width, height)):
            factor = min(scale / max(width, height), 1.0)
            file_id = self.register_file(data, kind="photos", file_name="p.jpg")
            info = self._file_info(file_id)
            info.update(width=round(width * factor), height=round(height * factor))
            sizes.append(info)
        return sizes

    def user_sends_photo(
        self,
        chat_id: int,
        *,
        caption: str | None = None,
        data: bytes = b"\xff\xd8\xff\xe0fake-jpeg",
        width: int = 1280,
        height: int = 960,
        user_id: int | None = None,
        language_code: str | None = None,
    ) -> int:
        content: dict[str, Any] = {"photo": self._photo_sizes(data, width, height)}
        if caption is not None:
            content["caption"] = caption
        return self._private_message(
            chat_id, content, user_id=user_id, first_name=None, language_code=language_code
        )

    def user_sends_sticker(
        self,
        chat_id: int,
        *,
        emoji: str = "👍",
        user_id: int | None = None,
        language_code: str | None = None,
    ) -> int:
        file_id = self.register_file(b"RIFFfake-webp", kind="stickers", file_name="s.webp")
        sticker = self._file_info(file_id) | {
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._private_message(
            chat_id,
            {"sticker": sticker},
            user_id=user_id,
            first_name=None,
            language_code=language_code,
        )

    def user_sends_voice(
        self,
        chat_id: int,
        *,
        duration: int = 3,
        data: bytes = b"OggSfake-opus",
        user_id: int | None = None,
        language_code: str | None = None,
    ) -> int:
        file_id = self.register_file(data, kind="voice", file_name="v.oga", mime_type="audio/ogg")
        voice = self._file_info(file_id) | {"duration": duration, "mime_type": "audio/ogg"}
        return self._private_message(
            chat_id,
            {"voice": voice},
            user_id=user_id,
            first_name=None,
            language_code=language_code,
        )

    def user_sends_document(
        self,
        chat_id: int,
        *,
        file_name: str = "Bescheid.pdf",
        mime_type: str = "application/pdf",
        data: bytes = b"%PDF-1.4 fake",
        caption: str | None = None,
        user_id: int | None = None,
        language_code: str | None = None,
    ) -> int:
        file_id = self.register_file(
            data, kind="documents", file_name=file_name, mime_type=mime_type
        )
        document = self._file_info(file_id) | {"file_name": file_name, "mime_type": mime_type}
        content: dict[str, Any] = {"document": document}
        if caption is not None:
            content["caption"] = caption
        return self._private_message(
            chat_id, content, user_id=user_id, first_name=None, language_code=language_code
        )

    def user_sends_contact(
        self,
        chat_id: int,
        *,
        phone_number: str = "+4951510000000",
        first_name: str | None = None,
        contact_user_id: int | None = None,
        user_id: int | None = None,
        language_code: str | None = None,
    ) -> int:
        """Shares a contact; by default the sender's own (``contact.user_id`` = sender)."""
        sender_id = chat_id if user_id is None else user_id
        sender = self._user(sender_id, language_code=language_code)
        contact = {
            "phone_number": phone_number,
            "first_name": first_name or sender["first_name"],
            "user_id": sender_id if contact_user_id is None else contact_user_id,
        }
        return self._private_message(
            chat_id,
            {"contact": contact},
            user_id=user_id,
            first_name=None,
            language_code=language_code,
        )

    def user_sends_location(
        self,
        chat_id: int,
        lat: float,
        lon: float,
        *,
        user_id: int | None = None,
        language_code: str | None = None,
    ) -> int:
        return self._private_message(
            chat_id,
            {"location": {"latitude": lat, "longitude": lon}},
            user_id=user_id,
            first_name=None,
            language_code=language_code,
        )

    def user_edits_message(self, chat_id: int, message_id: int, text: str) -> int:
        """The user edits one of their earlier messages (an ``edited_message`` update)."""
        stored = self._messages.get(chat_id, {}).get(message_id)
        if stored is None or stored.get("from", {}).get("is_bot", True):
            msg = f"no user message {message_id} in chat {chat_id}"
            raise AssertionError(msg)
        stored.update(self._text_content(text))
        if not text.startswith("/"):
            stored.pop("entities", None)
        stored["edit_date"] = int(time.time())
        return self.push_update({"edited_message": stored})

    def group_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int,
        message_thread_id: int | None = None,
        is_topic_message: bool | None = None,
        first_name: str | None = None,
        language_code: str | None = None,
        title: str = "Lotse Team",
        reply_to: int | None = None,
    ) -> int:
        """A supergroup message (staff groups); with ``message_thread_id`` it is a forum-topic
        message (the topic is created on the fly if the bot did not create it)."""
        known = self._chats.get(chat_id, {})
        is_forum = bool(known.get("is_forum")) or message_thread_id is not None
        chat = {"id": chat_id, "type": "supergroup", "title": known.get("title", title)}
        if is_forum:
            chat["is_forum"] = True
        self._remember_chat(chat)
        if message_thread_id is not None:
            self._topics.setdefault(
                (chat_id, message_thread_id),
                {"name": f"Topic {message_thread_id}", "icon_color": 7322096, "closed": False},
            )
            self._next_message_id[chat_id] = max(
                self._next_message_id.get(chat_id, 1), message_thread_id + 1
            )
        user = self._user(user_id, first_name=first_name, language_code=language_code)
        self._members.setdefault((chat_id, user_id), "member")
        message = self._incoming(
            chat,
            user,
            self._text_content(text),
            reply_to=reply_to,
            message_thread_id=message_thread_id,
            is_topic_message=is_topic_message,
        )
        return self.push_update({"message": message})

    def channel_post(
        self, chat_id: int, text: str, *, title: str = "Lotse News", username: str | None = None
    ) -> int:
        chat: dict[str, Any] = {"id": chat_id, "type": "channel", "title": title}
        if username:
            chat["username"] = username
        self._remember_chat(chat)
        message = self._incoming(chat, None, {"text": text, "sender_chat": chat})
        return self.push_update({"channel_post": message})

    def add_chat(
        self,
        chat_id: int,
        *,
        type: str = "supergroup",
        title: str = "Lotse Team",
        is_forum: bool = True,
    ) -> None:
        """Make a group/channel known (matters with ``strict_chats``)."""
        chat: dict[str, Any] = {"id": chat_id, "type": type, "title": title}
        if is_forum:
            chat["is_forum"] = True
        self._remember_chat(chat)

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """creator | administrator | member | left | kicked, as getChatMember will answer."""
        if status not in {"creator", "administrator", "member", "left", "kicked"}:
            msg = f"unsupported status {status!r}"
            raise ValueError(msg)
        self._members[(chat_id, user_id)] = status

    def user_blocks_bot(self, chat_id: int) -> int:
        """Sends to the chat now fail with 403; pushes the my_chat_member update."""
        self._blocked.add(chat_id)
        return self._my_chat_member(chat_id, "member", "kicked")

    def user_unblocks_bot(self, chat_id: int) -> int:
        self._blocked.discard(chat_id)
        return self._my_chat_member(chat_id, "kicked", "member")

    def _my_chat_member(self, chat_id: int, old: str, new: str) -> int:
        user = self._user(chat_id)
        chat = self._private_chat(chat_id, user)

        def member(status: str) -> dict[str, Any]:
            extra = {"until_date": 0} if status == "kicked" else {}
            return {"status": status, "user": self.bot_user, **extra}

        return self.push_update(
            {
                "my_chat_member": {
                    "chat": chat,
                    "from": user,
                    "date": int(time.time()),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                }
            }
        )

    # ------------------------------------------------------------------ webhook

    async def post_to_webhook(
        self, update: Mapping[str, Any], *, url: str | None = None
    ) -> tuple[int, str]:
        """POST an update to ``url`` or the webhook the bot registered (with its secret)."""
        hook = self._webhook or {}
        target = url or hook.get("url")
        if not target:
            msg = "no webhook set and no url given"
            raise AssertionError(msg)
        return await post_update_to_webhook(target, update, hook.get("secret_token"))

    def _start_webhook_delivery(self) -> None:
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._webhook_loop())

    async def _webhook_loop(self) -> None:
        """Deliver pending updates one by one while a webhook is set, retrying failures."""
        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            while self._webhook is not None and not self._closing:
                hook = self._webhook
                allowed = hook.get("allowed_updates")
                batch = self._deliverable(1, frozenset(allowed) if allowed else None)
                if not batch:
                    await self._updates_changed.wait(3600)
                    continue
                update = batch[0]
                headers = {}
                if hook.get("secret_token"):
                    headers[SECRET_HEADER] = hook["secret_token"]
                try:
                    async with session.post(hook["url"], json=update, headers=headers) as resp:
                        status, body = resp.status, await resp.text()
                except (ClientError, TimeoutError) as exc:
                    status, body = 0, str(exc) or type(exc).__name__
                if 200 <= status < 300:
                    self._pending.pop(update["update_id"], None)
                    self._updates_changed.fire()
                    self._webhook_reply(body, hook.get("token", self.token))
                else:
                    reason = f"Wrong response from the webhook: {status}" if status else body
                    self._webhook_error = (int(time.time()), reason)
                    await asyncio.sleep(self.webhook_retry_delay)

    def _webhook_reply(self, body: str, token: str) -> None:
        """Telegram executes a method returned in the webhook response body."""
        try:
            data = json.loads(body) if body.strip() else None
        except ValueError:
            return
        name = data.get("method") if isinstance(data, dict) else None
        if isinstance(data, dict) and isinstance(name, str):
            params = {k: v for k, v in data.items() if k != "method"}
            method = self._canonical.get(name.lower(), name)
            call = self._new_call(method, params, token)
            status, response = self._execute(call)
            self._record(call, status=status, response=response)

    # ------------------------------------------------------------------ method handlers

    def _get_me(self, _params: Mapping[str, Any]) -> dict[str, Any]:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _set_webhook(self, params: Mapping[str, Any]) -> _Described:
        url = str(params.get("url") or "")
        if not url:
            return self._delete_webhook(params)
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        allowed = params.get("allowed_updates")
        self._webhook = {
            "url": url,
            "secret_token": secret,
            "allowed_updates": allowed if isinstance(allowed, list) else None,
            "max_connections": int(params.get("max_connections") or 40),
        }
        self._webhook_error = None
        self._poll_generation += 1  # running long polls end with 409
        self._updates_changed.fire()
        self._start_webhook_delivery()
        return _Described(True, "Webhook was set")

    def _delete_webhook(self, params: Mapping[str, Any]) -> _Described:
        had = self._webhook is not None
        self._webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self._updates_changed.fire()
        return _Described(True, "Webhook was deleted" if had else "Webhook is already deleted")

    def _get_webhook_info(self, _params: Mapping[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self._webhook is not None:
            info.update(
                url=self._webhook["url"],
                max_connections=self._webhook["max_connections"],
                ip_address="127.0.0.1",
            )
            if self._webhook["allowed_updates"]:
                info["allowed_updates"] = self._webhook["allowed_updates"]
            if self._webhook_error is not None:
                info["last_error_date"], info["last_error_message"] = self._webhook_error
        return info

    @staticmethod
    def _commands_key(params: Mapping[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True) + "|" + str(params.get("language_code") or "")

    def _set_my_commands(self, params: Mapping[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad("parameter commands is required")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("command description must be 1-256 characters")
        self._commands[self._commands_key(params)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    def _delete_my_commands(self, params: Mapping[str, Any]) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _get_my_commands(self, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    # --- messages

    def _chat(self, value: Any, *, sending: bool = False) -> dict[str, Any]:
        chat_id = _chat_id_value(value)
        if chat_id is None or chat_id == "":
            raise _bad("chat_id is empty")
        if isinstance(chat_id, str):
            name = chat_id.removeprefix("@")
            found = next((c for c in self._chats.values() if c.get("username") == name), None)
            if found is None:
                raise _bad("chat not found")
            chat = found
        elif chat_id in self._chats:
            chat = self._chats[chat_id]
        elif self.strict_chats:
            raise _bad("chat not found")
        else:
            chat = (
                {"id": chat_id, "type": "private", "first_name": "Anna"}
                if chat_id > 0
                else {"id": chat_id, "type": "supergroup", "title": "Lotse Team", "is_forum": True}
            )
            self._remember_chat(chat)
        if sending and chat["id"] in self._blocked:
            raise _ApiFailure(403, "Forbidden: bot was blocked by the user")
        return dict(chat)

    @staticmethod
    def _message_id(params: Mapping[str, Any], key: str = "message_id") -> int:
        try:
            return int(params[key])
        except (KeyError, TypeError, ValueError):
            raise _bad(f"{key} is empty") from None

    def _lookup(self, chat_id: int, message_id: int, error: str) -> dict[str, Any]:
        message = self._messages.get(chat_id, {}).get(message_id)
        if message is None:
            raise _bad(error)
        return message

    @staticmethod
    def _render(text: Any, parse_mode: Any, *, caption: bool = False) -> str:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        mode = str(parse_mode or "").lower()
        plain = (
            _html_to_plain(text)
            if mode == "html"
            else _markdown_v2_to_plain(text)
            if mode == "markdownv2"
            else text
        )
        if caption:
            if _utf16_len(plain) > _MAX_CAPTION:
                raise _bad("message caption is too long")
        elif not plain.strip():
            raise _bad("message text is empty")
        elif _utf16_len(plain) > _MAX_TEXT:
            raise _bad("message is too long")
        return plain

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        """Validate a keyboard; returns the part Telegram echoes back (inline keyboards)."""
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            return None
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise _bad("text buttons are unallowed in the inline keyboard")
                if not _BUTTON_ACTIONS & button.keys():
                    raise _bad("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise _bad("BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and not re.match(r"(https?|tg)://\S+$", str(url)):
                    raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong URL host")
        return {"inline_keyboard": rows}

    def _thread(self, chat: Mapping[str, Any], params: Mapping[str, Any]) -> int | None:
        raw = params.get("message_thread_id")
        if raw in {None, ""}:
            return None
        thread_id = int(raw)
        if chat["type"] == "supergroup" and (chat["id"], thread_id) not in self._topics:
            raise _bad("message thread not found")
        return thread_id

    def _outgoing(
        self, chat: dict[str, Any], params: Mapping[str, Any], content: dict[str, Any]
    ) -> dict[str, Any]:
        """Create, store and return a bot message in ``chat``."""
        thread_id = self._thread(chat, params)
        markup = self._check_markup(params.get("reply_markup"))
        chat_id = int(chat["id"])
        message: dict[str, Any] = {
            "message_id": self._alloc_message_id(chat_id),
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        reply = params.get("reply_parameters")
        reply_to = reply.get("message_id") if isinstance(reply, dict) else None
        reply_to = reply_to or params.get("reply_to_message_id")
        if reply_to:
            target = self._messages.get(chat_id, {}).get(int(reply_to))
            lenient = isinstance(reply, dict) and reply.get("allow_sending_without_reply")
            if target is not None:
                message["reply_to_message"] = copy.deepcopy(target)
                message["reply_to_message"].pop("reply_to_message", None)
            elif not (lenient or params.get("allow_sending_without_reply")):
                raise _bad("message to be replied not found")
        message.update(content)
        if markup is not None:
            message["reply_markup"] = markup
        return self._store(chat_id, message)

    def _send_message(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"), sending=True)
        plain = self._render(params.get("text"), params.get("parse_mode"))
        return self._outgoing(chat, params, {"text": plain})

    def _editable(self, params: Mapping[str, Any]) -> tuple[int, dict[str, Any]] | None:
        if params.get("inline_message_id"):
            return None
        chat = self._chat(params.get("chat_id"))
        chat_id = int(chat["id"])
        message = self._lookup(chat_id, self._message_id(params), "message to edit not found")
        if (
            not message.get("from", {}).get("is_bot")
            or message["from"]["id"] != self.bot_user["id"]
        ):
            raise _bad("message can't be edited")
        return chat_id, message

    def _edit_message_text(self, params: Mapping[str, Any]) -> dict[str, Any] | bool:
        found = self._editable(params)
        plain = self._render(params.get("text"), params.get("parse_mode"))
        markup = self._check_markup(params.get("reply_markup"))
        if found is None:
            return True
        _, message = found
        if message.get("text") == plain and message.get("reply_markup") == markup:
            raise _bad(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        message["text"] = plain
        # Editing without reply_markup removes the keyboard, as on Telegram.
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _edit_message_reply_markup(self, params: Mapping[str, Any]) -> dict[str, Any] | bool:
        found = self._editable(params)
        markup = self._check_markup(params.get("reply_markup"))
        if found is None:
            return True
        _, message = found
        if message.get("reply_markup") == markup:
            raise _bad(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    def _delete_message(self, params: Mapping[str, Any]) -> bool:
        chat_id = int(self._chat(params.get("chat_id"))["id"])
        message_id = self._message_id(params)
        self._lookup(chat_id, message_id, "message to delete not found")
        del self._messages[chat_id][message_id]
        return True

    def _answer_callback_query(self, params: Mapping[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_callbacks:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text") or "")) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        # An answered query cannot be answered again.
        self._open_callbacks.discard(query_id)
        return True

    def _send_location(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"), sending=True)
        try:
            location = {
                "latitude": float(params["latitude"]),
                "longitude": float(params["longitude"]),
            }
        except (KeyError, TypeError, ValueError):
            raise _bad("wrong latitude or longitude specified") from None
        return self._outgoing(chat, params, {"location": location})

    def _send_chat_action(self, params: Mapping[str, Any]) -> bool:
        self._chat(params.get("chat_id"), sending=True)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    def _copy_content(
        self, params: Mapping[str, Any], error: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The copyable content of the source message, and the source itself."""
        source_chat = int(self._chat(params.get("from_chat_id"))["id"])
        source = self._lookup(source_chat, self._message_id(params), error)
        content = {k: copy.deepcopy(v) for k, v in source.items() if k in _CONTENT_KEYS}
        if not content:
            raise _bad("message can't be copied")
        return content, source

    def _copy_message(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"), sending=True)
        content, _ = self._copy_content(params, "message to copy not found")
        if "caption" in params:
            content["caption"] = self._render(
                params["caption"], params.get("parse_mode"), caption=True
            )
        message = self._outgoing(chat, params, content)
        return {"message_id": message["message_id"]}

    def _forward_message(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"), sending=True)
        content, source = self._copy_content(params, "message to forward not found")
        if "forward_origin" in source:
            content["forward_origin"] = source["forward_origin"]
        elif source["chat"]["type"] == "channel":
            content["forward_origin"] = {
                "type": "channel",
                "chat": source["chat"],
                "message_id": source["message_id"],
                "date": source["date"],
            }
        else:
            content["forward_origin"] = {
                "type": "user",
                "sender_user": source.get("from", {}),
                "date": source["date"],
            }
        forwarded = {k: v for k, v in params.items() if k != "reply_markup"}
        return self._outgoing(chat, forwarded, content)

    def _media_file(self, value: Any, kind: str, default_name: str, mime: str | None) -> str:
        """Turn an upload, a known file_id or a URL into a stored file; returns its file_id."""
        if isinstance(value, UploadedFile):
            return self.register_file(
                value.data,
                kind=kind,
                file_name=value.filename or default_name,
                mime_type=value.content_type or mime,
            )
        if isinstance(value, str) and value in self._files:
            return value
        if isinstance(value, str) and re.match(r"https?://", value):
            return self.register_file(b"fetched:" + value.encode(), kind=kind, mime_type=mime)
        raise _bad("wrong file identifier/HTTP URL specified")

    def _media_message(self, params: Mapping[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"), sending=True)
        if params.get("caption") is not None:
            content["caption"] = self._render(
                params["caption"], params.get("parse_mode"), caption=True
            )
        return self._outgoing(chat, params, content)

    def _send_photo(self, params: Mapping[str, Any]) -> dict[str, Any]:
        file_id = self._media_file(params.get("photo"), "photos", "photo.jpg", "image/jpeg")
        data = self._files[file_id].data
        return self._media_message(params, {"photo": self._photo_sizes(data, 1280, 960)})

    def _send_document(self, params: Mapping[str, Any]) -> dict[str, Any]:
        value = params.get("document")
        file_id = self._media_file(value, "documents", "document", None)
        document = self._file_info(file_id)
        if isinstance(value, UploadedFile):
            document["file_name"] = value.filename
            document["mime_type"] = value.content_type
        return self._media_message(params, {"document": document})

    def _send_voice(self, params: Mapping[str, Any]) -> dict[str, Any]:
        file_id = self._media_file(params.get("voice"), "voice", "voice.ogg", "audio/ogg")
        voice = self._file_info(file_id) | {
            "duration": int(params.get("duration") or 1),
            "mime_type": "audio/ogg",
        }
        return self._media_message(params, {"voice": voice})

    # --- forum topics

    def _create_forum_topic(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"), sending=True)
        name = str(params.get("name") or "")
        if not 1 <= len(name) <= 128:
            raise _bad("TOPIC_NAME_INVALID")
        color = int(params.get("icon_color") or 7322096)
        if color not in _TOPIC_COLORS:
            raise _bad("TOPIC_ICON_COLOR_INVALID")
        chat_id = int(chat["id"])
        # The thread id is the id of the topic's creation service message.
        thread_id = self._alloc_message_id(chat_id)
        topic: dict[str, Any] = {"name": name, "icon_color": color, "closed": False}
        if params.get("icon_custom_emoji_id"):
            topic["icon_custom_emoji_id"] = params["icon_custom_emoji_id"]
        self._topics[(chat_id, thread_id)] = topic
        created = {k: v for k, v in topic.items() if k != "closed"}
        self._store(
            chat_id,
            {
                "message_id": thread_id,
                "from": self.bot_user,
                "chat": chat,
                "date": int(time.time()),
                "message_thread_id": thread_id,
                "is_topic_message": True,
                "forum_topic_created": created,
            },
        )
        return {"message_thread_id": thread_id, **created}

    def _topic(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat_id = int(self._chat(params.get("chat_id"))["id"])
        key = (chat_id, self._message_id(params, "message_thread_id"))
        if key not in self._topics:
            raise _bad("message thread not found")
        return self._topics[key]

    def _edit_forum_topic(self, params: Mapping[str, Any]) -> bool:
        topic = self._topic(params)
        changes = {
            k: params[k] for k in ("name", "icon_custom_emoji_id") if params.get(k) is not None
        }
        if all(topic.get(k) == v for k, v in changes.items()):
            raise _bad("TOPIC_NOT_MODIFIED")
        topic.update(changes)
        return True

    def _set_topic_closed(self, params: Mapping[str, Any], *, closed: bool) -> bool:
        topic = self._topic(params)
        if topic["closed"] == closed:
            raise _bad("TOPIC_NOT_MODIFIED")
        topic["closed"] = closed
        return True

    def _delete_forum_topic(self, params: Mapping[str, Any]) -> bool:
        chat_id = int(self._chat(params.get("chat_id"))["id"])
        thread_id = self._message_id(params, "message_thread_id")
        self._topic(params)
        del self._topics[(chat_id, thread_id)]
        messages = self._messages.get(chat_id, {})
        for message_id in [
            mid for mid, m in messages.items() if m.get("message_thread_id") == thread_id
        ]:
            del messages[message_id]
        return True

    def topic(self, chat_id: int, message_thread_id: int) -> dict[str, Any] | None:
        """The topic's current state (name, icon_color, closed) or None once deleted."""
        found = self._topics.get((chat_id, message_thread_id))
        return None if found is None else dict(found)

    # --- chats, members, files

    def _get_chat(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        return chat | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_chat_member(self, params: Mapping[str, Any]) -> dict[str, Any]:
        chat_id = int(self._chat(params.get("chat_id"))["id"])
        user_id = self._message_id(params, "user_id")
        if user_id == self.bot_user["id"]:
            user, default = dict(self.bot_user), "administrator"
        else:
            user = dict(self._users.get(user_id) or {"id": user_id, "is_bot": False})
            user.setdefault("first_name", "User")
            default = "member" if chat_id == user_id else "left"
        status = self._members.get((chat_id, user_id), default)
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "creator":
            member["is_anonymous"] = False
        elif status == "administrator":
            member.update(dict.fromkeys(_ADMIN_RIGHTS, True) | dict.fromkeys(_ADMIN_FLAGS, False))
        elif status == "kicked":
            member["until_date"] = 0
        return member

    def _get_file(self, params: Mapping[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id") or "")
        if file_id not in self._files:
            raise _bad("invalid file_id")
        return self._file_info(file_id) | {"file_path": self._files[file_id].file_path}

    def file_bytes(self, file_id: str) -> bytes:
        """Content of a stored file, e.g. what the bot uploaded with sendDocument."""
        return self._files[file_id].data


class BotProcess:
    """The bot under test as a subprocess pointed at ``api`` (env TELEGRAM_API_BASE, BOT_TOKEN).

    ``async with BotProcess(api, ["python", "-m", "bot", "run"]) as bot:`` starts it, waits
    until it polls (a new ``ready_method`` call) and on exit stops it with SIGTERM. ``kill()``
    simulates a crash; ``start()`` again restarts it. Output goes to a temporary file
    (``output()``, removed on context exit) so a chatty bot never blocks on a full pipe.
    With ``warm``, a ``python -m bot …`` command is forked from a preloaded interpreter
    (tests/e2e/warm.py) instead of starting a new one.
    """

    def __init__(
        self,
        api: FakeBotApi,
        cmd: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        ready_method: str = "getUpdates",
        startup_timeout: float = 30.0,
        stop_timeout: float = 10.0,
        warm: bool = False,
    ) -> None:
        self.api = api
        self.warm = warm
        self.cmd = list(cmd)
        self.env = {**os.environ, **(env or {})}
        self.env.update(TELEGRAM_API_BASE=api.base_url, BOT_TOKEN=api.token)
        self.cwd = cwd
        self.ready_method = ready_method
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self.proc: asyncio.subprocess.Process | WarmProcess | None = None
        fd, name = tempfile.mkstemp(prefix="lotse-bot-", suffix=".log")
        os.close(fd)
        self.log_path = Path(name)

    @property
    def pid(self) -> int:
        if self.proc is None:
            msg = "bot process not started"
            raise RuntimeError(msg)
        return self.proc.pid

    @property
    def returncode(self) -> int | None:
        return None if self.proc is None else self.proc.returncode

    def output(self) -> str:
        """Everything the bot wrote to stdout/stderr so far (all runs)."""
        return self.log_path.read_text(errors="replace")

    async def start(self) -> Self:
        """Launch and wait until the bot makes its first ``ready_method`` call."""
        seen = len(self.api.calls(self.ready_method))
        proc: asyncio.subprocess.Process | WarmProcess
        if self.warm:
            from tests.e2e.warm import start_warm

            proc = await start_warm(self.cmd, env=self.env, cwd=self.cwd, log=self.log_path)
        else:
            # The child keeps its own descriptor; ours can close right away.
            with self.log_path.open("ab") as log:
                proc = await asyncio.create_subprocess_exec(
                    *self.cmd,
                    env=self.env,
                    cwd=self.cwd,
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                )
        self.proc = proc
        ready = asyncio.create_task(
            self.api.wait_until(
                lambda: len(self.api.calls(self.ready_method)) > seen,
                timeout=self.startup_timeout,
                what=f"{self.ready_method} from the bot process",
            )
        )
        exited = asyncio.create_task(proc.wait())
        await asyncio.wait({ready, exited}, return_when=asyncio.FIRST_COMPLETED)
        exited.cancel()
        if ready.done() and ready.exception() is None:
            return self
        ready.cancel()
        with contextlib.suppress(asyncio.CancelledError, AssertionError):
            await ready
        await self.stop()
        msg = (
            f"bot did not reach {self.ready_method} (exit code {proc.returncode}); "
            f"output:\n{self.output()[-4000:]}"
        )
        raise AssertionError(msg)

    async def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after ``stop_timeout``; returns the exit code."""
        proc = self.proc
        if proc is None:
            return None
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), self.stop_timeout)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        return proc.returncode

    async def kill(self) -> None:
        """SIGKILL - a crash without any chance to clean up or confirm updates."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            await self.stop()
        finally:
            self.log_path.unlink(missing_ok=True)


with contextlib.suppress(ImportError):  # the fixture is optional outside pytest (bench/)
    import pytest_asyncio

    @pytest_asyncio.fixture
    async def fake_api() -> AsyncIterator[FakeBotApi]:
        """A started :class:`FakeBotApi`; register via ``pytest_plugins`` in conftest."""
        async with FakeBotApi() as api:
            yield api
