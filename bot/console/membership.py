"""Is a Telegram user a member of a staff group? Asked with the Bot API's getChatMember
over plain HTTP (no Telegram library in the console)."""

from __future__ import annotations

import logging

import aiohttp

from bot.console.deps import IsMember

log = logging.getLogger("bot.console")
MEMBER_STATES = frozenset({"creator", "administrator", "member"})


def bot_api_member_check(token: str, api_base: str | None = None) -> IsMember:
    """An :data:`~bot.console.deps.IsMember` function over the Bot API at ``api_base``."""
    base = (api_base or "https://api.telegram.org").rstrip("/")

    async def is_member(chat_id: int, user_id: int) -> bool:
        url = f"{base}/bot{token}/getChatMember"
        params = {"chat_id": str(chat_id), "user_id": str(user_id)}
        try:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http,
                http.post(url, data=params) as response,
            ):
                body = await response.json()
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            log.warning("getChatMember failed: %s", exc.__class__.__name__)
            return False
        member = (body.get("result") if isinstance(body, dict) else None) or {}
        status = member.get("status")
        return status in MEMBER_STATES or (
            status == "restricted" and bool(member.get("is_member"))
        )

    return is_member
