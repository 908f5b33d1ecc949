"""Handoff to staff, end to end: cases as forum topics, relayed both ways."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.i18n import Catalogs
from tests.e2e.conftest import BotFactory
from tests.e2e.fake_bot_api import ApiCall, FakeBotApi
from tests.e2e.test_telegram import question, ready
from tests.fakes_translate import FakeTranslate

pytestmark = [pytest.mark.e2e]
RESIDENT = 7001
STAFF = -1001234567
STAFF_MEMBER = 9001
GROUPS = [{"chat_id": STAFF, "places": ["integrationsmanagement", "kaisers"], "fallback": True}]
SATURDAY_NIGHT = "2026-11-28T22:00:00+01:00"
TUESDAY_MORNING = "2026-11-24T10:30:00+01:00"


@pytest.fixture
async def translate() -> AsyncIterator[FakeTranslate]:
    server = FakeTranslate()
    await server.start()
    yield server
    await server.stop()


async def open_case(api: FakeBotApi, language: str = "de", payload: str = "") -> ApiCall:
    """Reach the menu, ask for a person; returns the created topic call."""
    if payload:
        api.user_sends(RESIDENT, f"/start {payload}", language_code=language)
        consent = await question(api, RESIDENT)
        data = next(
            d
            for row in consent.params["reply_markup"]["inline_keyboard"]
            for d in [row[0]["callback_data"]]
            if d.endswith("|agree")
        )
        api.user_clicks(RESIDENT, data, message_id=int(consent.result["message_id"]))
        await question(api, RESIDENT)
    else:
        await ready(api, language, chat=RESIDENT)
    api.user_sends(RESIDENT, "/human")
    return await api.next_call("createForumTopic", timeout=15)


async def staff_says(api: FakeBotApi, topic: ApiCall, text: str) -> None:
    thread = int(topic.result["message_thread_id"])
    api.group_message(
        STAFF, text, user_id=STAFF_MEMBER, message_thread_id=thread, is_topic_message=True
    )


async def told(api: FakeBotApi, contains: str) -> ApiCall:
    """The next message to the resident that contains ``contains``."""
    while True:
        call = await api.next_call("sendMessage", chat_id=RESIDENT, timeout=15)
        if contains in call.params.get("text", ""):
            return call


async def in_topic(api: FakeBotApi, topic: ApiCall) -> ApiCall:
    thread = int(topic.result["message_thread_id"])
    while True:
        call = await api.next_call(("sendMessage", "copyMessage"), chat_id=STAFF, timeout=15)
        if call.params.get("message_thread_id") == thread:
            return call


class TestCase:
    async def test_topic_card_and_relays_both_ways(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse(staff_groups=GROUPS, env={"LOTSE_NOW": TUESDAY_MORNING}):
            topic = await open_case(fake_api, payload="integrationsmanagement-de")
            card = await in_topic(fake_api, topic)
            fake_api.user_sends(RESIDENT, "Ich habe einen Brief <b>bekommen</b>")
            relayed = await in_topic(fake_api, topic)
            fake_api.user_sends_photo(RESIDENT, caption="Seite 1")
            copied = await in_topic(fake_api, topic)
            caption = await in_topic(fake_api, topic)
            await staff_says(fake_api, topic, "Kommen Sie Dienstag vorbei.")
            reply = await told(fake_api, "Kommen Sie Dienstag vorbei.")
        assert topic.params["chat_id"] == STAFF
        assert topic.params["name"].startswith("#2026-0001 · DE")
        assert "Fall #2026-0001" in card.params["text"]
        assert "Integration" in card.params["text"]
        assert "&lt;b&gt;bekommen&lt;/b&gt;" in relayed.params["text"]
        assert copied.method == "copyMessage"
        assert copied.params["from_chat_id"] == RESIDENT
        assert "Seite 1" in caption.params["text"]
        assert reply.params["text"].endswith("Kommen Sie Dienstag vorbei.")
        assert reply.params["text"].startswith(texts.text("de", "handoff.staff_says"))
        assert "forward" not in {c.method for c in fake_api.calls()}

    async def test_note_template_and_close(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse(staff_groups=GROUPS):
            topic = await open_case(fake_api, language="uk")
            await in_topic(fake_api, topic)  # the card
            await staff_says(fake_api, topic, "/note Rückruf am Montag")
            saved = await in_topic(fake_api, topic)
            await staff_says(fake_api, topic, "/template wait")
            template = await told(fake_api, texts.text("uk", "handoff.template.wait"))
            sent_note = await in_topic(fake_api, topic)
            await staff_says(fake_api, topic, "/transfer")
            usage = await in_topic(fake_api, topic)
            await staff_says(fake_api, topic, "/close")
            closed = await told(fake_api, texts.text("uk", "handoff.closed"))
            await fake_api.wait_idle()
            resident_texts = fake_api.sent_texts(RESIDENT)
            fake_api.user_sends(RESIDENT, "дякую")  # back with the bot: no relay any more
            await fake_api.wait_idle()
        assert "Notiz" in saved.params["text"]
        assert "Vorlage" in sent_note.params["text"]
        assert all("Rückruf" not in t for t in resident_texts)
        assert texts.text("uk", "handoff.template.wait") in template.params["text"]
        assert "/transfer" in usage.params["text"]
        assert closed.params["text"].startswith(texts.text("uk", "handoff.closed"))
        assert fake_api.calls("closeForumTopic", chat_id=STAFF)
        relays_after = [
            c
            for c in fake_api.calls("sendMessage", chat_id=STAFF)
            if "дякую" in c.params.get("text", "")
        ]
        assert relays_after == []

    async def test_transfer_moves_the_case(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse(staff_groups=GROUPS):
            topic = await open_case(fake_api)
            await in_topic(fake_api, topic)
            await staff_says(fake_api, topic, "/transfer kaisers")
            moved = await fake_api.next_call("createForumTopic", timeout=15)
            notice = await told(fake_api, "KAISERS")
        assert moved.params["chat_id"] == STAFF
        assert moved.result["message_thread_id"] != topic.result["message_thread_id"]
        assert notice.params["text"].startswith(
            texts.text("de", "handoff.transferred", place="")[:10]
        )

    async def test_out_of_hours(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse(staff_groups=GROUPS, env={"LOTSE_NOW": SATURDAY_NIGHT}):
            await open_case(fake_api, payload="integrationsmanagement-de")
            notice = (await told(fake_api, "geschlossen")).params["text"]
        assert "Dienstag" in notice
        assert "110" in notice

    async def test_unknown_group_is_ignored(self, fake_api: FakeBotApi, lotse: BotFactory) -> None:
        async with lotse(staff_groups=GROUPS):
            topic = await open_case(fake_api)
            await in_topic(fake_api, topic)
            fake_api.group_message(
                -100999,
                "Fremde Gruppe",
                user_id=STAFF_MEMBER,
                message_thread_id=int(topic.result["message_thread_id"]),
                is_topic_message=True,
            )
            await fake_api.wait_idle()
        assert fake_api.calls(chat_id=-100999) == []
        assert all("Fremde Gruppe" not in t for t in fake_api.sent_texts(RESIDENT))

    async def test_missing_rights_and_deleted_topic(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse(staff_groups=GROUPS) as bot:
            fake_api.fail_next(
                "createForumTopic",
                status=400,
                description="Bad Request: not enough rights to create a topic",
            )
            await ready(fake_api, chat=RESIDENT)
            fake_api.user_sends(RESIDENT, "/human")
            await told(fake_api, texts.text("de", "handoff.no_staff"))
            log = bot.output()
        assert "can_manage_topics" in log

    async def test_no_staff_group_configured(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse():
            await ready(fake_api, chat=RESIDENT)
            fake_api.user_sends(RESIDENT, "/human")
            await told(fake_api, texts.text("de", "handoff.no_staff"))
        assert fake_api.calls("createForumTopic") == []


class TestTranslation:
    async def test_on(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs, translate: FakeTranslate
    ) -> None:
        async with lotse(staff_groups=GROUPS, top={"handoff": {"translate_url": translate.url}}):
            topic = await open_case(fake_api, language="ar")
            await in_topic(fake_api, topic)
            fake_api.user_sends(RESIDENT, "عندي رسالة من الجوب سنتر")
            relayed = await in_topic(fake_api, topic)
            await staff_says(fake_api, topic, "Bitte bringen Sie den Brief mit.")
            reply = await told(fake_api, "Bitte bringen Sie den Brief mit.")
        assert "عندي رسالة" in relayed.params["text"]
        assert "[de] عندي رسالة" in relayed.params["text"]
        assert "[ar] Bitte bringen Sie den Brief mit." in reply.params["text"]
        assert "Bitte bringen Sie den Brief mit." in reply.params["text"].split("[ar]")[1]

    async def test_failure_says_untranslated(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs, translate: FakeTranslate
    ) -> None:
        translate.mode = "fail"
        async with lotse(staff_groups=GROUPS, top={"handoff": {"translate_url": translate.url}}):
            topic = await open_case(fake_api, language="ar")
            await in_topic(fake_api, topic)
            await staff_says(fake_api, topic, "Guten Tag")
            reply = await told(fake_api, "Guten Tag")
        assert texts.text("ar", "handoff.untranslated") in reply.params["text"]


async def test_human_request_in_words(
    fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
) -> None:
    async with lotse(staff_groups=GROUPS):
        await ready(fake_api, chat=RESIDENT)
        fake_api.user_sends(RESIDENT, "Ich möchte mit einem Menschen sprechen")
        topic = await fake_api.next_call("createForumTopic", timeout=15)
    assert topic.params["chat_id"] == STAFF


class TestRobustness:
    async def test_deleted_topic_keeps_the_case_and_tells_the_resident(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse(staff_groups=GROUPS) as bot:
            topic = await open_case(fake_api)
            await in_topic(fake_api, topic)
            fake_api.fail_next(
                "sendMessage",
                status=400,
                count=1,
                description="Bad Request: message thread not found",
            )
            fake_api.user_sends(RESIDENT, "Hallo, sind Sie noch da?")
            await told(fake_api, texts.text("de", "handoff.no_staff"))
            fake_api.user_sends(RESIDENT, "Noch eine Frage")
            new_topic = await fake_api.next_call("createForumTopic", timeout=15)
            card = await in_topic(fake_api, new_topic)
            relayed = await in_topic(fake_api, new_topic)
            log = bot.output()
        assert "refused sendMessage for case 2026-0001" in log
        assert "Fall #2026-0001" in card.params["text"]
        assert "Noch eine Frage" in relayed.params["text"]

    @pytest.mark.slow
    async def test_flooding_resident_is_paced_without_losing_messages(
        self, fake_api: FakeBotApi, lotse: BotFactory
    ) -> None:
        async with lotse(staff_groups=GROUPS):
            topic = await open_case(fake_api)
            await in_topic(fake_api, topic)
            for n in range(25):
                fake_api.user_sends(RESIDENT, f"Nachricht {n}")
            thread = int(topic.result["message_thread_id"])

            def relayed() -> int:
                return sum(
                    1
                    for c in fake_api.calls("sendMessage", chat_id=STAFF)
                    if c.params.get("message_thread_id") == thread
                    and "Nachricht" in c.params.get("text", "")
                )

            await fake_api.wait_until(
                lambda: relayed() >= 25, timeout=120, what="every message in the topic"
            )
        assert relayed() == 25

    async def test_open_case_keeps_relaying_after_a_crash(
        self, fake_api: FakeBotApi, lotse: BotFactory
    ) -> None:
        async with lotse(staff_groups=GROUPS) as bot:
            topic = await open_case(fake_api)
            await in_topic(fake_api, topic)
            await fake_api.wait_idle()
            await bot.kill()
            fake_api.user_sends(RESIDENT, "Sind Sie noch da?")
            await bot.start()
            relayed = await in_topic(fake_api, topic)
            await staff_says(fake_api, topic, "Ja, wir sind da.")
            reply = await told(fake_api, "Ja, wir sind da.")
        assert "Sind Sie noch da?" in relayed.params["text"]
        assert reply.params["chat_id"] == RESIDENT
