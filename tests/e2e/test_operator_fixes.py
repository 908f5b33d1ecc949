"""Issue 12, point 5: a second instance, ``chat --lang`` for a known resident, numbers in a
handoff typed into the terminal chat."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.i18n import Catalogs
from tests.e2e.conftest import ROOT, write_config
from tests.e2e.fake_bot_api import FakeBotApi

pytestmark = [pytest.mark.e2e]


def _bot(
    *args: str, env: dict[str, str], stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=timeout,
        check=False,
    )


def test_metrics_port_in_use_is_one_line_naming_the_key(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = write_config(tmp_path, metrics_port=port)
        env = {
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/lotse.db",
            "BOT_TOKEN": fake_api.token,
            "TELEGRAM_API_BASE": fake_api.base_url,
        }
        done = _bot("--config", str(config), "run", env=env)
    assert done.returncode == 1
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 1, done.stderr
    assert "telegram.metrics_port" in errors[0]
    assert "LOTSE_METRICS_PORT" in errors[0]
    assert "Traceback" not in done.stderr


def test_an_unknown_telegram_library_is_one_line_naming_the_choices(tmp_path: Path) -> None:
    env = {"BOT_TOKEN": "123:abc", "LOTSE_TELEGRAM_LIBRARY": "telethon"}
    done = _bot("--config", str(write_config(tmp_path)), "run", env=env)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "error: LOTSE_TELEGRAM_LIBRARY='telethon' is not a Telegram library Lotse runs on "
        "(aiogram, ptb)"
    ]


def test_chat_lang_switches_the_language_of_a_known_resident(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/lotse.db"}
    first = _bot("chat", "--lang", "de", env=env, stdin="1\n")
    assert "Wobei brauchen Sie Hilfe?" in first.stdout
    again = _bot("chat", "--lang", "uk", env=env, stdin="")
    assert again.returncode == 0, again.stderr
    assert "Українська" in again.stdout
    assert "Wobei brauchen Sie Hilfe?" not in again.stdout


def test_numbers_typed_in_a_handoff_are_words_for_a_person(
    tmp_path: Path, texts: Catalogs
) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/lotse.db"}
    done = _bot("chat", "--lang", "de", env=env, stdin="1\n/human\n2\n")
    stale = texts.text("de", "system.stale_menu")
    note = texts.text("de", "admin.terminal_no_staff")
    assert stale not in done.stdout
    assert done.stdout.rstrip().endswith(note), done.stdout[-500:]
