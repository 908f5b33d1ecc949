"""What a Telegram library gives Lotse: four primitives, nothing about routing or order.

A runtime package (``channels/telegram_aiogram``, ``channels/telegram_ptb``) implements this
protocol with its library's ``Bot``; everything else (ordering, the inbox, draining, the
webhook server, the outbox) is library-neutral and lives in this package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bot.channels.telegram.updates import Incoming


class TelegramLibrary(Protocol):
    """Bot API primitives of one library. Failures raise the outbox's categories
    (:class:`~bot.channels.telegram.delivery.RetryAfter`, ``TransientError``,
    ``PermanentError``), never the library's own exceptions."""

    name: str
    """``aiogram`` or ``ptb`` (in logs and metrics)."""

    async def fetch(self, offset: int | None, poll_seconds: int) -> Sequence[Incoming]:
        """One ``getUpdates`` long poll of ``poll_seconds`` for ``ALLOWED_UPDATES``."""
        ...

    def parse(self, raw: str | bytes) -> Incoming:
        """An update from Bot API JSON (the inbox, a webhook body); ValueError if unreadable."""
        ...

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """One Bot API call with plain parameters; its result as the library returns it."""
        ...

    async def send(self, method: str, payload: str) -> None:
        """One outbox call, its JSON payload as written; the result is not needed."""
        ...

    async def close(self) -> None:
        """Release the HTTP session."""
        ...
