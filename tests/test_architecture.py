"""The package boundaries, made executable: import-linter reads the source (type-checking
imports included); the fresh-interpreter checks watch what Python really imports."""

from __future__ import annotations

import graphlib
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

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
LIBRARY_NEUTRAL = ["bot.channels.telegram", "bot.channels.terminal"]
"""Channel code every Telegram runtime shares (and the terminal chat): no Telegram library."""
STORAGE = ("bot.storage", "sqlalchemy", "alembic")
RECORD_IMPORTS = """
import builtins, importlib, importlib.util, json, pkgutil, sys
import bot

edges = set()
original = builtins.__import__


def recording(name, globals=None, locals=None, fromlist=(), level=0):
    module = original(name, globals, locals, fromlist, level)
    importer = (globals or {}).get("__name__", "")
    if importer.startswith("bot."):
        package = globals.get("__package__")
        target = importlib.util.resolve_name("." * level + name, package) if level else name
        edges.add((importer, target))
        edges.update(
            (importer, f"{target}.{item}")
            for item in fromlist or ()
            if f"{target}.{item}" in sys.modules
        )
    return module


builtins.__import__ = recording
for found in pkgutil.walk_packages(bot.__path__, "bot."):
    if not found.name.endswith("__main__"):
        importlib.import_module(found.name)
builtins.__import__ = original
print(json.dumps(sorted(edges)))
"""
"""Imports every module of ``bot`` and prints each import statement Python ran, as
(importer, imported) pairs; imports for type checking only are not run, so not seen."""


def _fresh_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _loaded_after_importing(modules: Iterable[str], *, below: bool) -> set[str]:
    """What a fresh interpreter holds after importing ``modules`` (and, with ``below``,
    every module under them): top-level packages and Lotse's own modules."""
    code = (
        "import importlib, json, pkgutil, sys\n"
        f"for name in {sorted(modules)!r}:\n"
        "    module = importlib.import_module(name)\n"
        f"    below = pkgutil.walk_packages(module.__path__, name + '.') if {below} else ()\n"
        "    for found in below:\n"
        "        importlib.import_module(found.name)\n"
        "print(json.dumps([m for m in sys.modules if m.startswith('bot.') or '.' not in m]))\n"
    )
    return set(json.loads(_fresh_python(code)))


@pytest.fixture(scope="module")
def run_imports() -> list[tuple[str, str]]:
    """Every import Python runs while loading all of ``bot``, in a fresh interpreter."""
    return [
        (importer, imported) for importer, imported in json.loads(_fresh_python(RECORD_IMPORTS))
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
    loaded = _loaded_after_importing(PURE, below=False)
    assert sorted({"aiogram", "telegram", "sqlalchemy", "alembic", "aiohttp"} & loaded) == []


def test_the_library_neutral_channel_code_loads_no_telegram_library() -> None:
    loaded = _loaded_after_importing(LIBRARY_NEUTRAL, below=True)
    assert "bot.channels.telegram.staff" in loaded  # every module below was imported
    assert sorted({"aiogram", "telegram"} & loaded) == []
    assert sorted(m for m in loaded if m.startswith("bot.channels.telegram_")) == []


@pytest.mark.parametrize(
    ("runtime", "library", "other"),
    [
        ("bot.channels.telegram_aiogram", "aiogram", "telegram"),
        ("bot.channels.telegram_ptb", "telegram", "aiogram"),
    ],
)
def test_each_telegram_runtime_loads_only_its_own_library(
    runtime: str, library: str, other: str
) -> None:
    loaded = _loaded_after_importing([runtime], below=True)
    assert library in loaded
    assert other not in loaded
    assert sorted(m for m in loaded if m.startswith("bot.channels.telegram_")) == [
        runtime,
        *sorted(m for m in loaded if m.startswith(runtime + ".")),
    ]


def test_no_channel_module_imports_storage(run_imports: list[tuple[str, str]]) -> None:
    found = [
        (importer, imported)
        for importer, imported in run_imports
        if importer.startswith("bot.channels.") and imported.startswith(STORAGE)
    ]
    assert found == []
    assert ("bot.channels.telegram.staff", "bot.handoff_service") in run_imports  # it records


def test_no_package_has_an_import_cycle(run_imports: list[tuple[str, str]]) -> None:
    """Within every package of ``bot``, its modules and subpackages import each other one
    way (import-linter's acyclic_siblings, as Python runs the imports)."""
    modules = {name for pair in run_imports for name in pair if name.startswith("bot.")}
    packages = {name.rsplit(".", 1)[0] for name in modules}
    cycles = []
    for package in sorted(packages):
        prefix = package + "."
        children: dict[str, set[str]] = {}
        for importer, imported in run_imports:
            if importer.startswith(prefix) and imported.startswith(prefix):
                a, b = (name[len(prefix) :].split(".")[0] for name in (importer, imported))
                if a != b:
                    children.setdefault(a, set()).add(b)
        try:
            graphlib.TopologicalSorter(children).prepare()
        except graphlib.CycleError as exc:
            cycles.append(f"{package}: {' → '.join(exc.args[1])}")
    assert cycles == []
    assert "bot.core" in packages  # the engine's modules were seen
