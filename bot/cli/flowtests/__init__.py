"""``python -m bot test-flows [PATH ...]``: the conversation tests staff write, in German.

Reads ``tests/conversations/*.yaml`` (or the files and folders given), runs every test
through the real engine and content in memory, and prints one line per test, each failure
with ``file:line`` and the conversation so far, and a summary ("40 Tests, 40 bestanden").
Exit code 0 when all pass, 1 otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.app import ContentError, build_engine, checked_content
from bot.cli import EXIT_ERROR, EXIT_OK
from bot.cli.flowtests.model import ConversationTest, TestFile
from bot.cli.flowtests.runner import Result, Runner
from bot.cli.flowtests.spec import collect
from bot.config import Settings
from bot.core.engine import Engine

DEFAULT_FOLDER = Path("tests/conversations")
"""Where the tests are, relative to config.yaml."""

__all__ = [
    "ConversationTest",
    "Result",
    "Runner",
    "TestFile",
    "collect",
    "lotse_engine",
    "run_and_print",
    "run_flow_tests",
]


def lotse_engine(settings: Settings) -> Engine:
    """The engine exactly as the bot builds it; :class:`ContentError` when content is broken."""
    return build_engine(settings, checked_content(settings))


def run_flow_tests(settings: Settings, paths: Sequence[Path], *, verbose: bool = False) -> int:
    """Run the tests in ``paths`` (default: the folder of conversation tests) and report."""
    try:
        engine = lotse_engine(settings)
    except ContentError as exc:
        print("Die Inhalte (flows/, locales/, places/, nlu/) haben Fehler; zuerst diese beheben:")
        print(str(exc).partition("\n")[2])
        return EXIT_ERROR
    files = collect(paths or [settings.path(str(DEFAULT_FOLDER))], Path.cwd())
    return EXIT_OK if run_and_print(Runner(engine), files, verbose=verbose) else EXIT_ERROR


def run_and_print(runner: Runner, files: Sequence[TestFile], *, verbose: bool = False) -> bool:
    """Run every test of ``files``, print one line each, failures and the summary.

    Returns True when every test passed and every file could be read.
    """
    results: list[Result] = []
    for test_file in files:
        print(test_file.file)
        for problem in test_file.problems:
            print(problem)
        for test in test_file.tests:
            result = runner.run(test)
            results.append(result)
            _print(result, verbose=verbose)
    summary, ok = _summary(results, files)
    print(f"\n{summary}")
    return ok


def _print(result: Result, *, verbose: bool) -> None:
    print(f"  {'✓' if result.passed else '✗'} {result.test.name}")
    if not result.passed:
        print(result.report())
    elif verbose:
        print(f"  Verlauf:\n{result.transcript}")


def _summary(results: list[Result], files: Sequence[TestFile]) -> tuple[str, bool]:
    """The German summary line, and whether everything passed."""
    unreadable = sum(1 for test_file in files if test_file.problems)
    if not results and not unreadable:
        return "Keine Tests gefunden.", False
    passed = sum(result.passed for result in results)
    failed = len(results) - passed
    parts = [f"{len(results)} {'Test' if len(results) == 1 else 'Tests'}", f"{passed} bestanden"]
    if failed:
        parts.append(f"{failed} fehlgeschlagen")
    if unreadable:
        parts.append(f"{unreadable} {'Datei' if unreadable == 1 else 'Dateien'} nicht lesbar")
    return ", ".join(parts), not failed and not unreadable
