"""``python -m bot stats``: figures for funders from the anonymous statistics, in German.

The same report as the staff command ``/stats`` (bot/report), printed as a table, as CSV
(semicolons, for German spreadsheets) or drawn as a 16:9 PNG slide.
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli import EXIT_ERROR, EXIT_OK
from bot.cli.chart import write_chart
from bot.cli.data import with_database
from bot.config import Settings
from bot.directory import load_directory
from bot.i18n import Catalogs, load_catalogues
from bot.report import Names, PeriodError, Report, build_report, parse_period
from bot.report.layout import PREFIX
from bot.report.render import as_table, csv_rows
from bot.storage import Database


def stats(
    settings: Settings, start: str | None, end: str | None, output_format: str, output: Path | None
) -> int:
    """Print or write the funder report for ``--from``/``--to`` (default: the last 30 days)."""
    texts = _german_texts(settings)
    if texts is None:
        return EXIT_ERROR
    zone = ZoneInfo(settings.timezone)
    try:
        period = parse_period(start, end, datetime.now(zone).date())
    except PeriodError as exc:
        print(f"Fehler: {texts.text('de', PREFIX + exc.key, **exc.params)}", file=sys.stderr)
        return EXIT_ERROR
    directory, _ = load_directory(settings.path(settings.paths.places))
    names = Names.of(directory)

    async def report_on(db: Database) -> int:
        async with db.unit() as unit:
            figures = await unit.funder_figures(*period.bounds(zone))
        report = build_report(figures, period, texts, names)
        return _write(report, output_format, output, texts)

    return with_database(settings, report_on)


def _german_texts(settings: Settings) -> Catalogs | None:
    """The German catalogue only: every text of the report is German."""
    path = settings.path(settings.paths.locales) / "de.yaml"
    catalogues, _, issues = load_catalogues([path], settings.base_dir)
    for issue in issues.errors:
        print(issue, file=sys.stderr)
    if "de" not in catalogues or issues.errors:
        print(f"Fehler: {path} fehlt oder ist kaputt (python -m bot validate)", file=sys.stderr)
        return None
    return Catalogs(catalogues, ("de",))


def _write(report: Report, output_format: str, output: Path | None, texts: Catalogs) -> int:
    path: Path | None
    try:
        if output_format == "png":
            path = _png(report, output, texts)
        elif output_format == "csv":
            path = _save(_csv(report), output, encoding="utf-8-sig")  # Excel reads the umlauts
        else:
            path = _save(as_table(report) + "\n", output, encoding="utf-8")
    except ImportError as exc:  # an install from an older lock file, without matplotlib
        print(f"Fehler: Für --format png fehlt {exc.name} (pip install -e .)", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(
            f"Fehler: {exc.filename or output} lässt sich nicht schreiben: {exc.strerror}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    if path is not None:
        print(f"Geschrieben: {path}")
    return EXIT_OK


def _png(report: Report, output: Path | None, texts: Catalogs) -> Path:
    start, end = report.period.start.isoformat(), report.period.end.isoformat()
    path = output or Path(f"statistik_{start}_{end}.png")
    write_chart(report, path, more=lambda left: texts.text("de", PREFIX + "more", count=left))
    return path


def _csv(report: Report) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(csv_rows(report))
    return buffer.getvalue()


def _save(text: str, output: Path | None, *, encoding: str) -> Path | None:
    """Write ``text`` to ``output``, or print it when there is none."""
    if output is None:
        sys.stdout.write(text)
        return None
    output.write_text(text, encoding=encoding)
    return output
