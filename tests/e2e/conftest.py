"""End-to-end fixtures: the real ``python -m bot run`` process against the fake Bot API."""

from __future__ import annotations

import socket
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import load_settings
from bot.content import load_content
from bot.i18n import Catalogs
from tests.e2e.fake_bot_api import BotProcess, FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT
CONTENT_FOLDERS = tuple(
    name for name in ("flows", "locales", "places", "nlu") if (ROOT / name).is_dir()
)
"""The content folders staff edit (``nlu`` once the engine has one)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_config(
    folder: Path, *, content: Path = CONTENT, top: dict[str, Any] | None = None, **telegram: Any
) -> Path:
    """The shipped config.yaml with absolute content paths and a free metrics port.

    ``top`` overrides top-level sections (e.g. ``handoff``); ``telegram`` its keys.
    """
    data = yaml.safe_load((CONTENT / "config.yaml").read_text(encoding="utf-8"))
    data["paths"] = {name: str(content / name) for name in CONTENT_FOLDERS}
    data["paths"]["cache"] = str(ROOT / "data" / "cache")  # learnt once, not per test
    data["telegram"] = {**data.get("telegram", {}), "metrics_port": free_port(), **telegram}
    data.update(top or {})
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def texts() -> Catalogs:
    """The shipped catalogues, to compare what residents see with what staff wrote."""
    settings, _ = load_settings(CONTENT / "config.yaml")
    assert settings is not None
    return load_content(settings.model_copy(update={"base_dir": CONTENT})).texts


@pytest.fixture(scope="session", autouse=True)
def learnt_topics(texts: Catalogs) -> None:
    """Loading the content (for ``texts``) learnt the topic model into data/cache: no bot
    then answers its first messages while it still learns in the background."""
    del texts


BotFactory = Callable[..., AbstractAsyncContextManager[BotProcess]]


@pytest.fixture
def lotse(fake_api: FakeBotApi, tmp_path: Path, telegram_library: str) -> BotFactory:
    """Start the real bot process: ``async with lotse() as bot: ...``."""
    del telegram_library  # in the environment of every process this test starts

    @asynccontextmanager
    async def start(
        *,
        env: dict[str, str] | None = None,
        content: Path = CONTENT,
        top: dict[str, Any] | None = None,
        **telegram: Any,
    ) -> AsyncIterator[BotProcess]:
        config = write_config(tmp_path, content=content, top=top, **telegram)
        environment = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/lotse.db",
            "LOTSE_LOG_LEVEL": "INFO",
            **(env or {}),
        }
        command = [sys.executable, "-m", "bot", "--config", str(config), "run"]
        ready = "setWebhook" if telegram.get("mode") == "webhook" else "getUpdates"
        async with BotProcess(
            fake_api, command, env=environment, cwd=ROOT, ready_method=ready, warm=True
        ) as bot:
            yield bot

    return start
