"""The report: the figures of a period labelled in German and protected by the "<5" rule.

Built once, printed by every output (table, csv, png, ``/stats``), so they all show the
same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from bot.core.ports import Directory
from bot.handoff.staff_texts import topic_name
from bot.handoff.translation import STAFF_LANGUAGE
from bot.i18n import Catalogs
from bot.i18n.catalog import language_name
from bot.report.figures import FunderFigures
from bot.report.period import Period
from bot.report.protect import FEW, HIDDEN, THRESHOLD, Cell, protect, shown

K = TypeVar("K", str, str | None)
PREFIX = "admin.report."
"""The German texts of the report (``locales/de.yaml``, German only like every staff text)."""


@dataclass(frozen=True)
class Row:
    """One line: a label and what is shown; ``count`` only when the number is exact."""

    label: str
    text: str
    count: int | None


@dataclass(frozen=True)
class Section:
    """A titled group of rows: the overview, or one breakdown of the referrals."""

    key: str
    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Report:
    """Everything an output prints, already in German and already protected."""

    period: Period
    title: str
    period_line: str
    sections: tuple[Section, ...]
    rule: str
    """What "<5" and "≥5" mean, for a footnote."""
    columns: tuple[str, ...]
    """CSV column names: from, to, area, entry, count."""


@dataclass(frozen=True)
class Names:
    """German names of place and quarter ids; an id without a name is shown as it is."""

    places: Mapping[str, str] = field(default_factory=dict)
    quarters: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, directory: Directory | None) -> Names:
        """The names a directory knows (none without a directory)."""
        if directory is None:
            return cls()
        places = {
            place_id: info.name
            for place_id in directory.place_ids
            if (info := directory.place(place_id)) is not None
        }
        return cls(places, {quarter.id: quarter.name for quarter in directory.quarters()})


def build_report(figures: FunderFigures, period: Period, texts: Catalogs, names: Names) -> Report:
    """Label the figures in German and apply the "<5" rule once, for every output.

    Args:
        figures: The exact counts of the period.
        period: The period they cover.
        texts: The catalogues; the German ``admin.report.*`` texts are used.
        names: German names of places and quarters.

    Returns:
        The report: the overview, then referrals by topic, place, quarter and language.
    """

    def text(key: str, **params: object) -> str:
        return texts.text(STAFF_LANGUAGE, PREFIX + key, **params)

    def topic(key: str | None) -> str:
        return topic_name(texts, key)

    def place(key: str) -> str:
        return names.places.get(key, key)

    def quarter(key: str | None) -> str:
        return names.quarters.get(key, key) if key else text("no_quarter")

    def language(key: str | None) -> str:
        return language_name(key, STAFF_LANGUAGE) if key else text("no_language")

    overview = Section(
        "overview",
        text("overview"),
        (
            _row(text("conversations"), shown(figures.conversations)),
            _row(text("residents"), shown(figures.residents)),
            _row(text("consents"), shown(figures.consents)),
            _row(text("referrals"), shown(figures.referrals)),
            _row(text("handoffs"), shown(figures.handoffs)),
            _row(text("answered"), shown(figures.answered)),
            Row(text("first_answer"), _median(figures, text), None),
        ),
    )
    none = (Row(text("none"), "0", 0),)
    sections = (
        overview,
        Section("topic", text("by_topic"), _breakdown(figures.by_topic, topic) or none),
        Section("place", text("by_place"), _breakdown(figures.by_place, place) or none),
        Section("quarter", text("by_quarter"), _breakdown(figures.by_quarter, quarter) or none),
        Section(
            "language", text("by_language"), _breakdown(figures.by_language, language) or none
        ),
    )
    start, end = (day.strftime("%d.%m.%Y") for day in (period.start, period.end))
    return Report(
        period=period,
        title=text("title"),
        period_line=text("period", start=start, end=end),
        sections=sections,
        rule=text("rule"),
        columns=tuple(text(name) for name in ("from", "to", "area", "entry", "count")),
    )


def _row(label: str, cell: Cell) -> Row:
    return Row(label, cell.text, cell.count)


def _breakdown(counts: Mapping[K, int], label: Callable[[K], str]) -> tuple[Row, ...]:
    """Rows of one breakdown: exact counts largest first, then "≥5", then "<5" by name.

    Hidden cells are not ordered by their true size, which would tell it.
    """
    rows = [_row(label(key), cell) for key, cell in protect(counts).items()]
    order = {HIDDEN: 1, FEW: 2}
    return tuple(sorted(rows, key=lambda r: (order.get(r.text, 0), -(r.count or 0), r.label)))


def _median(figures: FunderFigures, text: Callable[..., str]) -> str:
    median = figures.median_first_answer
    if median is None or figures.answered < THRESHOLD:
        return text("no_median")
    minutes = round(median.total_seconds() / 60)
    if minutes < 60:
        return text("minutes", minutes=minutes)
    return text("hours", hours=minutes // 60, minutes=minutes % 60)
