"""The package boundaries, made executable (import-linter and a fresh-interpreter check)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PURE = [
    "bot.core",
    "bot.core.engine",
    "bot.flowspec",
    "bot.i18n",
    "bot.source",
    "bot.directory",
    "bot.langid",
    "bot.nlu",
    "bot.handoff",
    "bot.flowgraph",
    "bot.report",
]


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint)], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_engine_and_flow_packages_import_no_telegram_and_no_sqlalchemy() -> None:
    # In a fresh interpreter: once any test has imported aiogram, sys.modules means nothing.
    code = (
        "import importlib, sys\n"
        f"for name in {PURE!r}: importlib.import_module(name)\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'aiogram', 'telegram', 'sqlalchemy', 'alembic', 'aiohttp'})\n"
        "print('FORBIDDEN', bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert "FORBIDDEN []" in result.stdout, result.stdout + result.stderr
