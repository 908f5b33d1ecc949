"""The console over a copy of the real content, a real SQLite file and real HTTP: each test
gets its own folder, so edits never touch the repository. (Fixtures and helpers for the
console's tests here and in tests/browser; a module of its own name, since every test
folder has a ``conftest``.)"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import App, build_app, reload_content
from bot.config import StaffGroup, load_settings
from bot.console import ConsoleDeps, create_console
from bot.console.auth import sign_telegram_login
from bot.source import IssueList

ROOT = Path(__file__).parents[3]
TOKEN = "123456789:AAFakeTokenForLotseTests-0123456789ab"
SECRET = "test-web-secret-0123456789"
STAFF_ID = 4242
GROUP_MEMBER_ID = 5151
STAFF_GROUP = -100777
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of learnt models for every console test (the topic model is learnt once)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def site(tmp_path: Path, cache: Path) -> Path:
    """A copy of the content and config.yaml, with a database and cache of its own."""
    for folder in ("flows", "locales", "places", "nlu"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    config = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config = config.replace("sqlite+aiosqlite:///data/lotse.db", "sqlite+aiosqlite:///lotse.db")
    config = config.replace("paths:\n", f"paths:\n  cache: {cache}\n")
    (tmp_path / "config.yaml").write_text(config, encoding="utf-8")
    return tmp_path


@dataclass
class Console:
    """A running console and what a test needs around it."""

    client: TestClient[web.Request, web.Application]
    app: App
    site: Path
    members: set[tuple[int, int]] = field(default_factory=set)
    now: datetime = NOW

    def login_fields(self, user_id: int = STAFF_ID, **extra: str) -> dict[str, str]:
        """Telegram Login data for ``user_id`` as the widget sends it, signed with the token."""
        fields = {
            "id": str(user_id),
            "first_name": "Amal",
            "username": "amal",
            "auth_date": str(int(self.now.timestamp())),
            **extra,
        }
        return sign_telegram_login(fields, TOKEN)

    async def login(self, user_id: int = STAFF_ID) -> None:
        """Log in through the widget's redirect."""
        response = await self.client.get(
            "/staff/login/telegram", params=self.login_fields(user_id)
        )
        assert response.status == 200, await response.text()

    async def csrf(self, path: str) -> str:
        """The CSRF token in the form of a page."""
        html = await (await self.client.get(path)).text()
        return html.split('name="csrf" value="', 1)[1].split('"', 1)[0]


MemberCheck = Callable[[int, int], Awaitable[bool]]


@pytest.fixture
async def console(site: Path) -> AsyncIterator[Console]:
    settings, issues = load_settings(site / "config.yaml")
    assert settings is not None, issues
    telegram = settings.telegram.model_copy(
        update={
            "staff_user_ids": [STAFF_ID],
            "staff_groups": [StaffGroup(chat_id=STAFF_GROUP, fallback=True)],
            "username": "lotse_test_bot",
        }
    )
    settings = settings.model_copy(update={"telegram": telegram})
    app = await build_app(settings)
    members: set[tuple[int, int]] = set()

    async def is_member(chat_id: int, user_id: int) -> bool:
        return (chat_id, user_id) in members

    async def reload() -> IssueList:
        return reload_content(app)

    holder: list[Console] = []
    deps = ConsoleDeps(
        app=app,
        reload=reload,
        bot_token=TOKEN,
        web_secret=SECRET,
        is_member=is_member,
        clock=lambda: holder[0].now,
    )
    root = web.Application()
    root.add_subapp("/staff", create_console(deps))
    client = TestClient(TestServer(root))
    await client.start_server()
    holder.append(Console(client, app, site, members))
    yield holder[0]
    await client.close()
    await app.close()
