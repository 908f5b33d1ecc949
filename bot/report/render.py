"""Plain-text outputs of a report: an aligned table, short lines for Telegram, CSV rows."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from bot.report.layout import Report

TABLE_LABEL_MAX = 60
RULE_WIDTH = 88


def as_table(report: Report) -> str:
    """The report as an aligned table for a terminal or a text file."""
    rows = [row for section in report.sections for row in section.rows]
    label_width = min(TABLE_LABEL_MAX, max(len(row.label) for row in rows))
    value_width = max(len(row.text) for row in rows)
    lines = [report.title, report.period_line]
    for section in report.sections:
        lines += ["", section.title]
        lines += [
            f"  {cut(row.label, label_width):<{label_width}}  {row.text:>{value_width}}"
            for row in section.rows
        ]
    lines.append("")
    lines += textwrap.wrap(report.rule, RULE_WIDTH)
    return "\n".join(lines)


def as_lines(
    report: Report, *, limit: int, label_width: int, more: Callable[[int], str]
) -> list[str]:
    """Short lines for a chat: each section's first ``limit`` rows, labels cut to fit a phone.

    Args:
        report: The report.
        limit: Rows per breakdown; the rest are counted in one line.
        label_width: Longest label, in characters.
        more: The line for the rows left out, given how many.

    Returns:
        Plain lines (to be escaped for HTML by the caller), without title and period.
    """
    lines: list[str] = []
    for section in report.sections:
        lines += ["", section.title]
        shown = section.rows if section.key == "overview" else section.rows[:limit]
        lines += [f"• {cut(row.label, label_width)}: {row.text}" for row in shown]
        if len(section.rows) > len(shown):
            lines.append(more(len(section.rows) - len(shown)))
    lines += ["", report.rule]
    return lines


def csv_rows(report: Report) -> list[list[str]]:
    """The report as CSV rows, a header first: from, to, area, entry, count."""
    start, end = report.period.start.isoformat(), report.period.end.isoformat()
    header: list[str] = list(report.columns)
    return [header] + [
        [start, end, section.title, row.label, row.text]
        for section in report.sections
        for row in section.rows
    ]


def cut(label: str, width: int) -> str:
    """Shorten a label to ``width`` characters, ending in "…" when cut."""
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"
