"""Telegram Login checks, session cookies and the attempt limit, without a server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.console.auth import (
    AttemptLimit,
    Signer,
    TelegramUser,
    check_telegram_login,
    sign_telegram_login,
)

TOKEN = "123456789:AAFakeTokenForLotseTests-0123456789ab"
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
FIELDS = {
    "id": "42",
    "first_name": "Amal",
    "last_name": "K.",
    "auth_date": str(int(NOW.timestamp())),
}


def test_the_documented_data_check_string_is_signed() -> None:
    """The hash is HMAC-SHA256 of the sorted key=value lines under SHA256(token)."""
    import hashlib
    import hmac

    data = f"auth_date={FIELDS['auth_date']}\nfirst_name=Amal\nid=42\nlast_name=K."
    key = hashlib.sha256(TOKEN.encode()).digest()
    expected = hmac.new(key, data.encode(), hashlib.sha256).hexdigest()
    assert sign_telegram_login(FIELDS, TOKEN)["hash"] == expected


def test_a_signed_fresh_payload_names_the_user() -> None:
    user = check_telegram_login(sign_telegram_login(FIELDS, TOKEN), TOKEN, NOW)
    assert user == TelegramUser(42, "Amal K.")


@pytest.mark.parametrize(
    "change",
    [
        {"first_name": "Eve"},  # tampered after signing
        {"hash": "0" * 64},
        {"hash": ""},
    ],
)
def test_a_tampered_payload_is_refused(change: dict[str, str]) -> None:
    fields = {**sign_telegram_login(FIELDS, TOKEN), **change}
    assert check_telegram_login(fields, TOKEN, NOW) is None


def test_a_payload_for_another_bot_or_too_old_or_from_the_future_is_refused() -> None:
    assert check_telegram_login(sign_telegram_login(FIELDS, "1:other"), TOKEN, NOW) is None
    signed = sign_telegram_login(FIELDS, TOKEN)
    assert check_telegram_login(signed, TOKEN, NOW + timedelta(days=1, seconds=1)) is None
    assert check_telegram_login(signed, TOKEN, NOW - timedelta(minutes=6)) is None
    assert check_telegram_login(signed, TOKEN, NOW + timedelta(hours=23)) is not None


def test_a_session_cookie_round_trips_and_expires() -> None:
    signer = Signer("a-long-enough-secret")
    session, cookie = signer.new_session(TelegramUser(42, "Amal"), NOW)
    assert signer.session(cookie, NOW + timedelta(hours=7)) == session
    assert signer.session(cookie, NOW + timedelta(hours=8)) is None
    assert signer.session(cookie.replace(".", "x.", 1), NOW) is None
    assert signer.session("", NOW) is None
    assert Signer("another-long-secret").session(cookie, NOW) is None
    other, _ = signer.new_session(TelegramUser(42, "Amal"), NOW)
    assert signer.csrf(session) != signer.csrf(other)


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 16"):
        Signer("short")


def test_the_attempt_limit_is_per_address_and_slides() -> None:
    limit = AttemptLimit(attempts=2, window=timedelta(minutes=10))
    assert limit.allow("a", NOW)
    assert limit.allow("a", NOW + timedelta(minutes=1))
    assert not limit.allow("a", NOW + timedelta(minutes=2))
    assert limit.allow("b", NOW + timedelta(minutes=2))
    assert limit.allow("a", NOW + timedelta(minutes=10))
