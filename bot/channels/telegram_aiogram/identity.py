"""Who the bot is on Telegram: its username, asked with ``getMe`` (for poster links)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import AiogramError
from aiogram.utils.token import TokenValidationError

LOOKUP_TIMEOUT_S = 10


class UsernameUnavailable(Exception):
    """Telegram could not be asked, or did not name the bot."""


def api_session(api_base: str | None) -> AiohttpSession:
    """An HTTP session to Telegram, or to the configured Bot API server (a fake in tests)."""
    return (
        AiohttpSession(api=TelegramAPIServer.from_base(api_base)) if api_base else AiohttpSession()
    )


async def bot_username(token: str, api_base: str | None) -> str:
    """The bot's username as Telegram knows it.

    Raises:
        UsernameUnavailable: with the reason, never the token.
    """
    try:
        bot = Bot(token, session=api_session(api_base))
    except TokenValidationError:
        msg = "BOT_TOKEN is not a bot token (it looks like 123456:ABC…)"
        raise UsernameUnavailable(msg) from None
    try:
        me = await bot.get_me(request_timeout=LOOKUP_TIMEOUT_S)
    except (AiogramError, TimeoutError) as exc:
        raise UsernameUnavailable(str(exc).replace(token, "…")) from None
    finally:
        await bot.session.close()
    if not me.username:
        msg = "getMe named no username"
        raise UsernameUnavailable(msg)
    return me.username
