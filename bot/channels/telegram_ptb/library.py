"""python-telegram-bot (v22) as Lotse's Telegram library: its ``Bot`` over ``HTTPXRequest``.

Routing, ordering and the inbox are library-neutral (``bot.channels.telegram``), so PTB's
``Application`` (with its own update queue and handler groups) is not used: like aiogram's
``Dispatcher``, it would order and confirm updates in ways Lotse's inbox cannot follow.
"""

from __future__ import annotations

import asyncio
import json
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any

from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning

from bot.channels.telegram.delivery import TransientError, error_for
from bot.channels.telegram.failures import Failure, classify_answer
from bot.channels.telegram.updates import ALLOWED_UPDATES, Incoming, read_update

TELEGRAM = "https://api.telegram.org"
FETCH_GRACE_S = 10
"""How much longer than the long poll an HTTP request for getUpdates may take."""
CONNECTIONS = 16
"""Concurrent calls, each on its own HTTP connection: Telegram takes about 30 messages a
second from a bot, so even slow answers (0.3 s) need fewer than ten. httpcore's bookkeeping
per call grows with the pool: 16 connections cost 0.5 ms less CPU per message than 32."""

# Lotse calls every method by its Bot API name with plain parameters (``do_api_request``),
# because its outbox stores calls as JSON; PTB suggests its typed method for known names.
warnings.filterwarnings(
    "ignore",
    message=r"Please use 'Bot\.",
    category=PTBUserWarning,
    module=__name__,
)


class _Classified(TelegramError):
    """A failed answer, classified like the aiogram runtime's (PTB passes it on as is)."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


class _ClassifiedRequest(HTTPXRequest):
    """PTB's HTTP client; failed answers are read by the library-neutral ``classify_answer``.

    PTB's own reading differs from aiogram's (413 becomes a network error and is retried),
    so both runtimes classify the HTTP status and body in the same place.
    """

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(*args, **kwargs)
        if not HTTPStatus.OK <= code < HTTPStatus.MULTIPLE_CHOICES:
            failure = classify_answer(code, payload)
            if failure is not None:
                raise _Classified(failure)
        return code, payload


class PtbLibrary:
    """The Bot API through python-telegram-bot's ``Bot``, pointed at Telegram or
    ``api_base``."""

    name = "ptb"

    def __init__(self, token: str, api_base: str | None = None) -> None:
        base = (api_base or TELEGRAM).rstrip("/")
        self._requests = (
            _ClassifiedRequest(
                connection_pool_size=CONNECTIONS,
                read_timeout=60,
                write_timeout=20,
                connect_timeout=10,
                pool_timeout=30,
            ),
            _ClassifiedRequest(connection_pool_size=1, read_timeout=FETCH_GRACE_S),
        )
        self.bot = Bot(
            token,
            base_url=f"{base}/bot",
            base_file_url=f"{base}/file/bot",
            request=self._requests[0],
            get_updates_request=self._requests[1],
        )
        # Calls beyond the pool wait here, not in httpcore's queue: httpcore checks every
        # connection for every queued request each time one starts or ends, which cost
        # more CPU than the rest of Lotse when 200 chats were answered at once.
        self._slots = asyncio.Semaphore(CONNECTIONS)

    def __repr__(self) -> str:
        return "PtbLibrary(token=<hidden>)"

    async def fetch(self, offset: int | None, poll_seconds: int) -> Sequence[Incoming]:
        """One long poll; PTB parses the updates."""
        with _outbox_errors():
            updates = await self.bot.get_updates(
                offset=offset, timeout=poll_seconds, allowed_updates=list(ALLOWED_UPDATES)
            )
        return [_incoming(update) for update in updates]

    def parse(self, raw: str | bytes) -> Incoming:
        """An update from its JSON; ValueError when it is not one."""
        data = json.loads(raw)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            msg = "not a Telegram update"
            raise ValueError(msg)
        try:
            update = Update.de_json(data, self.bot)
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"malformed update: {type(exc).__name__}") from exc
        return _incoming(update)

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """Make one Bot API call; PTB's errors become the outbox's retry categories."""
        async with self._slots:
            with _outbox_errors():
                return await self.bot.do_api_request(method, api_kwargs=params)

    async def send(self, method: str, payload: str) -> None:
        """Post an outbox call from its JSON."""
        await self.call(method, json.loads(payload))

    async def close(self) -> None:
        """Close both HTTP clients."""
        for request in self._requests:
            await request.shutdown()


def _incoming(update: Update) -> Incoming:
    return read_update(update, update.to_json)


@contextmanager
def _outbox_errors() -> Iterator[None]:
    """Failed calls as the outbox's retry categories.

    Answers are classified by ``classify_answer``; anything else PTB raises (network
    trouble, timeouts, an answer it cannot read) is retried.
    """
    try:
        yield
    except _Classified as exc:
        raise error_for(exc.failure) from exc
    except (TelegramError, TimeoutError) as exc:
        raise TransientError(type(exc).__name__) from exc
