"""The report as one 16:9 slide (PNG): key figures on the left, the four breakdowns as bars.

matplotlib is imported inside :func:`write_chart`, so no other command pays for it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from bot.report import Report, Section
from bot.report.protect import THRESHOLD
from bot.report.render import cut

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SLIDE_INCHES = (16, 9)
"""A 16:9 slide; at 125 dpi 2000 × 1125 pixels."""
DPI = 125
BARS = 8
"""Rows per breakdown on the slide; the table and the CSV have them all."""
LABEL_WIDTH = 26
ACCENT, HIDDEN_FILL, HIDDEN_EDGE = "#1f5f8b", "#d9dee3", "#9aa5b1"
INK, MUTED = "#1b1b1b", "#5f6b76"
FONT = "DejaVu Sans"
"""Shipped with matplotlib: the same look on every machine, umlauts and „“ included."""
PANELS = ((0.32, 0.52), (0.66, 0.52), (0.32, 0.12), (0.66, 0.12))
"""Where each breakdown starts (its labels' left edge) and its bars' bottom, in figure units."""
LABELS, BAR_AREA, PANEL_HEIGHT = 0.15, 0.15, 0.28


def write_chart(report: Report, path: Path, *, more: Callable[[int], str]) -> None:
    """Draw the report on one slide and save it as PNG.

    Args:
        report: The protected report; hidden cells are drawn as hatched bars up to 5.
        path: Where to write the PNG.
        more: The note under a breakdown cut to :data:`BARS` rows, given how many are left.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415

    figure = Figure(figsize=SLIDE_INCHES, dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    _text(figure, 0.03, 0.925, report.title, size=30, weight="bold")
    _text(figure, 0.03, 0.875, report.period_line, size=18, color=MUTED)
    overview, *breakdowns = report.sections
    _key_figures(figure, overview)
    for (left, bottom), section in zip(PANELS, breakdowns, strict=True):
        _text(figure, left, bottom + PANEL_HEIGHT + 0.02, section.title, size=16, weight="bold")
        if all(row.count == 0 for row in section.rows):  # "keine"
            _text(figure, left, bottom + PANEL_HEIGHT - 0.03, section.rows[0].label, size=14)
            continue
        _bars(figure.add_axes((left + LABELS, bottom, BAR_AREA, PANEL_HEIGHT)), section)
        if len(section.rows) > BARS:
            note = more(len(section.rows) - BARS)
            _text(figure, left, bottom - 0.025, note, size=12, color=MUTED, va="top")
    footnote = "\n".join(textwrap.wrap(report.rule, 150))
    _text(figure, 0.03, 0.025, footnote, size=11, color=MUTED, va="bottom")
    figure.savefig(path, format="png", dpi=DPI)


def _text(
    figure: Figure,
    x: float,
    y: float,
    text: str,
    *,
    size: float,
    color: str = INK,
    weight: str = "normal",
    va: str = "baseline",
) -> None:
    figure.text(x, y, text, fontfamily=FONT, fontsize=size, color=color, fontweight=weight, va=va)


def _key_figures(figure: Figure, overview: Section) -> None:
    """The overview as big numbers with their label underneath, in two columns."""
    for index, row in enumerate(overview.rows):
        x = 0.03 + (index % 2) * 0.135
        y = 0.74 - (index // 2) * 0.17
        _text(figure, x, y, row.text, size=34, weight="bold", color=ACCENT)
        _text(figure, x, y - 0.03, "\n".join(textwrap.wrap(row.label, 16)), size=14, va="top")


def _bars(axes: Axes, section: Section) -> None:
    """One breakdown as horizontal bars, the largest on top; hidden cells hatched up to 5."""
    rows = section.rows[:BARS]
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.set_xticks([])
    axes.set_ylim(-0.6, BARS - 0.4)
    positions = [BARS - 1 - index for index in range(len(rows))]  # top-aligned in every panel
    widths = [row.count if row.count is not None else THRESHOLD for row in rows]
    bars = axes.barh(positions, widths, height=0.7, color=ACCENT)
    for bar, row in zip(bars, rows, strict=True):
        if row.count is None:
            bar.set_facecolor(HIDDEN_FILL)
            bar.set_edgecolor(HIDDEN_EDGE)
            bar.set_hatch("///")
    top = max(widths)
    axes.set_xlim(0, top * 1.2)
    for position, width, row in zip(positions, widths, rows, strict=True):
        axes.text(width + top * 0.02, position, row.text, va="center", fontsize=14, family=FONT)
    axes.set_yticks(positions, [cut(row.label, LABEL_WIDTH) for row in rows])
    axes.tick_params(axis="y", length=0, labelsize=12)
