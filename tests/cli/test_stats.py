"""Issue 13, point 5: ``python -m bot stats`` as staff run it: real processes, a real
seeded SQLite file, German output, and one line with exit 1 for bad input."""

from __future__ import annotations

import csv
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from stats_seed import NOVEMBER, seed
from test_cli import run_bot

from bot.storage import open_database

MONTH = ("--from", NOVEMBER[0], "--to", NOVEMBER[1])


@pytest.fixture
def db_env(tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/stats.db"}


@pytest.fixture
async def seeded(db_env: dict[str, str]) -> dict[str, str]:
    """The environment of a database holding the seeded November log."""
    db = await open_database(db_env["DATABASE_URL"])
    await seed(db)
    await db.close()
    return db_env


def test_the_table_of_a_month(seeded: dict[str, str]) -> None:
    result = run_bot("stats", *MONTH, env=seeded)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Lotse – Zahlen für Förderer", "Zeitraum: 01.11.2026 bis 30.11.2026"]
    for expected in (
        "  Gespräche begonnen                             12",
        "  Erste Antwort nach (Median)               30 Min.",
        "  Schulden                                       <5",
        "  Volkshochschule Hameln-Pyrmont                 ≥5",
    ):
        assert expected in lines


def test_csv_for_a_spreadsheet(seeded: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "november.csv"
    result = run_bot("stats", *MONTH, "--format", "csv", "-o", str(out), env=seeded)
    assert (result.returncode, result.stdout) == (0, f"Geschrieben: {out}\n"), result.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # so Excel reads the umlauts
    with out.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert rows[0] == ["Von", "Bis", "Bereich", "Eintrag", "Anzahl"]
    assert ["2026-11-01", "2026-11-30", "Überblick", "Verweise an Orte", "16"] in rows
    assert ["2026-11-01", "2026-11-30", "Verweise nach Thema", "Schulden", "<5"] in rows
    assert ["2026-11-01", "2026-11-30", "Verweise nach Sprache", "Ukrainisch", "≥5"] in rows


def test_a_png_slide(seeded: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "november.png"
    result = run_bot("stats", *MONTH, "--format", "png", "-o", str(out), env=seeded)
    assert (result.returncode, result.stdout) == (0, f"Geschrieben: {out}\n"), result.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (2000, 1125)
    assert width * 9 == height * 16


def test_an_empty_database_prints_zeros(db_env: dict[str, str]) -> None:
    result = run_bot("stats", "--format", "csv", env=db_env)
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(result.stdout.splitlines(), delimiter=";"))
    assert not result.stdout.startswith("\ufeff")
    assert {row[4] for row in rows[1:]} == {"0", "–"}
    assert [row[3] for row in rows if row[2] == "Verweise nach Ort"] == ["keine"]


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (
            ("--from", "2026-11-31"),
            "Fehler: Das Datum „2026-11-31“ verstehe ich nicht. Bitte so schreiben: "
            "2026-03-31 (Jahr-Monat-Tag).",
        ),
        (
            ("--from", "2026-12-01", "--to", "2026-11-01"),
            "Fehler: Der Anfang (2026-12-01) liegt nach dem Ende (2026-11-01). "
            "Bitte andersherum angeben.",
        ),
    ],
)
def test_bad_dates_give_one_german_line_and_exit_1(
    db_env: dict[str, str], dates: tuple[str, ...], message: str
) -> None:
    result = run_bot("stats", *dates, env=db_env)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message + "\n")


def test_a_file_that_cannot_be_written(db_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "missing" / "x.csv"
    result = run_bot("stats", "--format", "csv", "-o", str(out), env=db_env)
    assert result.returncode == 1
    assert result.stderr == (
        f"Fehler: {out} lässt sich nicht schreiben: No such file or directory\n"
    )


def test_only_the_png_imports_matplotlib() -> None:
    code = (
        "import sys, bot.cli.stats, bot.channels.telegram.admin\n"
        "print('matplotlib' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout == "False\n", result.stderr
