"""What a failed Bot API call means: retry, wait (retry-after), give up (permanent) or unknown.

Library-neutral: a runtime classifies the raw answer (HTTP status and body) here, so the
outbox never depends on how a library reports errors. Anything not clearly understood is
``unknown`` and retried like a 5xx: a proxy's HTML 502 page, an empty body, a 200 without
``"ok": true``. Only Telegram's own refusal of the call itself (400, 403, 404, 413) is
permanent; it carries Telegram's description as the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus
from typing import Any


class Verdict(StrEnum):
    """How the outbox treats a failed call."""

    RETRY = "retry"
    """A network error or a 5xx: the same call may succeed later."""
    RETRY_AFTER = "retry_after"
    """429: every call waits ``retry_after`` seconds."""
    PERMANENT = "permanent"
    """Telegram refused this call (blocked by the user, chat not found, bad request)."""
    UNKNOWN = "unknown"
    """An answer that cannot be read (HTML, empty, malformed): retried like a 5xx."""


PERMANENT_STATUSES = frozenset(
    {
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.FORBIDDEN,
        HTTPStatus.NOT_FOUND,
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
    }
)
"""Telegram's answers about the call itself; 401 and 409 concern the bot, not the call."""


@dataclass(frozen=True)
class Failure:
    """A classified failure; ``reason`` is safe to log and store (no message text)."""

    verdict: Verdict
    reason: str
    retry_after: float = 0.0

    @property
    def retried(self) -> bool:
        """True unless Telegram refused the call for good."""
        return self.verdict is not Verdict.PERMANENT


def classify_answer(status: int, body: str | bytes) -> Failure | None:
    """None for a successful call; otherwise what its answer means."""
    try:
        data: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        kind = "empty" if not body else "not JSON"
        return Failure(Verdict.UNKNOWN, f"HTTP {status}, {kind} body")
    if status == HTTPStatus.OK and data.get("ok") is True:
        return None
    description = str(data.get("description") or f"HTTP {status}")[:200]
    parameters = data.get("parameters")
    retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
    if isinstance(retry_after, int | float) and retry_after >= 0:
        return Failure(Verdict.RETRY_AFTER, description, float(retry_after))
    if status == HTTPStatus.TOO_MANY_REQUESTS or status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return Failure(Verdict.RETRY, description)
    if status in PERMANENT_STATUSES:
        return Failure(Verdict.PERMANENT, description)
    return Failure(Verdict.UNKNOWN, description)
