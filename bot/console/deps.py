"""What the console needs from the running Lotse, handed in by whoever serves it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.app import App
from bot.source import IssueList

IsMember = Callable[[int, int], Awaitable[bool]]
"""(staff group chat id, user id) → True when the user belongs to that group (Telegram's
getChatMember)."""
Reload = Callable[[], Awaitable[IssueList]]
"""Reload the content from disk into the running bot (the same as ``/reload``)."""


@dataclass
class ConsoleDeps:
    """The running app, the secrets and how to ask Telegram about group members."""

    app: App
    reload: Reload
    bot_token: str
    web_secret: str
    is_member: IsMember
    public_url: str = ""
    """E.g. https://lotse.example.org; needed for the Telegram Login widget and links."""
    base: str = "/staff"
    """Where the console is mounted."""
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    @property
    def secure(self) -> bool:
        """Cookies only over https when the console is served over https."""
        return self.public_url.startswith("https://")

    def link(self, path: str) -> str:
        """An absolute link into the console (for the bot's one-time login message)."""
        return f"{self.public_url.rstrip('/')}{self.base}{path}"


def login_links(app: App, url: str, base: str = "/staff") -> Callable[[int], Awaitable[str]]:
    """What ``/login`` sends: a one-time link to the console served at ``url`` + ``base``."""

    async def link(user_id: int) -> str:
        token = await app.staff.new_login_token(user_id, datetime.now(UTC))
        return f"{url.rstrip('/')}{base}/login/link?token={token}"

    return link
