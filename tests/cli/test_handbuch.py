"""Issue 13, point 6: the staff handbook quotes real output, and every link in it works.

Each page of docs/handbuch/ is followed from top to bottom in a fresh copy of the content:
its edits are applied, its commands run as real processes, and what they print is compared
with what the page quotes. The rules for the pages (``…`` for what varies, ``datei=``,
``vorher=``/``nachher=``, chat prompts) are in tests/handbook.py; a page added later is
checked the same way. The pages run two at a time, so the whole handbook takes about as
long as its longest pages.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from handbook import (
    HANDBOOK,
    ROOT,
    Block,
    PageError,
    commands,
    matches,
    pages,
    parts,
    run_page,
)
from stats_seed import seed

from bot.channels.telegram.admin import COMMANDS as ADMIN_COMMANDS
from bot.handoff.commands import COMMANDS as CASE_COMMANDS
from bot.handoff.commands import TEMPLATE_PREFIX
from bot.i18n.load import load_catalogues
from bot.storage import open_database

INDEX = HANDBOOK / "README.md"
CASES = HANDBOOK / "faelle.md"
_LINK = re.compile(r"!?\[[^\]]*\]\((?P<target>[^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*$")
_PLACEHOLDER = re.compile(r"\{\w+\}")


def _november_statistics(folder: Path) -> None:
    """The seeded November 2026 log, in the database the copy's config.yaml names."""

    async def fill() -> None:
        db = await open_database(f"sqlite+aiosqlite:///{folder}/data/lotse.db")
        try:
            await seed(db)
        finally:
            await db.close()

    asyncio.run(fill())


PREPARATIONS = {"beispieldaten-statistik": _november_statistics}


def _needs_dot(page: Path) -> bool:
    return any(
        re.search(r"\bgraph\b.*--format (svg|png)", command.command)
        for block in parts(page)
        if isinstance(block, Block) and block.kind == "console"
        for command in commands(block)
    )


@pytest.fixture(scope="module")
def differences(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Every page followed once, two at a time: page name → what differs from the quote."""
    runnable = [page for page in pages() if shutil.which("dot") or not _needs_dot(page)]

    def follow(page: Path) -> list[str]:
        return run_page(page, tmp_path_factory.mktemp(page.stem) / "lotse", PREPARATIONS)

    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return dict(zip((p.name for p in runnable), pool.map(follow, runnable), strict=True))


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.name)
def test_the_page_quotes_what_lotse_really_prints(
    page: Path, differences: dict[str, list[str]]
) -> None:
    if page.name not in differences:
        pytest.skip("Graphviz's dot is not installed (Debian package graphviz)")
    if differences[page.name]:
        pytest.fail("\n\n".join(differences[page.name]), pytrace=False)


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.name)
def test_quoted_telegram_messages_are_lotses_german_texts(page: Path) -> None:
    german = _german_lines()
    quoted = [
        line
        for part in parts(page)
        if isinstance(part, Block) and part.info == "text lotse"
        for line in part.text.splitlines()
        if line.strip()
    ]
    assert [line for line in quoted if not any(p.fullmatch(line) for p in german)] == []


def test_every_page_is_in_the_index() -> None:
    linked = {_resolve(INDEX, target)[0] for target in _links(INDEX)}
    missing = [page.name for page in pages() if page != INDEX and page not in linked]
    assert missing == [], f"add these pages to {INDEX.relative_to(ROOT)}"


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.name)
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in _links(page):
        if re.match(r"[a-z]+:", target):
            continue  # https: and mailto: are not checked: nothing may call the internet
        path, anchor = _resolve(page, target)
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(f"{target}: no heading with the anchor #{anchor}")
    assert broken == []


def test_the_case_page_names_every_staff_command_and_template() -> None:
    text = CASES.read_text(encoding="utf-8")
    assert [c for c in (*CASE_COMMANDS, *ADMIN_COMMANDS) if f"`/{c}" not in text] == []
    catalogues, _, _ = load_catalogues([ROOT / "locales" / "de.yaml"], ROOT)
    templates = {
        key.removeprefix(TEMPLATE_PREFIX): entry.text
        for key, entry in catalogues["de"].entries.items()
        if key.startswith(TEMPLATE_PREFIX)
    }
    rows = dict(re.findall(r"^\| `(\w+)` \| (.+?) \|$", text, flags=re.MULTILINE))
    assert {name: rows.get(name) for name in templates} == templates


class TestMatching:
    """The comparison itself: ``…`` must hide what varies, and nothing more."""

    def test_an_ellipsis_line_stands_for_any_lines(self) -> None:
        assert matches(["a", "…", "d"], "a\nb\nc\nd\n")
        assert matches(["a", "…", "b"], "a\nb\n")
        assert not matches(["a", "…", "d"], "a\nb\nd\ne\n")

    def test_an_ellipsis_in_a_line_stands_for_text_in_that_line_only(self) -> None:
        assert matches(["Zeitraum: … bis …"], "Zeitraum: 01.11.2026 bis 30.11.2026\n")
        assert not matches(["Zeitraum: … bis"], "Zeitraum: 1 bis\n2 bis\n")
        assert not matches(["0 errors, … warnings"], "0 errors, 3 warnings, 1 note\n")

    def test_trailing_spaces_and_empty_lines_do_not_count(self) -> None:
        assert matches(["> 1", ">"], "> 1  \r\n> \r\n\r\n")

    def test_a_page_breaking_the_rules_is_named_with_its_line(self, tmp_path: Path) -> None:
        page = tmp_path / "kaputt.md"
        before = "```yaml vorher=flows/food.yaml\nnot in the file\n```\n"
        page.write_text(before + "```yaml nachher=flows/food.yaml\nx\n```\n", encoding="utf-8")
        with pytest.raises(PageError, match=r"^kaputt.md: line 1: .* occurs 0 times"):
            run_page(page, tmp_path / "copy", PREPARATIONS)


def _links(page: Path) -> list[str]:
    text = _without_code(page.read_text(encoding="utf-8"))
    return [match["target"].strip("<>") for match in _LINK.finditer(text)]


def _resolve(page: Path, target: str) -> tuple[Path, str]:
    path, _, anchor = target.partition("#")
    return ((page.parent / path).resolve() if path else page), anchor


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    titles = (
        match["title"]
        for line in _without_code(page.read_text(encoding="utf-8")).splitlines()
        if (match := _HEADING.match(line))
    )
    return {re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-") for title in titles}


def _without_code(text: str) -> str:
    return re.sub(r"^ *```.*?^ *```", "", text, flags=re.MULTILINE | re.DOTALL)


def _german_lines() -> list[re.Pattern[str]]:
    catalogues, _, _ = load_catalogues([ROOT / "locales" / "de.yaml"], ROOT)
    return [
        re.compile(".*".join(re.escape(piece) for piece in _PLACEHOLDER.split(line)))
        for entry in catalogues["de"].entries.values()
        for form in entry.forms()
        for line in form.splitlines()
    ]
