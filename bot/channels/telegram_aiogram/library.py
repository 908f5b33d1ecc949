"""aiogram 3 as Lotse's Telegram library: its ``Bot`` and HTTP session, its types and errors.

Routing, ordering and the inbox are library-neutral (``bot.channels.telegram``); aiogram's
``Dispatcher`` is not needed for them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import aiogram.methods
from aiogram import Bot
from aiogram.exceptions import (
    AiogramError,
    ClientDecodeError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response
from aiogram.types import Update
from aiohttp import ClientError, ClientTimeout

from bot.channels.telegram.delivery import PermanentError, RetryAfter, TransientError, error_for
from bot.channels.telegram.failures import classify_answer
from bot.channels.telegram.updates import ALLOWED_UPDATES, Incoming, read_update
from bot.channels.telegram_aiogram.identity import api_session

JSON = {"Content-Type": "application/json"}
FETCH_GRACE_S = 10
"""How much longer than the long poll an HTTP request for getUpdates may take."""


class AiogramLibrary:
    """The Bot API through aiogram's ``Bot``, pointed at Telegram or ``api_base``."""

    name = "aiogram"

    def __init__(self, token: str, api_base: str | None = None) -> None:
        self.http = api_session(api_base)
        self.bot = Bot(token, session=self.http)
        _keep_response_type(GetUpdates)

    def __repr__(self) -> str:
        return f"AiogramLibrary(bot_id={self.bot.id}, token=<hidden>)"

    async def fetch(self, offset: int | None, poll_seconds: int) -> Sequence[Incoming]:
        """One long poll; aiogram parses the updates."""
        request = GetUpdates(
            offset=offset, timeout=poll_seconds, allowed_updates=list(ALLOWED_UPDATES)
        )
        with _outbox_errors():
            updates = await self.bot(request, request_timeout=poll_seconds + FETCH_GRACE_S)
        return [_incoming(update) for update in updates]

    def parse(self, raw: str | bytes) -> Incoming:
        """An update from its JSON (pydantic's ValidationError is a ValueError)."""
        return _incoming(Update.model_validate_json(raw, context={"bot": self.bot}))

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """Make one Bot API call; aiogram's errors become the outbox's retry categories."""
        with _outbox_errors():
            return await self.bot(_method(method, params))

    async def send(self, method: str, payload: str) -> None:
        """Post an outbox call, its JSON as written, through aiogram's HTTP session.

        Building aiogram's objects from the JSON only to serialise them again, and parsing
        the sent message back, cost half of every send. Errors are still read by aiogram.
        """
        session = self.http
        client = await session.create_session()
        url = session.api.api_url(token=self.bot.token, method=method)
        with _outbox_errors():
            try:
                async with client.post(
                    url, data=payload, headers=JSON, timeout=ClientTimeout(total=session.timeout)
                ) as response:
                    status, content = response.status, await response.text()
            except (TimeoutError, ClientError) as exc:
                raise TransientError(type(exc).__name__) from exc
            failure = classify_answer(status, content)
            if failure is not None:
                raise error_for(failure)

    async def close(self) -> None:
        """Close the Bot API session."""
        await self.bot.session.close()


def _incoming(update: Update) -> Incoming:
    return read_update(update, lambda: update.model_dump_json(by_alias=True, exclude_none=True))


@contextmanager
def _outbox_errors() -> Iterator[None]:
    """aiogram's exceptions as the outbox's retry categories.

    ``ClientDecodeError`` (an answer aiogram cannot decode, e.g. a proxy's HTML 502 page)
    and any error aiogram does not name are unknown: retried like a 5xx. Only Telegram's
    refusal of the call itself is permanent; 401 and 409 concern the bot, not the call.
    """
    try:
        yield
    except (RetryAfter, TransientError, PermanentError):
        raise
    except TelegramRetryAfter as exc:
        raise RetryAfter(float(exc.retry_after)) from exc
    except (TelegramUnauthorizedError, TelegramConflictError) as exc:
        raise TransientError(f"{type(exc).__name__}: {exc.message}") from exc
    except (TelegramBadRequest, TelegramForbiddenError, TelegramNotFound) as exc:
        raise PermanentError(f"{type(exc).__name__}: {exc.message}") from exc
    except TelegramEntityTooLarge as exc:
        raise PermanentError(f"{type(exc).__name__}: {exc.message}") from exc
    except (TimeoutError, ClientError, ClientDecodeError, AiogramError) as exc:
        raise TransientError(type(exc).__name__) from exc


def _method(method: str, params: dict[str, Any]) -> TelegramMethod[Any]:
    method_class = getattr(aiogram.methods, method[0].upper() + method[1:])
    _keep_response_type(method_class)
    return method_class.model_validate(params)  # type: ignore[no-any-return]


_RESPONSE_TYPES: dict[type[TelegramMethod[Any]], type[Response[Any]]] = {}


def _keep_response_type(method_class: type[TelegramMethod[Any]]) -> None:
    """Hold aiogram's ``Response[T]`` for a method, so that it is built only once.

    aiogram parses every answer as ``Response[T]``; pydantic caches that generic class only
    weakly, so without a reference it is rebuilt for each call (measured: a third of a send).
    """
    if method_class not in _RESPONSE_TYPES:
        _RESPONSE_TYPES[method_class] = Response[method_class.__returning__]  # type: ignore[name-defined]
