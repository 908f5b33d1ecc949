"""Issue 16: the staff console in a real browser (headless Chromium): a Telegram Login
signed with the test token, an Arabic text edited, seen in the preview, marked reviewed
and then seen in the live chat, and an invalid place edit refused with its P-code."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestServer

from bot.app import build_app, reload_content
from bot.channels.web import WebChat, create_web_app
from bot.config import load_settings
from bot.console import ConsoleDeps, create_console
from bot.console.auth import sign_telegram_login
from bot.source import IssueList
from tests.integration.console.staff_console import SECRET, STAFF_ID, TOKEN, cache, site

__all__ = ["cache", "site"]  # the console tests' content copy, as fixtures here

NEW = "أهلًا وسهلًا! أنا Lotse في Hameln. اختر لغتك من فضلك."


@pytest.fixture
async def server(site: Path) -> AsyncIterator[tuple[str, Path]]:
    """The web chat at / and the console at /staff over a copy of the content."""
    settings, _ = load_settings(site / "config.yaml")
    assert settings is not None
    telegram = settings.telegram.model_copy(update={"staff_user_ids": [STAFF_ID]})
    app = await build_app(settings.model_copy(update={"telegram": telegram}))

    async def reload() -> IssueList:
        return reload_content(app)

    async def nobody(chat_id: int, user_id: int) -> bool:
        del chat_id, user_id
        return False

    chat = WebChat(app.service, secret=b"browser", outbox=app.outbox)
    deps = ConsoleDeps(app, reload, TOKEN, SECRET, nobody)
    web_app = create_web_app(chat, subapps={"/staff": create_console(deps)})
    test_server = TestServer(web_app, host="127.0.0.1")
    await test_server.start_server()
    try:
        yield str(test_server.make_url("/")).rstrip("/"), site
    finally:
        await test_server.close()
        await app.close()


async def log_in(page: Any, url: str) -> None:
    """Arrive from Telegram's widget with data signed by the bot token, then enter."""
    fields = {"id": str(STAFF_ID), "first_name": "Amal", "auth_date": str(int(time.time()))}
    await page.goto(f"{url}/staff/login/telegram?{urlencode(sign_telegram_login(fields, TOKEN))}")
    await page.get_by_role("link", name="Weiter zur Konsole").click()
    await page.get_by_role("heading", name="Texte").wait_for()


async def test_staff_log_in_with_a_signed_telegram_login(
    page: Any, server: tuple[str, Path]
) -> None:
    url, _ = server
    await page.goto(f"{url}/staff/texts")
    assert page.url.endswith("/staff/login")  # no page without a login
    await log_in(page, url)
    assert await page.get_by_role("navigation").get_by_role("link", name="Orte").is_visible()


async def test_an_arabic_text_in_the_preview_then_reviewed_and_live(
    browser: Any, page: Any, server: tuple[str, Path]
) -> None:
    url, site = server
    await log_in(page, url)
    await page.goto(f"{url}/staff/texts/edit?lang=ar&key=system.choose_language")
    assert await page.locator("#text").get_attribute("dir") == "rtl"
    await page.locator("#text").fill(NEW)
    await page.get_by_role("button", name="Vorschau (ohne Speichern)").click()
    preview = await page.get_by_role("link", name="Vorschau-Chat öffnen").get_attribute("href")
    chat = await page.context.new_page()
    await chat.goto(url + preview)
    await chat.locator("#log", has_text=NEW).wait_for()  # the draft, in the web chat
    assert await chat.evaluate("document.documentElement.dir") == "rtl"
    assert NEW not in (site / "locales" / "ar.yaml").read_text(encoding="utf-8")

    await page.locator("#text").fill(NEW)
    await page.get_by_role("button", name="Speichern und als geprüft markieren").click()
    await page.get_by_text("Gespeichert").wait_for()
    assert await page.locator(".status.reviewed").count() == 1
    assert "reviewed:" in (site / "locales" / "ar.yaml").read_text(encoding="utf-8")

    resident = await browser.new_context(locale="ar")
    try:
        live = await resident.new_page()
        await live.goto(url + "/")
        await live.locator("#log", has_text=NEW).wait_for()  # the saved text, live
    finally:
        await resident.close()


async def test_an_invalid_place_edit_is_refused_with_its_p_code(
    page: Any, server: tuple[str, Path]
) -> None:
    url, site = server
    places = site / "places" / "stadtteiltreffs.yaml"
    before = places.read_bytes()
    await log_in(page, url)
    await page.goto(f"{url}/staff/places/edit?file=stadtteiltreffs.yaml&id=kaisers")
    phone = page.locator('[id="contact.phone"]')
    await phone.fill("05151 576122")
    await page.get_by_role("button", name="Speichern").first.click()
    issues = page.locator('[id="contact.phone-issues"]')
    await issues.wait_for()
    assert "P110" in await issues.inner_text()
    assert await phone.get_attribute("aria-invalid") == "true"
    assert await phone.input_value() == "05151 576122"
    assert places.read_bytes() == before
