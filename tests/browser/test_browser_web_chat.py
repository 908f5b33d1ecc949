"""Issue 16: the web chat in a real browser (headless Chromium), German and Arabic up to a
place card, right to left checked on the screen, a deep link, and a handoff whose staff
reply comes from the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from bot.channels.web import WebChat, create_web_app
from bot.core.engine import Engine
from bot.i18n import Catalogs
from bot.outbox_service import OutboxService
from bot.service import ConversationService
from bot.storage import open_database
from tests.e2e.conftest import BotFactory, free_port
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.test_handoff import GROUPS, TUESDAY_MORNING, in_topic, staff_says
from tests.unit.channels.web_helpers import shipped_engine

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return shipped_engine()


@pytest.fixture
async def site(engine: Engine, tmp_path: Path) -> AsyncIterator[str]:
    """The web chat over the real engine and SQLite on 127.0.0.1; yields its address."""
    db = await open_database(f"sqlite+aiosqlite:///{tmp_path}/lotse.db")
    chat = WebChat(ConversationService(engine, db), secret=b"browser", outbox=OutboxService(db))
    server = TestServer(create_web_app(chat), host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("/")).rstrip("/")
    finally:
        await server.close()
        await db.close()


async def tap(page: Any, label: str) -> None:
    """Press the newest button with this label (older questions' buttons are disabled)."""
    await page.locator(".options button:enabled", has_text=label).last.click()


async def type_in(page: Any, text: str) -> None:
    """Type a message with the keyboard and send it with Enter."""
    await page.locator("#text").fill(text)
    await page.locator("#text").press("Enter")


async def test_german_with_buttons_keyboard_and_typing_to_a_place_card(
    page: Any, site: str, texts: Catalogs
) -> None:
    await page.goto(site + "/", wait_until="domcontentloaded")
    await page.locator(".options button", has_text="Deutsch").first.focus()
    await page.keyboard.press("Enter")  # buttons work with the keyboard
    await tap(page, texts.text("de", "system.privacy_agree"))
    await type_in(page, "Ich habe einen Brief vom Jobcenter bekommen")
    await tap(page, "Südstadt")
    card = page.locator("article.card").first
    await card.wait_for()
    assert await page.evaluate("document.documentElement.lang") == "de"
    assert await page.evaluate("document.documentElement.dir") == "ltr"
    assert await page.locator("#log").get_attribute("aria-live") == "polite"
    assert await page.locator("label[for=text]").inner_text() == texts.text(
        "de", "web.input_label"
    )
    phone = card.locator("a[href^='tel:']")
    assert await phone.count() == 1
    assert await card.locator("h2").inner_text()
    languages = await page.locator("#log > li").evaluate_all("items => items.map(i => i.lang)")
    directions = await page.locator("#log .bubble, #log .card h2, #log .card p").evaluate_all(
        "texts => texts.map(t => t.dir)"
    )
    assert languages[-1] == "de"  # the picker spoke the browser's English, then German
    assert set(directions) == {"auto"}


async def test_arabic_deep_link_right_to_left_to_a_place_card(
    page: Any, site: str, texts: Catalogs
) -> None:
    await page.goto(site + "/?start=kaisers-ar", wait_until="domcontentloaded")
    await tap(page, texts.text("ar", "system.privacy_agree"))
    card = page.locator("article.card").first
    await card.wait_for()
    await type_in(page, "عندي رسالة من Jobcenter")
    await page.locator("#log > li.me").last.wait_for()
    await page.locator(".options button:enabled").last.wait_for()
    SCREENSHOTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / "arabic.png"), full_page=True)
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    assert await page.evaluate("document.documentElement.lang") == "ar"
    assert "KAISERS" in await card.locator("h2").inner_text()  # the deep link's place
    bubble = page.locator("#log > li:not(.me) .bubble").first
    box, log = await bubble.bounding_box(), await page.locator("#log").bounding_box()
    assert box is not None
    assert log is not None
    # Lotse's Arabic bubble sits on the right and its text runs right to left.
    assert log["x"] + log["width"] - (box["x"] + box["width"]) < 24
    assert box["x"] > log["x"] + 24
    assert await bubble.evaluate("e => getComputedStyle(e).direction") == "rtl"
    options = await page.locator(".options").last.bounding_box()
    first = await page.locator(".options").last.locator("button").first.bounding_box()
    assert options is not None
    assert first is not None
    assert first["x"] > options["x"] + options["width"] / 2  # buttons start on the right
    mine = page.locator("#log > li.me .bubble").last
    mine_box = await mine.bounding_box()
    assert mine_box is not None
    assert mine_box["x"] - log["x"] < 24  # the resident's own words on the other side


async def test_handoff_with_a_staff_reply_from_the_fake_bot_api(
    page: Any, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
) -> None:
    port = free_port()
    web = {"web": {"enabled": True, "host": "127.0.0.1", "port": port}}
    env = {"LOTSE_NOW": TUESDAY_MORNING, "WEB_SECRET": "browser secret"}
    async with lotse(staff_groups=GROUPS, env=env, top=web):
        base = f"http://127.0.0.1:{port}"
        await page.goto(base + "/?start=integrationsmanagement-de", wait_until="domcontentloaded")
        await tap(page, texts.text("de", "system.privacy_agree"))
        await page.locator("article.card").first.wait_for()
        await type_in(page, "/human")
        topic = await fake_api.next_call("createForumTopic", timeout=15)
        await in_topic(fake_api, topic)  # the case card
        await type_in(page, "Ich brauche Hilfe mit einem Brief.")
        relayed = await in_topic(fake_api, topic)
        await staff_says(fake_api, topic, "Kommen Sie Dienstag um 10 Uhr vorbei.")
        reply = page.locator("#log > li:not(.me)", has_text="Dienstag um 10 Uhr")
        await reply.wait_for()
    assert "Ich brauche Hilfe mit einem Brief." in relayed.params["text"]
    assert texts.text("de", "handoff.staff_says") in await reply.inner_text()
