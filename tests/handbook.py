"""The staff handbook (docs/handbuch/) as a script: its examples are read, applied and run.

A page is run from top to bottom in a fresh copy of the content (see :data:`CONTENT`), as a
member of staff would follow it. Fenced blocks, by their info string:

- ``console``: a line ``$ COMMAND`` is run with bash in the copy (``python`` is the
  interpreter running the tests); the lines under it, up to the next ``$`` line, are what
  it prints, stdout and stderr together. ``…`` alone on a line stands for any number of
  lines, ``…`` inside a line for any text on that line: for what changes from run to run
  or with the content (dates, opening hours, counts of warnings). Trailing spaces and
  trailing empty lines do not count.
  A command whose lines include a prompt (``> TEXT``) runs in a pseudo-terminal, as the
  chat does for staff: ``TEXT`` is typed at each prompt, and a bare ``>`` is Ctrl-D.
- ``yaml datei=PATH``: the block is the whole file ``PATH`` (created if new).
- ``yaml dazu=PATH``: the block is added at the end of ``PATH``.
- ``yaml vorher=PATH`` and then ``yaml nachher=PATH``: the first block's text, which must
  occur exactly once in ``PATH``, is replaced by the second's.
- ``text lotse``: every line is a line of a German text in ``locales/de.yaml``, with
  ``{placeholders}`` filled in (checked, not run).

Outside blocks, ``<!-- test: NAME -->`` runs the preparation of that name the test passes to
:func:`run_page` (a page cannot show how a database fills up over a month). Commands that
need Telegram or a token stay out of ``console`` blocks. Blocks in list items may be
indented.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HANDBOOK = ROOT / "docs" / "handbuch"
CONTENT = ("config.yaml", "flows", "locales", "places", "nlu", "schemas", "tests/conversations")
"""What a page's copy holds: what staff edit, and the conversation tests."""
ELLIPSIS = "…"
BASH = shutil.which("bash") or "/bin/bash"
TIMEOUT = 120
OPERATOR_ENV = (
    "BOT_TOKEN",
    "WEBHOOK_SECRET",
    "HANDOFF_TRANSLATE_API_KEY",
    "DATABASE_URL",
    "TELEGRAM_API_BASE",
)
"""Set where Lotse runs, never where staff try things out: a page's copy goes without."""

_FENCE = re.compile(r"^(?P<indent> *)```(?P<info>.*)$")
_HOOK = re.compile(r"^\s*<!-- test: (?P<name>[\w-]+) -->\s*$")


Preparation = Callable[[Path], None]
"""Prepares a page's copy (its folder) for what the page shows next."""


class PageError(Exception):
    """A page breaks the rules above: named with ``file:line``."""


@dataclass(frozen=True)
class Block:
    """A fenced block: ``info`` is the info string, ``line`` the line of the opening fence."""

    line: int
    info: str
    text: str

    @property
    def kind(self) -> str:
        return self.info.split(maxsplit=1)[0] if self.info else ""

    @property
    def options(self) -> dict[str, str]:
        words = self.info.split()[1:]
        return dict(word.split("=", 1) for word in words if "=" in word)


@dataclass(frozen=True)
class Hook:
    """``<!-- test: NAME -->``."""

    line: int
    name: str


@dataclass(frozen=True)
class Command:
    """A ``$`` line of a console block and the lines quoted as its output."""

    line: int
    command: str
    expected: list[str] = field(default_factory=list)

    @property
    def typed(self) -> list[str] | None:
        """What is typed at the prompts, or None when the command runs without a terminal."""
        prompts = [line for line in self.expected if line == ">" or line.startswith("> ")]
        return [line[2:] for line in prompts if line != ">"] if prompts else None


def pages() -> list[Path]:
    """Every page of the handbook, the index first."""
    return sorted(HANDBOOK.glob("*.md"), key=lambda page: (page.name != "README.md", page.name))


def parts(page: Path) -> Iterator[Block | Hook]:
    """The fenced blocks and hooks of a page, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    number = 0
    while number < len(lines):
        fence = _FENCE.match(lines[number])
        hook = _HOOK.match(lines[number])
        if hook:
            yield Hook(number + 1, hook["name"])
        if not fence:
            number += 1
            continue
        indent, start = fence["indent"], number
        body: list[str] = []
        number += 1
        while number < len(lines) and lines[number].strip() != "```":
            body.append(lines[number].removeprefix(indent))
            number += 1
        if number == len(lines):
            raise PageError(f"{_where(page, start + 1)}: a block without its closing ```")
        yield Block(start + 1, fence["info"].strip(), "\n".join(body) + "\n")
        number += 1


def commands(block: Block) -> list[Command]:
    """The commands of a console block with their quoted output."""
    found: list[Command] = []
    for offset, line in enumerate(block.text.splitlines()):
        if line.startswith("$ "):
            found.append(Command(block.line + 1 + offset, line[2:]))
        elif found:
            found[-1].expected.append(line.rstrip())
        else:
            msg = f"line {block.line + 1 + offset}: a console block starts with '$ COMMAND'"
            raise PageError(msg)
    return found


def matches(expected: list[str], actual: str) -> bool:
    """Whether the output is what the page quotes, ``…`` standing for what varies."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line == ELLIPSIS else _line_pattern(line) + r"\n"
        for line in _trimmed(expected)
    )
    return re.fullmatch(pattern, "".join(f"{line}\n" for line in _normalised(actual))) is not None


def _line_pattern(line: str) -> str:
    return "[^\n]*?".join(re.escape(piece) for piece in line.split(ELLIPSIS))


def _normalised(output: str) -> list[str]:
    return _trimmed([line.rstrip() for line in output.replace("\r\n", "\n").split("\n")])


def _trimmed(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and not lines[end - 1]:
        end -= 1
    return lines[:end]


class Sandbox:
    """A fresh copy of the content where a page's edits and commands happen."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        for name in CONTENT:
            source, target = ROOT / name, folder / name
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        # One topic-model cache for every copy: learning it costs seconds, reading it none.
        cache = ROOT / "data" / "cache"
        cache.mkdir(parents=True, exist_ok=True)
        (folder / "data").mkdir()
        (folder / "data" / "cache").symlink_to(cache)
        bin_dir = folder / ".bin"
        bin_dir.mkdir()
        python = bin_dir / "python"  # a script, not a link: a venv is found by its path
        python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
        python.chmod(0o755)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
        for name in OPERATOR_ENV:
            env.pop(name, None)
        env |= {"PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", "PYTHONUNBUFFERED": "1"}
        self.env = env | {"PYTHONUTF8": "1"}

    def edit(self, block: Block, before: Block | None) -> None:
        """Apply a ``datei=``, ``dazu=`` or ``vorher=``/``nachher=`` block."""
        options = block.options
        if "datei" in options:
            path = self._path(options["datei"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(block.text, encoding="utf-8")
        elif "dazu" in options:
            path = self._path(options["dazu"])
            text = path.read_text(encoding="utf-8")
            path.write_text(text + ("" if text.endswith("\n") else "\n") + block.text, "utf-8")
        elif "nachher" in options:
            if before is None or before.options.get("vorher") != options["nachher"]:
                msg = f"line {block.line}: 'nachher' needs a 'vorher' block of the same file"
                raise PageError(msg)
            path = self._path(options["nachher"])
            text = path.read_text(encoding="utf-8")
            if text.count(before.text) != 1:
                count = text.count(before.text)
                msg = f"line {before.line}: the 'vorher' text occurs {count} times in {path.name}"
                raise PageError(msg)
            path.write_text(text.replace(before.text, block.text), encoding="utf-8")

    def _path(self, relative: str) -> Path:
        path = (self.folder / relative).resolve()
        if not path.is_relative_to(self.folder.resolve()):
            raise PageError(f"{relative} is outside the copy")
        return path

    def run(self, command: Command) -> str:
        """Run a command as staff would, returning what it printed."""
        typed = command.typed
        if typed is not None:
            return self._run_in_terminal(command.command, typed)
        result = subprocess.run(
            [BASH, "-c", command.command],
            cwd=self.folder,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        return result.stdout

    def _run_in_terminal(self, command: str, typed: list[str]) -> str:
        """Type each line at a ``> `` prompt, then Ctrl-D; the terminal echoes what is typed."""
        master, slave = pty.openpty()
        process = subprocess.Popen(
            [BASH, "-c", command],
            cwd=self.folder,
            env=self.env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
        )
        os.close(slave)
        output, pending, deadline = b"", list(typed), time.monotonic() + TIMEOUT
        try:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([master], [], [], 1)
                if not ready:
                    continue
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the command ended and closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
                if output.endswith(b"> "):
                    os.write(master, pending.pop(0).encode() + b"\n" if pending else b"\x04")
        finally:
            os.close(master)
            process.kill()
            process.wait()
        return output.decode("utf-8", errors="replace")


def run_page(page: Path, folder: Path, preparations: dict[str, Preparation]) -> list[str]:
    """Follow a page in a fresh copy; returns a description of every difference."""
    sandbox = Sandbox(folder)
    problems: list[str] = []
    before: Block | None = None
    for part in parts(page):
        try:
            if before is not None and (isinstance(part, Hook) or "nachher" not in part.options):
                raise PageError(f"line {before.line}: a 'vorher' block needs a 'nachher' block")
            if isinstance(part, Hook):
                if part.name not in preparations:
                    raise PageError(f"line {part.line}: unknown preparation {part.name!r}")
                preparations[part.name](folder)
                continue
            sandbox.edit(part, before)
            before = part if "vorher" in part.options else None
            found = commands(part) if part.kind == "console" else []
        except PageError as exc:
            raise PageError(f"{_shown(page)}: {exc}") from exc
        for command in found:
            actual = sandbox.run(command)
            if not matches(command.expected, actual):
                problems.append(
                    f"{_where(page, command.line)}: $ {command.command}\n"
                    f"--- quoted:\n{chr(10).join(command.expected)}\n"
                    f"--- printed:\n{chr(10).join(_normalised(actual))}"
                )
    if before is not None:
        msg = f"{_where(page, before.line)}: a 'vorher' block needs a 'nachher' block"
        raise PageError(msg)
    return problems


def _where(page: Path, line: int) -> str:
    return f"{_shown(page)}:{line}"


def _shown(page: Path) -> str:
    return str(page.relative_to(ROOT)) if page.is_relative_to(ROOT) else page.name
