"""What an upgrade would change: the locks against what the bounds in pyproject.toml allow now.

Installs use the locks (``requirements.lock``: the app and the ``dev`` extra;
``requirements-bench.lock``: also ``bench``), so a fresh clone gets the versions Lotse was
measured on. This script compiles the same dependencies without the pins into a temporary
file (``uv pip compile --upgrade``) and prints every package whose version would change,
marking major versions. The weekly workflow ``.github/workflows/upgrade-check.yml`` runs it.

    python bench/upgrade_check.py            # the table; exit 0
    python bench/upgrade_check.py --strict   # exit 1 when anything would change
    python bench/upgrade_check.py --write    # re-lock (x86_64 and aarch64 must agree)

Needs ``uv`` (``pip install uv``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = {"requirements.lock": ["dev"], "requirements-bench.lock": ["dev", "bench"]}
PLATFORMS = ("x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu")
PYTHON = "3.11"
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)")


def uv() -> str:
    """The uv executable: next to this interpreter, else on PATH."""
    here = Path(sys.executable).with_name("uv")
    found = str(here) if here.exists() else shutil.which("uv")
    if found is None:
        sys.exit("uv is needed: pip install uv")
    return found


def compile_lock(extras: list[str], out: Path, platform: str, *, upgrade: bool) -> None:
    """``uv pip compile`` pyproject.toml with ``extras`` into ``out``."""
    command = [uv(), "pip", "compile", "pyproject.toml", "--quiet", "--python-version", PYTHON]
    command += ["--python-platform", platform, "-o", str(out)]
    command += [arg for extra in extras for arg in ("--extra", extra)]
    if upgrade:
        command.append("--upgrade")
    subprocess.run(command, cwd=ROOT, check=True)


def pins(path: Path) -> dict[str, str]:
    """Package → version of a lock file."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line.strip()):
            found[match[1].lower().replace("_", "-")] = match[2]
    return found


def major(version: str) -> str:
    """The part whose change may break: the first number (the second for 0.x)."""
    parts = version.split(".")
    return ".".join(parts[:2]) if parts[0] == "0" and len(parts) > 1 else parts[0]


def changes(locked: dict[str, str], fresh: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(package, locked, fresh, kind) for every difference; kind is major, minor, new, gone."""
    rows = []
    for name in sorted(set(locked) | set(fresh)):
        old, new = locked.get(name, "-"), fresh.get(name, "-")
        if old == new:
            continue
        kind = "new" if old == "-" else "gone" if new == "-" else "update"
        if kind == "update":
            kind = "MAJOR" if major(old) != major(new) else "minor"
        rows.append((name, old, new, kind))
    return rows


def write_locks() -> None:
    """Re-lock every file; the two platforms must resolve alike (one lock serves both)."""
    with tempfile.TemporaryDirectory() as tmp:
        for lock, extras in LOCKS.items():
            target = ROOT / lock
            compile_lock(extras, target, PLATFORMS[0], upgrade=False)
            other = Path(tmp) / lock
            shutil.copy(target, other)
            compile_lock(extras, other, PLATFORMS[1], upgrade=False)
            if pins(target) != pins(other):
                sys.exit(f"{lock}: x86_64 and aarch64 resolve differently; keep two locks")
            print(f"{lock}: {len(pins(target))} packages, the same on x86_64 and aarch64")


def main(argv: list[str] | None = None) -> int:
    """Print what an upgrade would change (or re-lock with --write)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when anything changes")
    parser.add_argument("--write", action="store_true", help="re-lock instead of comparing")
    args = parser.parse_args(argv)
    if args.write:
        write_locks()
        return 0
    changed = False
    with tempfile.TemporaryDirectory() as tmp:
        for lock, extras in LOCKS.items():
            fresh = Path(tmp) / lock
            shutil.copy(ROOT / lock, fresh)
            compile_lock(extras, fresh, PLATFORMS[0], upgrade=True)
            rows = changes(pins(ROOT / lock), pins(fresh))
            print(f"{lock}: {len(rows) or 'no'} change(s) within the bounds of pyproject.toml")
            for name, old, new, kind in rows:
                print(f"  {name:<28} {old:>14} -> {new:<14} {kind}")
            changed = changed or bool(rows)
    if changed:
        print("\nTo take them: python bench/upgrade_check.py --write, then run every test.")
    return 1 if changed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
