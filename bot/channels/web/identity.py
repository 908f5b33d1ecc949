"""The web resident's identity: a random id in a signed cookie, nothing else.

The id is the resident's key on the ``web`` channel, like a Telegram chat id; the cookie
holds only that id and its HMAC, so it cannot be forged or guessed into someone else's
conversation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ID_BYTES = 16


def new_id() -> str:
    """A fresh random resident id (32 hex digits: never a Telegram chat id)."""
    return secrets.token_hex(ID_BYTES)


class Signer:
    """Signs and checks resident ids with the web secret."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def sign(self, resident: str) -> str:
        """``<id>.<signature>``, the cookie's value."""
        return f"{resident}.{self._signature(resident)}"

    def check(self, value: str | None) -> str | None:
        """The id of a well-signed value; None for a missing, broken or forged one."""
        if not value or value.count(".") != 1:
            return None
        resident, signature = value.split(".")
        if len(resident) != 2 * ID_BYTES or not all(c in "0123456789abcdef" for c in resident):
            return None
        return resident if hmac.compare_digest(signature, self._signature(resident)) else None

    def _signature(self, resident: str) -> str:
        return hmac.new(self._secret, resident.encode(), hashlib.sha256).hexdigest()
