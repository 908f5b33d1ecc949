"""The handbook page for places (docs/handbuch/orte.md) quotes real output: every command
in it runs, and what it quotes is what the command prints."""

from __future__ import annotations

import shlex
from pathlib import Path

from test_cli import ROOT, run_bot

PAGE = ROOT / "docs" / "handbuch" / "orte.md"
PROMPT = ".venv/bin/python -m bot "


def quoted_runs() -> dict[str, list[str]]:
    """Each block run as ``$ … .venv/bin/python -m bot …``: the command and the lines it quotes."""
    blocks: list[list[str]] = []
    inside = False
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = not inside
            blocks.extend([[]] if inside else [])
        elif inside:
            blocks[-1].append(line)
    return {
        block[0].split(PROMPT, 1)[1]: block[1:]
        for block in blocks
        if block and block[0].startswith("$ ") and PROMPT in block[0]
    }


def test_every_command_of_the_page_is_checked() -> None:
    assert set(quoted_runs()) == {
        "validate --strict",
        "places-review --today 2026-12-07 --place kaisers",
        "chat --lang de",
    }


def test_places_review_prints_exactly_what_the_page_shows() -> None:
    command = "places-review --today 2026-12-07 --place kaisers"
    result = run_bot(*shlex.split(command))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == quoted_runs()[command]


def test_validate_strict_prints_the_quoted_lines() -> None:
    result = run_bot("validate", "--strict")
    assert result.returncode == 1  # warnings fail --strict
    shown = [line for line in quoted_runs()["validate --strict"] if line != "…"]
    assert set(shown) <= set(result.stdout.splitlines())


def test_the_card_in_the_chat(tmp_path: Path) -> None:
    stdin = "1\nBrief von der Ausländerbehörde, ich wohne in der Altstadt\n"
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/chat.db"}
    result = run_bot("chat", "--lang", "de", stdin=stdin, env=env)
    assert result.returncode == 0, result.stderr
    # The opening status depends on the clock; every other line of the card is fixed.
    card = [
        line
        for line in quoted_runs()["chat --lang de"]
        if line != "…" and not line.strip().startswith("Jetzt ")
    ]
    assert set(card) <= set(result.stdout.splitlines())


def test_the_quoted_p_codes_are_what_the_loader_says() -> None:
    page = PAGE.read_text(encoding="utf-8")
    expected = ROOT / "tests/unit/directory/data/cases/offers/expected.txt"
    quoted = [line for line in page.splitlines() if line.startswith("cases/offers/")]
    assert quoted
    assert set(quoted) <= set(expected.read_text(encoding="utf-8").splitlines())
