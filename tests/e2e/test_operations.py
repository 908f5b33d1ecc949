"""Operating Lotse: hot reload, staff-only commands, and privacy on the database."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.i18n import Catalogs
from tests.e2e.conftest import CONTENT_FOLDERS, ROOT, BotFactory
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.test_telegram import question, ready

pytestmark = [pytest.mark.e2e]
STAFF = -1002223334
GROUPS = [{"chat_id": STAFF, "places": ["kaisers"], "fallback": True}]
RESIDENT = 8001


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the shipped content that a test may edit like staff do."""
    folder = tmp_path / "content"
    for name in CONTENT_FOLDERS:
        shutil.copytree(ROOT / name, folder / name)
    return folder


async def staff_group_text(api: FakeBotApi, contains: str) -> str:
    while True:
        call = await api.next_call("sendMessage", chat_id=STAFF, timeout=20)
        if contains in call.params.get("text", ""):
            return str(call.params["text"])


class TestHotReload:
    async def test_valid_change_is_used_without_restart(
        self, fake_api: FakeBotApi, lotse: BotFactory, content: Path
    ) -> None:
        german = content / "locales" / "de.yaml"
        async with lotse(content=content, staff_groups=GROUPS):
            await ready(fake_api, chat=RESIDENT)
            text = german.read_text(encoding="utf-8")
            german.write_text(text.replace('    help: "', '    help: "NEU: ', 1), encoding="utf-8")
            await asyncio.sleep(3)  # the watcher looks every 2 s
            fake_api.user_sends(RESIDENT, "/help")
            reply = await fake_api.next_call("sendMessage", chat_id=RESIDENT, timeout=15)
        assert reply.params["text"].startswith("NEU: ")

    async def test_invalid_change_keeps_the_last_good_version_and_tells_staff(
        self, fake_api: FakeBotApi, lotse: BotFactory, content: Path, texts: Catalogs
    ) -> None:
        flow = content / "flows" / "letters.yaml"
        async with lotse(content=content, staff_groups=GROUPS):
            await ready(fake_api, chat=RESIDENT)
            flow.write_text(
                flow.read_text(encoding="utf-8").replace("steps:", "stepz:", 1), encoding="utf-8"
            )
            notice = await staff_group_text(fake_api, "letters.yaml")
            fake_api.user_sends(RESIDENT, "/help")
            reply = await fake_api.next_call("sendMessage", chat_id=RESIDENT, timeout=15)
        assert "flows/letters.yaml:" in notice
        assert "stepz" in notice
        assert reply.params["text"].startswith(texts.text("de", "system.help"))

    async def test_reload_command_from_staff_group(
        self, fake_api: FakeBotApi, lotse: BotFactory, content: Path
    ) -> None:
        async with lotse(content=content, staff_groups=GROUPS):
            fake_api.group_message(STAFF, "/reload", user_id=42)
            answer = await staff_group_text(fake_api, "")
        assert "neu geladen" in answer


class TestStaffOnly:
    async def test_stats_only_for_staff(
        self, fake_api: FakeBotApi, lotse: BotFactory, texts: Catalogs
    ) -> None:
        async with lotse(staff_groups=GROUPS, staff_user_ids=[4711]):
            await ready(fake_api, chat=RESIDENT)
            fake_api.user_sends(RESIDENT, "/stats")
            resident_reply = await fake_api.next_call("sendMessage", chat_id=RESIDENT)
            fake_api.user_sends(4711, "/stats")
            staff_reply = await fake_api.next_call("sendMessage", chat_id=4711)
            fake_api.group_message(STAFF, "/stats", user_id=42)
            group_reply = await staff_group_text(fake_api, "")
        assert resident_reply.params["text"].startswith(texts.text("de", "system.help"))
        assert "Statistik" in staff_reply.params["text"]
        assert "Statistik" in group_reply


class TestPrivacy:
    async def test_delete_erases_session_and_case_contents(
        self, fake_api: FakeBotApi, lotse: BotFactory, tmp_path: Path
    ) -> None:
        async with lotse(staff_groups=GROUPS):
            await ready(fake_api, chat=RESIDENT)
            fake_api.user_sends(RESIDENT, "/human")
            await fake_api.next_call("createForumTopic", timeout=15)
            fake_api.user_sends(RESIDENT, "Meine Telefonnummer ist 0151 123")
            await fake_api.next_call("sendMessage", chat_id=STAFF, timeout=15)
            fake_api.user_sends(RESIDENT, "/delete")
            confirm = await question(fake_api, RESIDENT)
            data = next(
                d
                for row in confirm.params["reply_markup"]["inline_keyboard"]
                for d in [row[0]["callback_data"]]
                if d.endswith("|yes")
            )
            fake_api.user_clicks(RESIDENT, data, message_id=int(confirm.result["message_id"]))
            await fake_api.wait_until(
                lambda: any("gelöscht" in t for t in fake_api.sent_texts(RESIDENT)),
                timeout=15,
                what="deletion notice",
            )
        with sqlite3.connect(tmp_path / "lotse.db") as db:
            residents = db.execute("SELECT COUNT(*) FROM residents").fetchone()[0]
            texts_left = db.execute(
                "SELECT COUNT(*) FROM case_messages WHERE text IS NOT NULL"
            ).fetchone()[0]
            cases = db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
            events = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            outbox = db.execute("SELECT payload FROM outbox").fetchall()
        assert residents == 0
        assert texts_left == 0
        assert cases == 1  # anonymous: kept for the counts
        assert events > 0
        assert all("0151" not in row[0] for row in outbox)

    def test_retention_purge_on_the_database(self, tmp_path: Path) -> None:
        import subprocess
        import sys

        db_path = tmp_path / "lotse.db"
        env = {"DATABASE_URL": f"sqlite+aiosqlite:///{db_path}"}
        subprocess.run(
            [sys.executable, "-m", "bot", "chat", "--lang", "de"],
            input="1\n",
            text=True,
            capture_output=True,
            cwd=ROOT,
            check=True,
            timeout=120,
            env={**__import__("os").environ, **env},
        )
        old = (datetime.now(UTC) - timedelta(days=91)).isoformat()
        with sqlite3.connect(db_path) as db:
            db.execute("UPDATE residents SET last_seen_at = ?", (old,))
        result = subprocess.run(
            [sys.executable, "-m", "bot", "purge"],
            text=True,
            capture_output=True,
            cwd=ROOT,
            check=True,
            timeout=120,
            env={**__import__("os").environ, **env},
        )
        with sqlite3.connect(db_path) as db:
            residents = db.execute("SELECT COUNT(*) FROM residents").fetchone()[0]
            sessions = db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
        assert "deleted 1 residents" in result.stdout
        assert (residents, sessions) == (0, 0)
