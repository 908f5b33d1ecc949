"""The web chat's page and JSON API, through real HTTP on 127.0.0.1 over the real engine and
a real SQLite file."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.web.chat import SESSION_HEADER
from bot.channels.web.identity import Signer
from bot.core.engine import Engine
from bot.storage import Database
from tests.unit.channels.web_helpers import (
    SECRET,
    agreed,
    asked,
    post,
    serve,
    shipped_engine,
    status_and_json,
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return shipped_engine()


class TestPage:
    async def test_german_page_with_its_api_and_assets(self, engine: Engine, db: Database) -> None:
        async with serve(engine, db) as (client, _):
            page = await client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
            html = await page.text()
            script = await client.get("/static/chat.js")
            css = await client.get("/static/chat.css")
            weight = len(html.encode()) + len(await script.read()) + len(await css.read())
        assert page.status == 200
        assert '<html lang="de" dir="ltr">' in html
        assert 'data-api="/api"' in html
        assert "<title>Lotse – Hilfe in Hameln</title>" in html
        assert script.status == css.status == 200
        assert "max-age" in script.headers["Cache-Control"]
        assert page.headers["Cache-Control"] == "no-store"
        assert weight < 100_000

    async def test_arabic_browser_gets_a_right_to_left_page(
        self, engine: Engine, db: Database
    ) -> None:
        async with serve(engine, db) as (client, _):
            html = await (await client.get("/", headers={"Accept-Language": "ar,en;q=0.5"})).text()
        assert '<html lang="ar" dir="rtl">' in html
        assert "رسالتك" in html  # the input's label

    async def test_deep_link_goes_into_the_page_escaped(
        self, engine: Engine, db: Database
    ) -> None:
        async with serve(engine, db) as (client, _):
            kaisers = await (await client.get("/?start=kaisers-ar")).text()
            hostile = await (await client.get('/?start="><script>x</script>')).text()
        assert 'data-start="kaisers-ar"' in kaisers
        assert "<script>x" not in hostile

    async def test_only_configured_sites_may_embed_the_chat(
        self, engine: Engine, db: Database
    ) -> None:
        async with serve(engine, db, embed_origins=["https://www.hameln.de"]) as (client, _):
            page = await client.get("/")
        policy = page.headers["Content-Security-Policy"]
        assert "frame-ancestors 'self' https://www.hameln.de" in policy
        assert "script-src 'self'" in policy
        assert page.headers["X-Content-Type-Options"] == "nosniff"


class TestConversation:
    async def test_deep_link_in_arabic_then_buttons_and_typing_to_a_place_card(
        self, engine: Engine, db: Database
    ) -> None:
        async with serve(engine, db) as (client, _):
            start = await post(client, type="start", payload="kaisers-ar", lang="de")
            menu = await post(
                client, type="button", step=asked(start)["step"], option="agree", lang="ar"
            )
            typed = await post(client, type="text", text="رسالة من Jobcenter", lang="ar")
        assert start["lang"] == "ar"
        assert start["ui"]["dir"] == "rtl"
        assert "ui" not in menu  # the page is Arabic already
        cards = [m for m in menu["messages"] if m["kind"] == "place"]
        assert cards[0]["name"].startswith("KAISERS")  # the deep link's place comes first
        assert any(m["kind"] == "ask" for m in typed["messages"] + menu["messages"])

    async def test_place_card_fields(self, engine: Engine, db: Database) -> None:
        async with serve(engine, db) as (client, _):
            await post(client, type="start", payload="integrationsmanagement-de")
            consent = await post(client, type="start", payload="integrationsmanagement-de")
            menu = await post(client, type="button", step=asked(consent)["step"], option="agree")
        card = next(m for m in menu["messages"] if m["kind"] == "place")
        assert card["address"] == "Kastanienwall 52, 31785 Hameln"
        assert card["tel"] == "tel:+4951512023444"
        assert card["lines"]

    async def test_cookie_is_signed_http_only_and_lax(self, engine: Engine, db: Database) -> None:
        async with serve(engine, db) as (client, _):
            response = await client.post("/api/event", json={"type": "start", "payload": "de"})
            again = await client.post("/api/event", json={"type": "command", "name": "help"})
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert "Secure" not in cookie
        assert "Set-Cookie" not in again.headers  # the same resident, no new cookie
        resident = Signer(SECRET).check(response.headers[SESSION_HEADER])
        assert resident is not None
        assert len(resident) == 32

    async def test_secure_cookie_behind_https(self, engine: Engine, db: Database) -> None:
        async with serve(engine, db, secure=True) as (client, _):
            response = await client.post("/api/event", json={"type": "start", "payload": "de"})
        assert "Secure" in response.headers["Set-Cookie"]

    async def test_a_forged_cookie_is_a_new_resident(self, engine: Engine, db: Database) -> None:
        async with serve(engine, db) as (client, _):
            await agreed(client)
            forged = "0" * 32 + "." + "f" * 64
            client.session.cookie_jar.clear()
            response = await client.post(
                "/api/event",
                json={"type": "text", "text": "hallo"},
                headers={SESSION_HEADER: forged},
            )
            body = await response.json()
        assert "Set-Cookie" in response.headers
        assert asked(body)["step"] == "_lang"  # someone new is asked for a language

    async def test_the_session_header_keeps_the_conversation_without_cookie(
        self, engine: Engine, db: Database
    ) -> None:
        async with serve(engine, db) as (client, _):
            first = await client.post("/api/event", json={"type": "start", "payload": "de"})
            consent = asked(await first.json())
            client.session.cookie_jar.clear()  # a page in an iframe on another site
            signed = first.headers[SESSION_HEADER]
            menu = await client.post(
                "/api/event",
                json={"type": "button", "step": consent["step"], "option": "agree"},
                headers={SESSION_HEADER: signed},
            )
            body = await menu.json()
        assert asked(body)["step"] != consent["step"]

    async def test_delete_erases_the_resident_and_clears_the_cookie(
        self, engine: Engine, db: Database
    ) -> None:
        async with serve(engine, db) as (client, chat):
            await agreed(client)
            signed = client.session.cookie_jar.filter_cookies(client.make_url("/"))
            resident = Signer(SECRET).check(signed["lotse_web"].value)
            assert resident is not None
            confirm = asked(await post(client, type="command", name="delete"))
            response = await client.post(
                "/api/event", json={"type": "button", "step": confirm["step"], "option": "yes"}
            )
            erased = await response.json()
            left = await chat.service.session("web", resident)
        assert erased["erased"] is True
        assert 'lotse_web=""' in response.headers["Set-Cookie"]
        assert left is None

    async def test_handoff_without_a_staff_group_says_so_kindly(
        self, engine: Engine, db: Database
    ) -> None:
        async with serve(engine, db, staff_desk=False) as (client, chat):
            await agreed(client)
            body = await post(client, type="command", name="human")
        told = [m["text"] for m in body["messages"]]
        assert chat.texts.text("de", "web.no_staff") in told
        assert body["handoff"] is True


class TestBadInput:
    @pytest.mark.parametrize(
        ("body", "headers", "message"),
        [
            (b"{not json", {"Content-Type": "application/json"}, "not valid JSON"),
            (b"[1, 2]", {"Content-Type": "application/json"}, "JSON object"),
            (b"type=text", {"Content-Type": "application/x-www-form-urlencoded"}, "as JSON"),
            (b'{"type": "shout"}', {"Content-Type": "application/json"}, "'type' must be"),
            (b'{"type": "text"}', {"Content-Type": "application/json"}, "'text' must be"),
            (b'{"type": "location", "lat": "x"}', {"Content-Type": "application/json"}, "lat"),
            (
                b'{"type": "location", "lat": 91, "lon": 0}',
                {"Content-Type": "application/json"},
                "±90",
            ),
            (
                b'{"type": "text", "text": "' + b"a" * 9000 + b'"}',
                {"Content-Type": "application/json"},
                "at most",
            ),
        ],
    )
    async def test_bad_events_get_a_400_that_says_why(
        self, engine: Engine, db: Database, body: bytes, headers: dict[str, str], message: str
    ) -> None:
        async with serve(engine, db) as (client, _):
            status, answer = await status_and_json(
                await client.post("/api/event", data=body, headers=headers)
            )
            still = await client.get("/healthz")
        assert status == 400
        assert message in answer["error"]
        assert still.status == 200

    async def test_flooding_gets_one_kind_warning_then_quiet(
        self, engine: Engine, db: Database
    ) -> None:
        async with serve(engine, db) as (client, chat):
            await post(client, type="start", payload="de")
            answers: list[tuple[int, dict[str, Any]]] = []
            for _ in range(21):
                answers.append(
                    await status_and_json(
                        await client.post("/api/event", json={"type": "text", "text": "hallo"})
                    )
                )
        warned = [a for status, a in answers if status == 429]
        assert len(warned) == 2
        assert warned[0]["messages"][0]["text"] == chat.texts.text("de", "system.slow_down")
        assert warned[1]["messages"] == []

    async def test_new_conversations_per_address_are_limited(
        self, engine: Engine, db: Database
    ) -> None:
        async with serve(engine, db, new_per_minute=3) as (client, _):
            statuses = []
            for _ in range(5):
                client.session.cookie_jar.clear()
                response = await client.post("/api/event", json={"type": "start", "payload": ""})
                statuses.append(response.status)
        assert statuses == [200, 200, 200, 429, 429]

    async def test_bad_after_in_messages(self, engine: Engine, db: Database) -> None:
        async with serve(engine, db) as (client, _):
            status, answer = await status_and_json(await client.get("/api/messages?after=x"))
        assert status == 400
        assert "after" in answer["error"]
