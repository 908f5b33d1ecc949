"""The LibreTranslate client against the fake server, and relays with and without it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from fakes_translate import FakeTranslate

from bot.handoff.relay import for_resident, for_staff
from bot.handoff.translate import LibreTranslate, NoTranslator, Translator
from bot.handoff.translation import to_resident_language, to_staff_language
from bot.i18n import Catalogs

SECRET_WORDS = "Mein Mann schlägt mich"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTranslate]:
    server = FakeTranslate()
    await server.start()
    yield server
    await server.stop()


class TestClient:
    async def test_translates_with_the_libretranslate_request(self, fake: FakeTranslate) -> None:
        async with LibreTranslate(fake.url + "/") as client:
            assert await client.translate("مرحبا", "ar", "de") == "[de] مرحبا"
        assert fake.requests == [{"q": "مرحبا", "source": "ar", "target": "de", "format": "text"}]

    async def test_sends_the_api_key(self, fake: FakeTranslate) -> None:
        fake.api_key = "k3y"
        async with LibreTranslate(fake.url, "k3y") as client:
            assert await client.translate("Hallo", "de", "uk") == "[uk] Hallo"
        assert fake.requests[0]["api_key"] == "k3y"

    async def test_same_language_needs_no_request(self, fake: FakeTranslate) -> None:
        async with LibreTranslate(fake.url) as client:
            assert await client.translate("Hallo", "de", "de") == "Hallo"
        assert fake.requests == []

    @pytest.mark.parametrize(
        ("mode", "api_key", "reason"),
        [
            ("fail", None, "HTTP 500"),
            ("ok", "other", "HTTP 403"),
            ("garbage", None, "JSONDecodeError"),
        ],
    )
    async def test_errors_give_none_and_a_warning_without_the_text(
        self,
        fake: FakeTranslate,
        caplog: pytest.LogCaptureFixture,
        mode: str,
        api_key: str | None,
        reason: str,
    ) -> None:
        fake.mode = mode  # type: ignore[assignment]
        fake.api_key = api_key
        caplog.set_level(logging.WARNING, "bot.handoff.translate")
        async with LibreTranslate(fake.url) as client:
            assert await client.translate(SECRET_WORDS, "de", "ar") is None
        assert [r.getMessage() for r in caplog.records] == [f"translation de→ar failed: {reason}"]
        assert SECRET_WORDS not in caplog.text

    async def test_a_hanging_server_times_out(
        self, fake: FakeTranslate, caplog: pytest.LogCaptureFixture
    ) -> None:
        fake.mode = "hang"
        caplog.set_level(logging.WARNING, "bot.handoff.translate")
        async with LibreTranslate(fake.url, timeout=0.2) as client:
            assert await client.translate(SECRET_WORDS, "de", "ar") is None
        assert "translation de→ar failed" in caplog.text
        assert SECRET_WORDS not in caplog.text

    async def test_an_unreachable_server_gives_none(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        gone = FakeTranslate()
        url = await gone.start()
        await gone.stop()
        caplog.set_level(logging.WARNING, "bot.handoff.translate")
        async with LibreTranslate(url) as client:
            assert await client.translate(SECRET_WORDS, "de", "ar") is None
        assert SECRET_WORDS not in caplog.text

    async def test_no_translator_translates_nothing(self) -> None:
        assert await NoTranslator().translate("Hallo", "de", "ar") is None


class TestDirections:
    async def test_german_needs_no_translation(self, fake: FakeTranslate) -> None:
        async with LibreTranslate(fake.url) as client:
            assert await to_staff_language(client, "Hallo", "de") is None
            assert await to_resident_language(client, "Hallo", "de") is None
            assert await to_staff_language(client, "  ", "ar") is None
        assert fake.requests == []

    async def test_both_directions_ask_the_right_pair(self, fake: FakeTranslate) -> None:
        async with LibreTranslate(fake.url) as client:
            assert await to_staff_language(client, "Привіт", "uk") == "[de] Привіт"
            assert await to_resident_language(client, "Guten Tag", "uk") == "[uk] Guten Tag"
        assert [(r["source"], r["target"]) for r in fake.requests] == [("uk", "de"), ("de", "uk")]


async def _relay_both_ways(translator: Translator, texts: Catalogs) -> tuple[str, str]:
    resident_words = "I have a <letter>"
    staff_words = "Kommen Sie morgen um 10 Uhr."
    to_staff = for_staff(
        resident_words,
        await to_staff_language(translator, resident_words, "en"),
        language="en",
        texts=texts,
    )
    to_resident = for_resident(
        staff_words,
        await to_resident_language(translator, staff_words, "en"),
        language="en",
        texts=texts,
    )
    return to_staff, to_resident


class TestRelays:
    async def test_with_translation(self, fake: FakeTranslate, texts: Catalogs) -> None:
        async with LibreTranslate(fake.url) as client:
            to_staff, to_resident = await _relay_both_ways(client, texts)
        assert to_staff == (
            "I have a &lt;letter&gt;\n"
            "<i>Übersetzung (maschinell):</i>\n"
            "<i>[de] I have a &lt;letter&gt;</i>"
        )
        assert to_resident == (
            "💬 Message from the centre:\n"
            "[en] Kommen Sie morgen um 10 Uhr.\n\n"
            "Original in German:\n"
            "Kommen Sie morgen um 10 Uhr."
        )

    async def test_without_translator(self, texts: Catalogs) -> None:
        to_staff, to_resident = await _relay_both_ways(NoTranslator(), texts)
        assert to_staff == "I have a &lt;letter&gt;\n<i>(nicht übersetzt)</i>"
        assert to_resident == (
            "💬 Message from the centre:\n"
            "Kommen Sie morgen um 10 Uhr.\n\n"
            "(This message is not translated.)"
        )

    async def test_failing_translator_says_untranslated(
        self, fake: FakeTranslate, texts: Catalogs, caplog: pytest.LogCaptureFixture
    ) -> None:
        fake.mode = "fail"
        caplog.set_level(logging.WARNING, "bot.handoff.translate")
        async with LibreTranslate(fake.url) as client:
            to_staff, to_resident = await _relay_both_ways(client, texts)
        assert to_staff.endswith("<i>(nicht übersetzt)</i>")
        assert to_resident.endswith("(This message is not translated.)")
