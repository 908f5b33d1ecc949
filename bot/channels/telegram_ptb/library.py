"""python-telegram-bot (v22) as Lotse's Telegram library: its ``Bot`` over ``HTTPXRequest``.

Routing, ordering and the inbox are library-neutral (``bot.channels.telegram``), so PTB's
``Application`` (with its own update queue and handler groups) is not used: like aiogram's
``Dispatcher``, it would order and confirm updates in ways Lotse's inbox cannot follow.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from telegram import Bot, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    TelegramError,
)
from telegram.error import RetryAfter as PtbRetryAfter
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning

from bot.channels.telegram.delivery import PermanentError, RetryAfter, TransientError
from bot.channels.telegram.updates import ALLOWED_UPDATES, Incoming, read_update

TELEGRAM = "https://api.telegram.org"
FETCH_GRACE_S = 10
"""How much longer than the long poll an HTTP request for getUpdates may take."""
CONNECTIONS = 100
"""Concurrent HTTP connections for calls (aiohttp's default in the aiogram runtime)."""

# Lotse calls every method by its Bot API name with plain parameters (``do_api_request``),
# because its outbox stores calls as JSON; PTB suggests its typed method for known names.
warnings.filterwarnings(
    "ignore",
    message=r"Please use 'Bot\.",
    category=PTBUserWarning,
    module=__name__,
)


class PtbLibrary:
    """The Bot API through python-telegram-bot's ``Bot``, pointed at Telegram or
    ``api_base``."""

    name = "ptb"

    def __init__(self, token: str, api_base: str | None = None) -> None:
        base = (api_base or TELEGRAM).rstrip("/")
        self._requests = (
            HTTPXRequest(
                connection_pool_size=CONNECTIONS,
                read_timeout=60,
                write_timeout=20,
                connect_timeout=10,
                pool_timeout=30,
            ),
            HTTPXRequest(connection_pool_size=1, read_timeout=FETCH_GRACE_S),
        )
        self.bot = Bot(
            token,
            base_url=f"{base}/bot",
            base_file_url=f"{base}/file/bot",
            request=self._requests[0],
            get_updates_request=self._requests[1],
        )

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
    """PTB's exceptions as the outbox's retry categories.

    Only Telegram's refusal of the call itself is permanent. A rejected token (401/404) and
    a conflict (409) concern the bot, not the call; network trouble, timeouts, 5xx and
    answers PTB cannot read are retried.
    """
    try:
        yield
    except PtbRetryAfter as exc:
        wait = exc.retry_after
        raise RetryAfter(
            wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        ) from exc
    except (InvalidToken, Conflict) as exc:
        raise TransientError(f"{type(exc).__name__}: {exc.message}") from exc
    except (BadRequest, Forbidden, ChatMigrated, EndPointNotFound) as exc:
        raise PermanentError(f"{type(exc).__name__}: {exc.message}") from exc
    except (TelegramError, TimeoutError) as exc:
        raise TransientError(type(exc).__name__) from exc
