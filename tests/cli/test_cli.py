"""The command line as staff and operators use it: real processes, real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_bot(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full_env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def db_env(tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/chat.db"}


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


class TestValidate:
    def test_shipped_content_is_valid(self) -> None:
        result = run_bot("validate")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "0 errors" in result.stdout

    def test_validate_never_imports_telegram_or_sqlalchemy(self) -> None:
        code = (
            "import sys, runpy; sys.argv=['bot','validate'];\n"
            "try:\n runpy.run_module('bot', run_name='__main__')\n"
            "except SystemExit: pass\n"
            "roots = ('aiogram', 'telegram', 'sqlalchemy')\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in roots]\n"
            "print('IMPORTED', bad)"
        )
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        assert "IMPORTED []" in result.stdout, result.stdout + result.stderr

    def test_broken_config_lists_errors_and_exits_1(self, tmp_path: Path) -> None:
        config = write_config(tmp_path, "languages: [de, xx]\ntimezone: Mars/Base\nfoo: 1\n")
        result = run_bot("--config", str(config), "validate")
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert (
            f"{config}:1:1: error[C100] languages: unknown language code(s): xx" in result.stderr
        )
        assert (
            f"{config}:2:1: error[C100] timezone: unknown time zone 'Mars/Base'" in result.stderr
        )
        assert f"{config}:3:1: error[C100] unknown key 'foo'" in result.stderr

    def test_malformed_config_yaml(self, tmp_path: Path) -> None:
        config = write_config(tmp_path, "languages: [de\n")
        result = run_bot("--config", str(config), "validate")
        assert result.returncode == 1
        assert "error[Y100] YAML syntax error" in result.stderr
        assert "Traceback" not in result.stderr

    def test_missing_config_file(self, tmp_path: Path) -> None:
        result = run_bot("--config", str(tmp_path / "nope.yaml"), "validate")
        assert result.returncode == 1
        assert "error[Y001] file not found" in result.stderr

    def test_strict_fails_on_warnings(self, tmp_path: Path) -> None:
        flows = tmp_path / "flows"
        flows.mkdir()
        (flows / "welcome.yaml").write_text(
            "flow: welcome\nstart: q\nsteps:\n  q:\n    ask: t.q\n    options:\n"
            "      - {id: a, label: t.long}\n",
            encoding="utf-8",
        )
        locales = tmp_path / "locales"
        locales.mkdir()
        german = (ROOT / "locales" / "de.yaml").read_text(encoding="utf-8")
        german += '  t:\n    q: "Frage?"\n    long: "Ein Knopf mit einem viel zu langen Text"\n'
        (locales / "de.yaml").write_text(german, encoding="utf-8")
        nlu = tmp_path / "nlu"
        nlu.mkdir()
        (nlu / "topics.yaml").write_text("topics:\n  none: {}\n", encoding="utf-8")
        config = write_config(
            tmp_path, f"languages: [de]\nfallbacks: [de]\npaths: {{places: {ROOT / 'places'}}}\n"
        )
        relaxed = run_bot("--config", str(config), "validate")
        strict = run_bot("--config", str(config), "validate", "--strict")
        assert relaxed.returncode == 0, relaxed.stdout + relaxed.stderr
        assert "warning[L104] t.long: button label has 39 characters" in relaxed.stdout
        assert strict.returncode == 1


class TestChat:
    def test_pipe_walks_to_a_referral(self, db_env: dict[str, str]) -> None:
        # agree, letter, Jobcenter, Südstadt (places), deadline later
        result = run_bot("chat", "--lang", "de", stdin="1\n1\n1\n4\n2\n", env=db_env)
        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert "Sind Sie einverstanden?" in out
        assert "Von wem ist der Brief?" in out
        assert "In welchem Stadtteil wohnen Sie?" in out
        assert "📍" in out
        assert "Wie geht es weiter?" in out
        assert "> " not in out  # no prompt on a pipe

    def test_chat_continues_where_it_stopped(self, db_env: dict[str, str]) -> None:
        run_bot("chat", "--lang", "de", stdin="1\n1\n", env=db_env)
        result = run_bot("chat", stdin="/help\n", env=db_env)
        assert "So geht es:" in result.stdout
        assert "Von wem ist der Brief?" in result.stdout

    def test_unwritable_database_is_a_clear_error(self, tmp_path: Path) -> None:
        blocker = tmp_path / "file"
        blocker.write_text("x")
        env = {"DATABASE_URL": f"sqlite+aiosqlite:///{blocker}/db.sqlite"}
        result = run_bot("chat", stdin="", env=env)
        assert result.returncode == 1
        assert "error: cannot create the database file" in result.stderr
        assert "Traceback" not in result.stderr

    def test_unknown_language_is_refused(self, db_env: dict[str, str]) -> None:
        result = run_bot("chat", "--lang", "xx", env=db_env)
        assert result.returncode == 1
        assert "language 'xx' is not offered" in result.stderr

    def test_without_token_the_default_command_is_the_chat(self, db_env: dict[str, str]) -> None:
        result = run_bot(stdin="", env=db_env)
        assert result.returncode == 0, result.stderr
        assert "Welche Sprache möchten Sie?" in result.stdout


def test_export_data_and_purge(db_env: dict[str, str]) -> None:
    run_bot("chat", "--lang", "de", "--resident", "anna", stdin="1\n", env=db_env)
    exported = run_bot("export-data", "terminal:anna", env=db_env)
    assert exported.returncode == 0, exported.stderr
    assert '"external_id": "anna"' in exported.stdout
    purged = run_bot("purge", env=db_env)
    assert purged.returncode == 0
    assert "deleted 0 residents" in purged.stdout
    assert "anonymised 0 closed cases" in purged.stdout
