"""The console where the web chat is served (``python -m bot web`` and ``run``): mounted at
/staff with BOT_TOKEN and a WEB_SECRET, left out (with a log line) otherwise."""

from __future__ import annotations

import aiohttp
import pytest

from bot.cli.web import start_web
from tests.e2e.conftest import free_port
from tests.integration.console.staff_console import TOKEN, Console


@pytest.mark.parametrize(
    ("token", "secret", "status"),
    [
        (TOKEN, "a-web-secret-for-the-test", 200),
        ("", "a-web-secret-for-the-test", 404),
        (TOKEN, "short", 404),
    ],
)
async def test_the_console_is_mounted_with_the_bot_token_and_a_secret(
    console: Console, monkeypatch: pytest.MonkeyPatch, token: str, secret: str, status: int
) -> None:
    monkeypatch.setenv("BOT_TOKEN", token)
    monkeypatch.setenv("WEB_SECRET", secret)
    port = free_port()
    web_settings = console.app.settings.web.model_copy(update={"port": port})
    settings = console.app.settings.model_copy(update={"web": web_settings})
    runner = await start_web(console.app, settings, staff_desk=False)
    try:
        async with aiohttp.ClientSession() as http:
            login = await http.get(f"http://127.0.0.1:{port}/staff/login")
            chat = await http.get(f"http://127.0.0.1:{port}/")
        assert login.status == status
        assert chat.status == 200
    finally:
        await runner.cleanup()
