"""The conversation tests staff write (tests/conversations/*.yaml), one pytest case each.

Each case fails with exactly what ``python -m bot test-flows`` prints for it: file:line, what
was expected, and the conversation so far. The suite as a whole must keep reaching every
flow, every language twice, and typed danger in every language.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.cli.flowtests import ConversationTest, Result, Runner, collect, lotse_engine
from bot.cli.flowtests.model import TestFile, Type
from bot.config import load_settings

ROOT = Path(__file__).resolve().parents[2]
FILES = collect([Path(__file__).parent], ROOT)
TESTS = [test for test_file in FILES for test in test_file.tests]


@pytest.fixture(scope="module")
def runner() -> Runner:
    settings, _ = load_settings(ROOT / "config.yaml")
    return Runner(lotse_engine(settings))


@pytest.fixture(scope="module")
def results(runner: Runner) -> dict[tuple[str, int], Result]:
    """Every test run once on the shared engine."""
    return {(test.file, test.line): runner.run(test) for test in TESTS}


@pytest.mark.parametrize("test_file", FILES, ids=[f.file for f in FILES])
def test_file_is_readable(test_file: TestFile) -> None:
    assert not test_file.problems, "\n".join(map(str, test_file.problems))


@pytest.mark.parametrize("test", TESTS, ids=[f"{Path(t.file).name}:{t.line}" for t in TESTS])
def test_conversation(test: ConversationTest, results: dict[tuple[str, int], Result]) -> None:
    result = results[test.file, test.line]
    assert result.passed, result.report()


def test_every_flow_is_reached(runner: Runner, results: dict[tuple[str, int], Result]) -> None:
    reached = set().union(*(result.flows for result in results.values()))
    missing = sorted(set(runner.engine.flows.flows) - reached)
    assert not missing, f"no conversation test reaches these flows: {missing}"


def test_every_language_is_tested_twice(
    runner: Runner, results: dict[tuple[str, int], Result]
) -> None:
    tests_per_language = Counter(result.language for result in results.values())
    few = [lang for lang in runner.engine.offered() if tests_per_language[lang] < 2]
    assert not few, f"fewer than two conversation tests in: {few}"


def test_typed_danger_is_tested_in_every_language(runner: Runner) -> None:
    """Violence and acute danger, typed in the language: the numbers in the first reply."""
    typed_danger = Counter(
        test.language or test.language_code
        for test in TESTS
        for step in test.steps
        if isinstance(step.action, Type)
        and any(e.kind == "emergency" and e.value is True for e in step.expectations)
    )
    few = [lang for lang in runner.engine.offered() if typed_danger[lang] < 2]
    assert not few, f"fewer than two typed emergencies (violence, acute danger) in: {few}"


def test_there_are_at_least_40_conversation_tests() -> None:
    assert len(TESTS) >= 40
