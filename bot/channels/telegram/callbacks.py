"""Callback data: which question and which option a button press answers.

Telegram allows 1–64 bytes. The data is ``<question key>|<option id>`` in ASCII, e.g.
``letters.which_office|jobcenter``; flow validation (F112) keeps every flow within the limit.
"""

from __future__ import annotations

import re

MAX_BYTES = 64
SEPARATOR = "|"
_VALID = re.compile(r"^[a-z0-9_.]{1,64}\|[a-z0-9_]{1,32}$")


class CallbackTooLong(ValueError):
    """A question key and option id do not fit into Telegram's 64 bytes."""


def encode(step: str, option: str) -> str:
    """Build the callback data of a button."""
    data = f"{step}{SEPARATOR}{option}"
    if len(data.encode()) > MAX_BYTES:
        msg = f"callback data {data!r} is over {MAX_BYTES} bytes; use shorter step/option ids"
        raise CallbackTooLong(msg)
    return data


def decode(data: str | None) -> tuple[str, str] | None:
    """Split callback data into (question key, option id); None when forged or corrupted."""
    if not data or len(data.encode()) > MAX_BYTES or not _VALID.match(data):
        return None
    step, _, option = data.rpartition(SEPARATOR)
    return step, option
