"""Line-by-line language detection for the command line.

``python -m bot.langid [--hint LANG]`` reads messages from standard input, one per line,
and prints one ISO 639-1 code per line (``und`` when nothing can be said or the
language is not offered).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from bot.core.ports import LanguageDetector
from bot.langid.detector import OFFERED_LANGUAGES, LanguageIdentifier

UNDETERMINED = "und"


def run(lines: Iterable[str], detector: LanguageDetector, hint: str | None) -> Iterator[str]:
    """Detect the language of each line.

    Args:
        lines: Messages, one per item; trailing newlines are ignored.
        detector: Any :class:`bot.core.ports.LanguageDetector`.
        hint: A Telegram ``language_code`` applied to every line, or None.

    Yields:
        One ISO 639-1 code per input line, ``und`` for empty or unknown lines.
    """
    for line in lines:
        found = detector.detect(line.rstrip("\r\n"), hint)
        yield found.language or UNDETERMINED


def main(argv: list[str] | None = None) -> int:
    """Read standard input, print one language code per line.

    Args:
        argv: Command-line arguments without the program name; None reads ``sys.argv``.

    Returns:
        The process exit code (0).
    """
    parser = argparse.ArgumentParser(
        prog="python -m bot.langid",
        description="Print the language of each line read from standard input.",
    )
    parser.add_argument("--hint", help="Telegram language_code, e.g. 'uk' or 'en-US'")
    parser.add_argument(
        "--offered",
        default=",".join(OFFERED_LANGUAGES),
        help="comma-separated ISO 639-1 codes to choose from (default: Lotse's languages)",
    )
    parser.add_argument(
        "--cache", type=Path, help="folder to map the model from (unpacked there on first use)"
    )
    args = parser.parse_args(argv)
    offered = [code for code in args.offered.split(",") if code.strip()]
    detector = LanguageIdentifier(offered, cache=args.cache)
    # Read bytes and decode as UTF-8 ourselves: under a C/POSIX locale sys.stdin may not be
    # UTF-8, and resident messages are rarely ASCII.
    lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline="")
    for code in run(lines, detector, args.hint):
        sys.stdout.write(code + "\n")
    sys.stdout.flush()
    return 0
