"""Who may enter the console: Telegram Login data, signed session cookies, CSRF tokens and
a limit on login attempts per address. Pure functions and small values, no web framework.

Telegram documents the widget's check (core.telegram.org/widgets/login): the fields it
sends except ``hash``, sorted, as ``key=value`` lines, signed with HMAC-SHA256 under the
SHA-256 of the bot token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

LOGIN_MAX_AGE = timedelta(days=1)
"""Telegram Login data older than this is refused (a copied link does not stay useful)."""
SESSION_HOURS = 8
"""A console session lasts a working day."""


@dataclass(frozen=True)
class TelegramUser:
    """The user a valid Telegram Login payload names."""

    id: int
    name: str


def check_telegram_login(
    fields: Mapping[str, str], bot_token: str, now: datetime
) -> TelegramUser | None:
    """The user when ``fields`` carry Telegram's valid, fresh signature; else None."""
    received = fields.get("hash", "")
    expected = _login_hash({k: v for k, v in fields.items() if k != "hash"}, bot_token)
    if not received or not hmac.compare_digest(expected, received):
        return None
    try:
        user_id = int(fields["id"])
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), tz=now.tzinfo)
    except (KeyError, ValueError, OverflowError, OSError):
        return None
    if not timedelta(minutes=-5) <= now - signed_at <= LOGIN_MAX_AGE:
        return None
    name = " ".join(fields[k] for k in ("first_name", "last_name") if fields.get(k))
    return TelegramUser(user_id, name or fields.get("username", "") or str(user_id))


def sign_telegram_login(fields: Mapping[str, str], bot_token: str) -> dict[str, str]:
    """``fields`` with the hash Telegram would add (for tests and local demonstrations)."""
    return {**fields, "hash": _login_hash(fields, bot_token)}


def _login_hash(fields: Mapping[str, str], bot_token: str) -> str:
    """Telegram's signature: the sorted ``key=value`` lines under SHA-256 of the token."""
    data = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hashlib.sha256(bot_token.encode()).digest()
    return hmac.new(secret, data.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class StaffSession:
    """A logged-in staff member; ``sid`` is random per login and keys the CSRF token."""

    user_id: int
    name: str
    expires: int
    sid: str

    @property
    def who(self) -> str:
        """How the change log names this person."""
        return f"{self.name} ({self.user_id})"


class Signer:
    """Signs session cookies and derives CSRF tokens with ``WEB_SECRET``."""

    def __init__(self, secret: str) -> None:
        if len(secret) < 16:
            msg = "WEB_SECRET must be at least 16 characters long"
            raise ValueError(msg)
        self._key = hashlib.sha256(b"lotse-console:" + secret.encode()).digest()

    def _mac(self, data: bytes) -> str:
        return hmac.new(self._key, data, hashlib.sha256).hexdigest()

    def new_session(self, user: TelegramUser, now: datetime) -> tuple[StaffSession, str]:
        """A session for ``user`` and its cookie value."""
        expires = int((now + timedelta(hours=SESSION_HOURS)).timestamp())
        session = StaffSession(user.id, user.name, expires, secrets.token_urlsafe(16))
        body = json.dumps([session.user_id, session.name, session.expires, session.sid])
        data = base64.urlsafe_b64encode(body.encode())
        return session, f"{data.decode()}.{self._mac(data)}"

    def session(self, cookie: str | None, now: datetime) -> StaffSession | None:
        """The session of a cookie that is intact and not expired, else None."""
        data, _, mac = (cookie or "").encode().rpartition(b".")
        if not data or not hmac.compare_digest(self._mac(data).encode(), mac):
            return None
        try:
            user_id, name, expires, sid = json.loads(base64.urlsafe_b64decode(data))
        except (ValueError, TypeError):
            return None
        if expires <= now.timestamp():
            return None
        return StaffSession(int(user_id), str(name), int(expires), str(sid))

    def csrf(self, session: StaffSession) -> str:
        """The form token of a session: forms of another session or site do not match."""
        return self._mac(f"csrf:{session.sid}".encode())


@dataclass
class AttemptLimit:
    """At most ``attempts`` login tries per address in ``window`` (a sliding window)."""

    attempts: int = 10
    window: timedelta = timedelta(minutes=10)
    _seen: dict[str, deque[datetime]] = field(default_factory=dict)

    def allow(self, address: str, now: datetime) -> bool:
        """Count a try from ``address``; False when it is one too many."""
        times = self._seen.setdefault(address, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) >= self.attempts:
            return False
        times.append(now)
        if len(self._seen) > 10_000:  # forget quiet addresses; memory stays bounded
            self._seen = {a: t for a, t in self._seen.items() if t and now - t[-1] < self.window}
        return True
