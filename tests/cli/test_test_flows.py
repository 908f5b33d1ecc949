"""``python -m bot test-flows``: the runner of the conversation tests staff write.

In-process on one shared engine (the shipped content), plus two real processes for the exit
codes. Messages are compared exactly: they are what staff read.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli.flowtests import Runner, collect, lotse_engine, run_and_print
from bot.cli.flowtests.buttons import AmbiguousLabel, find_button
from bot.cli.flowtests.model import Wait
from bot.cli.flowtests.spec import read_file
from bot.config import load_settings
from bot.core.replies import Ask, Option

ROOT = Path(__file__).resolve().parents[2]

PASSING = """\
- test: Brief vom Jobcenter
  language: de
  steps:
    - tap: Brief vom Amt
      step: letters.which_office
    - tap: jobcenter
      says: widerspruch
      flow: letters
"""

FAILING = """\
- test: Brief vom Jobcenter
  language: de
  steps:
    - tap: Brief vom Amt
    - tap: Jobcenter
      flow: letters
      step: letters.deadline
    - tap: Südstadt
"""


@pytest.fixture(scope="module")
def runner() -> Runner:
    settings, _ = load_settings(ROOT / "config.yaml")
    return Runner(lotse_engine(settings))


RunYaml = Callable[[str], tuple[bool, str]]


@pytest.fixture
def run_yaml(runner: Runner, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> RunYaml:
    """Write one test file as test.yaml, run it like the command does: (passed, output)."""

    def run(text: str) -> tuple[bool, str]:
        path = tmp_path / "test.yaml"
        path.write_text(text, encoding="utf-8")
        passed = run_and_print(runner, collect([path], tmp_path))
        return passed, capsys.readouterr().out

    return run


class TestRunning:
    def test_a_passing_file(self, run_yaml: RunYaml) -> None:
        passed, out = run_yaml(PASSING)
        assert passed
        assert out == "test.yaml\n  ✓ Brief vom Jobcenter\n\n1 Test, 1 bestanden\n"

    def test_a_failing_expectation_names_file_line_and_shows_the_conversation(
        self, run_yaml: RunYaml
    ) -> None:
        passed, out = run_yaml(FAILING)
        assert not passed
        assert (
            "test.yaml:7: Test »Brief vom Jobcenter«, Schritt 2: erwartet Schritt "
            "»letters.deadline«, erreicht: choose_quarter.ask_quarter.\n"
            "  Verlauf bis hier:\n"
            "  0. Vorbereitung: /start · tippt auf »Deutsch« · tippt auf »✅ Einverstanden«\n"
        ) in out
        assert "  1. Bewohner:in tippt auf »✉️ Brief vom Amt«\n" in out
        assert "  2. Bewohner:in tippt auf »🏢 Jobcenter«\n" in out
        assert "     Lotse: In welchem Stadtteil wohnen Sie?\n" in out
        assert "     → Stand: choose_quarter.ask_quarter\n" in out
        assert "Südstadt«" not in out, "the test stops at its first failing step"
        assert out.endswith("\n1 Test, 0 bestanden, 1 fehlgeschlagen\n")

    def test_an_unknown_label_gets_a_did_you_mean_and_the_buttons(self, run_yaml: RunYaml) -> None:
        text = "- test: Tippfehler\n  language: uk\n  steps:\n    - tap: Brief vom Amd\n"
        passed, out = run_yaml(text)
        assert not passed
        assert (
            "test.yaml:4: Test »Tippfehler«, Schritt 1: Knopf »Brief vom Amd« ist nicht zu "
            "sehen. Meinten Sie »✉️ Brief vom Amt«?\n"
            "    Zu sehen: ✉️ Лист від установи = ✉️ Brief vom Amt [letter] · "
        ) in out
        assert "  1. Bewohner:in tippt auf »Brief vom Amd« – geht nicht\n" in out

    def test_labels_in_the_language_in_german_and_option_ids_all_tap(
        self, runner: Runner, tmp_path: Path
    ) -> None:
        text = """\
- test: Drei Arten zu tippen
  language: ar
  steps:
    - tap: رسالة من دائرة
      step: letters.which_office
    - tap: Ausländerbehörde
      step: choose_quarter.ask_quarter
    - tap: unknown
      step: letters.deadline
"""
        path = tmp_path / "tap.yaml"
        path.write_text(text, encoding="utf-8")
        result = runner.run(read_file(path, "tap.yaml").tests[0])
        assert result.passed, result.report()
        assert "  1. Bewohner:in tippt auf »✉️ رسالة من دائرة«\n" in result.transcript
        assert "  2. Bewohner:in tippt auf »🛂 Ausländerbehörde (الأجانب)«\n" in result.transcript
        assert "  3. Bewohner:in tippt auf »❓ لا أعرف«\n" in result.transcript

    def test_unknown_steps_flows_places_and_links_are_named_before_running(
        self, run_yaml: RunYaml
    ) -> None:
        text = """\
- test: Falsche Namen
  language: dee
  steps:
    - command: /start kaisres-ar
      step: letters.dedline
      flow: leters
      place: tafle
      handoff: kaisrs
"""
        passed, out = run_yaml(text)
        assert not passed
        assert out == (
            "test.yaml\n"
            "  ✗ Falsche Namen\n"
            "test.yaml:2: Die Sprache »dee« bietet Lotse nicht an. Meinten Sie »de«? "
            "Angeboten: de, en, uk, ru, ar, fa, ps, tr, ku, ro, bg, pl, sq.\n"
            "test.yaml:4: Im Link »kaisres-ar« ist »kaisres« weder ein Ort noch eine Sprache. "
            "Meinten Sie »kaisers«?\n"
            "test.yaml:5: Lotse kennt den Schritt »letters.dedline« nicht. "
            "Meinten Sie »letters.deadline«?\n"
            "test.yaml:6: Lotse kennt den Ablauf »leters« nicht. Meinten Sie »letters«?\n"
            "test.yaml:7: Lotse kennt den Ort »tafle« nicht. Meinten Sie »tafel«?\n"
            "test.yaml:8: Lotse kennt den Ort »kaisrs« nicht. Meinten Sie »kaisers«?\n"
            "\n1 Test, 0 bestanden, 1 fehlgeschlagen\n"
        )

    def test_wait_moves_the_clock_and_opening_hours_follow(self, run_yaml: RunYaml) -> None:
        text = """\
- test: Abends geschlossen
  language: de
  time: 2026-11-24 10:00
  steps:
    - type: Brief von der Ausländerbehörde, ich wohne in der Altstadt
      says: Jetzt geöffnet
    - wait: 9 Stunden 30 min
      step: letters.deadline
    - command: /start
    - type: Brief von der Ausländerbehörde, ich wohne in der Altstadt
      says: Jetzt geöffnet
"""
        passed, out = run_yaml(text)
        assert not passed
        assert "test.yaml:11: Test »Abends geschlossen«, Schritt 4: erwartet einen Text " in out
        assert "  2. Bewohner:in wartet 9 Stunden 30 min (jetzt Di 24.11.2026, 19:30)\n" in out
        assert "Jetzt geschlossen. Wieder offen: Donnerstag 14:00 Uhr" in out

    def test_the_numbers_must_come_first(self, run_yaml: RunYaml) -> None:
        text = """\
- test: Keine Gefahr
  language: de
  steps:
    - type: Wo kann ich Deutsch lernen?
      emergency: true
"""
        passed, out = run_yaml(text)
        assert not passed
        assert (
            "test.yaml:5: Test »Keine Gefahr«, Schritt 1: erwartet die Notrufnummern (110 oder "
            "112) in der ersten Antwort; die erste Antwort war: »"
        ) in out

    def test_a_crash_of_lotse_is_reported_at_its_step_without_stopping_the_rest(
        self, runner: Runner, run_yaml: RunYaml, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        handle = runner.engine.handle

        def broken(event: object, session: object) -> object:
            if getattr(event, "text", "") == "kaputt":
                msg = "simulated"
                raise RuntimeError(msg)
            return handle(event, session)  # type: ignore[arg-type]

        monkeypatch.setattr(runner.engine, "handle", broken)
        text = PASSING + "- test: Absturz\n  language: de\n  steps:\n    - type: kaputt\n"
        passed, out = run_yaml(text)
        assert not passed
        assert (
            "test.yaml:12: Lotse ist hier abgestürzt (RuntimeError: simulated). Das ist ein "
            "Fehler im Programm, nicht im Test: bitte an die Technik melden.\n"
        ) in out
        assert out.endswith("\n2 Tests, 1 bestanden, 1 fehlgeschlagen\n")

    def test_no_tests_and_missing_paths(
        self, runner: Runner, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert not run_and_print(runner, collect([tmp_path], tmp_path))
        assert capsys.readouterr().out == "\nKeine Tests gefunden.\n"
        assert not run_and_print(runner, collect([tmp_path / "fehlt.yaml"], tmp_path))
        assert capsys.readouterr().out == (
            "fehlt.yaml\nfehlt.yaml:1: Datei oder Ordner nicht gefunden.\n"
            "\n0 Tests, 0 bestanden, 1 Datei nicht lesbar\n"
        )


MALFORMED = """\
- test: Vieles falsch
  langauge: de
  steps:
    - tap: Brief vom Amt
      type: Hallo
    - command: /bakc
    - wait: bis morgen
    - location: Hameln
    - type: Hallo
      step: welcome
      emergency: ja
    - wait: 2 Stunden
      says: Hallo
    - {}
    - type: Hallo
      says: []
- nur ein Text
- test: Ohne Schritte
  language: de
"""


STARTS_WITH_TEST = "jeder Test beginnt mit »- test:«."
REMOVE_ONE = "bitte einen entfernen oder umbenennen."


class TestMalformedFiles:
    def test_every_problem_is_reported_at_its_line_in_german(self, tmp_path: Path) -> None:
        path = tmp_path / "kaputt.yaml"
        path.write_text(MALFORMED, encoding="utf-8")
        found = read_file(path, "kaputt.yaml")
        problems = [str(p) for test in found.tests for p in test.problems]
        assert problems == [
            "kaputt.yaml:2: Unbekannte Angabe »langauge«. Meinten Sie »language«?",
            "kaputt.yaml:1: Bitte »language« (die gewählte Sprache, z. B. de) oder "
            "»language_code« (die Sprache des Telefons in Telegram, z. B. uk) angeben.",
            "kaputt.yaml:4: Schritt 1 hat mehrere Handlungen (tap, type); bitte auf mehrere "
            "Schritte verteilen.",
            "kaputt.yaml:6: Den Befehl »/bakc« kennt Lotse nicht. Meinten Sie »/back«? "
            "Lotse kennt: /start, /back, /language, /help, /human, /delete, /bot.",
            "kaputt.yaml:7: Dauer »bis morgen« nicht lesbar; Beispiele: 30 Minuten, 2 Stunden, "
            "1 Tag.",
            "kaputt.yaml:8: Standort bitte als »Breite, Länge« schreiben: 52.1036, 9.3563.",
            "kaputt.yaml:10: Schritt »welcome« bitte als Ablauf.Schritt schreiben, z. B. "
            "letters.which_office (oder nur den Ablauf mit »flow:«).",
            "kaputt.yaml:11: »emergency« ist true (ja) oder false (nein).",
            "kaputt.yaml:13: Nach »wait« antwortet Lotse nicht; »says« bitte beim nächsten "
            "Schritt prüfen.",
            "kaputt.yaml:14: Schritt 7: keine Handlung. Bitte eines davon schreiben: tap, type, "
            "location, command, wait.",
            "kaputt.yaml:16: »says« braucht einen Text.",
            "kaputt.yaml:17: Ein Test ist eine Gruppe von Angaben, beginnend mit »- test:«.",
            "kaputt.yaml:18: »steps« fehlt: die Liste, was die Person tut.",
        ]

    def test_a_yaml_syntax_error_is_a_line_not_a_traceback(self, tmp_path: Path) -> None:
        path = tmp_path / "syntax.yaml"
        path.write_text("- test: A\n  steps:\n    - says: Frist: morgen\n", encoding="utf-8")
        found = read_file(path, "syntax.yaml")
        assert [str(p) for p in found.problems] == [
            "syntax.yaml:3: Die Datei ist kein gültiges YAML (mapping values are not allowed in "
            "this context). Bitte Einrückung, Doppelpunkte und Anführungszeichen hier prüfen."
        ]

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "Die Datei ist leer: keine Tests."),
            ("test: A\n", f"Eine Testdatei ist eine Liste von Tests; {STARTS_WITH_TEST}"),
            ("- test: A\n  test: B\n", f"Ein Schlüssel steht hier zweimal; {REMOVE_ONE}"),
        ],
    )
    def test_file_shapes(self, tmp_path: Path, text: str, message: str) -> None:
        path = tmp_path / "f.yaml"
        path.write_text(text, encoding="utf-8")
        assert [p.message for p in read_file(path, "f.yaml").problems] == [message]

    def test_durations_add_up(self, tmp_path: Path) -> None:
        path = tmp_path / "w.yaml"
        path.write_text(
            "- test: W\n  language: de\n  steps:\n    - wait: 1 Tag und 2 Stunden\n"
            "    - wait: 45min\n",
            encoding="utf-8",
        )
        steps = read_file(path, "w.yaml").tests[0].steps
        assert [step.action for step in steps] == [
            Wait(timedelta(days=1, hours=2), "1 Tag und 2 Stunden"),
            Wait(timedelta(minutes=45), "45min"),
        ]


def test_words_that_fit_two_buttons_ask_for_the_option_id() -> None:
    question = Ask("?", "x.y", (Option("yes", "✅ Ja"), Option("ok", "Ja!")))
    with pytest.raises(AmbiguousLabel, match=r"»ja« passt zu mehreren Knöpfen \(yes, ok\)"):
        find_button("ja", question, {})


class TestCommand:
    """Real processes: the exit code is what CI and staff scripts see."""

    def test_the_shipped_tests_pass_with_exit_code_0(self) -> None:
        result = _bot("test-flows")
        assert result.returncode == 0, result.stdout + result.stderr
        summary = result.stdout.splitlines()[-1]
        assert re.fullmatch(r"(\d+) Tests, \1 bestanden", summary), summary

    def test_failures_and_broken_files_give_exit_code_1_without_traceback(
        self, tmp_path: Path
    ) -> None:
        (tmp_path / "a.yaml").write_text(FAILING, encoding="utf-8")
        (tmp_path / "b.yaml").write_text("- test: [\n", encoding="utf-8")
        result = _bot("test-flows", str(tmp_path))
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        assert f"{tmp_path / 'a.yaml'}:7: Test »Brief vom Jobcenter«, Schritt 2" in result.stdout
        assert f"{tmp_path / 'b.yaml'}:2: Die Datei ist kein gültiges YAML" in result.stdout
        assert result.stdout.endswith(
            "\n1 Test, 0 bestanden, 1 fehlgeschlagen, 1 Datei nicht lesbar\n"
        )


def _bot(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
