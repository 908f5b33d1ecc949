"""The line-by-line command: run() directly and ``python -m bot.langid`` as a process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.core.ports import Detection
from bot.langid.cli import run

REPO = Path(__file__).resolve().parents[3]

# A small labelled file: expected code, then the message ("" is an empty line).
LABELLED = [
    ("de", "Ich habe einen Brief vom Jobcenter bekommen"),
    ("en", "Where can I find a doctor who speaks English?"),
    ("uk", "Допоможіть, будь ласка, з листом"),
    ("ru", "Помогите, пожалуйста, с письмом"),
    ("bg", "Моля, помогнете ми с писмото"),
    ("ar", "أحتاج مساعدة في رسالة من الجوب سنتر"),
    ("fa", "برای نامه جاب سنتر به کمک نیاز دارم"),
    ("ps", "د جاب سنټر د لیک لپاره مرسته غواړم"),
    ("tr", "Jobcenter'dan gelen mektup için yardım lazım"),
    ("ku", "Ji bo nameya Jobcenterê alîkarî lazim e"),
    ("ro", "Am nevoie de ajutor cu scrisoarea de la Jobcenter"),
    ("pl", "Potrzebuję pomocy z listem z Jobcenter"),
    ("sq", "Më duhet ndihmë me letrën nga Jobcenter"),
    ("und", ""),
    ("und", "12:30 👍"),
]


class _Fixed:
    """A stand-in detector: proves run() only relies on the port."""

    def detect(self, text: str, hint: str | None = None) -> Detection:
        if not text:
            return Detection(None, 0.0, False)
        return Detection(hint or "xx", 1.0, True)


def test_run_yields_one_code_per_line() -> None:
    assert list(run(["a\n", "\n", "b\r\n"], _Fixed(), "de")) == ["de", "und", "de"]
    assert list(run([], _Fixed(), None)) == []


def _cli(stdin: str, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot.langid", *args],
        cwd=REPO,
        input=stdin.encode("utf-8"),
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode("ascii").splitlines()


def test_cli_on_a_labelled_file(tmp_path: Path) -> None:
    messages = tmp_path / "messages.txt"
    messages.write_text("".join(text + "\n" for _, text in LABELLED), encoding="utf-8")
    output = _cli(messages.read_text(encoding="utf-8"))
    assert output == [code for code, _ in LABELLED]


def test_cli_hint_decides_short_lines() -> None:
    assert _cli("hallo\nДа\n", "--hint", "ru") == ["ru", "ru"]
    assert _cli("hallo\nДа\n", "--hint", "bg-BG") == ["bg", "bg"]
    assert _cli("hallo\n") == ["de"]


def test_cli_restricts_to_offered() -> None:
    assert _cli("помогите\nhello there\n", "--offered", "de,en") == ["und", "en"]
