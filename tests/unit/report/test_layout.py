"""Issue 13, point 5: the funder report in German, protected once, printed three ways."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from stats_seed import NOVEMBER_FIGURES

from bot.i18n import Catalogs
from bot.report import FunderFigures, Names, Period, Report, build_report
from bot.report.render import as_lines, as_table, csv_rows, cut

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))

NOVEMBER_TABLE = """\
Lotse – Zahlen für Förderer
Zeitraum: 01.11.2026 bis 30.11.2026

Überblick
  Gespräche begonnen                             12
  Neue Personen (erster Kontakt)                  9
  Einwilligungen (Datenschutz)                    8
  Verweise an Orte                               16
  Übergaben an Mitarbeitende                      6
  davon beantwortet                               5
  Erste Antwort nach (Median)               30 Min.

Verweise nach Thema
  Brief vom Amt                                   7
  Wohnen                                         ≥5
  Schulden                                       <5

Verweise nach Ort
  KAISERS – Der Treffpunkt in der Südstadt       10
  Volkshochschule Hameln-Pyrmont                 ≥5
  Hamelner Tafel                                 <5

Verweise nach Stadtteil
  Südstadt                                        9
  Nordstadt                                      ≥5
  ohne Stadtteil                                 <5

Verweise nach Sprache
  Arabisch                                        8
  Ukrainisch                                     ≥5
  Deutsch                                        <5

„<5“ heißt 1 bis 4: Die genaue Zahl bleibt verdeckt, damit niemand erkannt werden kann.
„≥5“ ist auch verdeckt, sonst könnte man ein „<5“ ausrechnen. Den Median gibt es ab 5
beantworteten Übergaben."""


def report(texts: Catalogs, names: Names, figures: FunderFigures = NOVEMBER_FIGURES) -> Report:
    return build_report(figures, NOVEMBER, texts, names)


def values(report: Report, key: str) -> dict[str, str]:
    section = next(s for s in report.sections if s.key == key)
    return {row.label: row.text for row in section.rows}


def test_the_seeded_month_as_a_table(texts: Catalogs, names: Names) -> None:
    assert as_table(report(texts, names)) == NOVEMBER_TABLE


def test_small_figures_in_the_overview_are_few_and_zero_stays_zero(
    texts: Catalogs, names: Names
) -> None:
    small = FunderFigures(conversations=4, residents=1, consents=0, referrals=5)
    overview = values(report(texts, names, small), "overview")
    assert list(overview.values())[:4] == ["<5", "<5", "0", "5"]


def test_an_empty_month_prints_zeros_and_none(texts: Catalogs, names: Names) -> None:
    empty = report(texts, names, FunderFigures())
    assert values(empty, "overview") == {
        "Gespräche begonnen": "0",
        "Neue Personen (erster Kontakt)": "0",
        "Einwilligungen (Datenschutz)": "0",
        "Verweise an Orte": "0",
        "Übergaben an Mitarbeitende": "0",
        "davon beantwortet": "0",
        "Erste Antwort nach (Median)": "–",
    }
    for key in ("topic", "place", "quarter", "language"):
        assert values(empty, key) == {"keine": "0"}


class TestMedian:
    def test_hours_and_minutes(self, texts: Catalogs, names: Names) -> None:
        slow = replace(NOVEMBER_FIGURES, median_first_answer=timedelta(minutes=75, seconds=20))
        assert values(report(texts, names, slow), "overview")["Erste Antwort nach (Median)"] == (
            "1 Std. 15 Min."
        )

    def test_not_shown_for_fewer_than_five_answered_cases(
        self, texts: Catalogs, names: Names
    ) -> None:
        few = replace(NOVEMBER_FIGURES, answered=4)
        assert values(report(texts, names, few), "overview")["Erste Antwort nach (Median)"] == "–"


def test_unknown_ids_stay_readable(texts: Catalogs, names: Names) -> None:
    odd = FunderFigures(
        by_topic={None: 6, "weird": 7},
        by_place={"gone": 8},
        by_language={None: 9, "ku": 5},
    )
    built = report(texts, names, odd)
    assert values(built, "topic") == {"weird": "7", "ohne Thema": "6"}
    assert values(built, "place") == {"gone": "8"}
    assert values(built, "language") == {"Sprache unbekannt": "9", "Kurdisch": "5"}


def test_chat_lines_cut_long_breakdowns_and_labels(texts: Catalogs, names: Names) -> None:
    many = FunderFigures(by_place={f"p{i:02}": 10 + i for i in range(12)})
    lines = as_lines(
        report(texts, names, many), limit=10, label_width=12, more=lambda n: f"+{n} more"
    )
    places = lines[lines.index("Verweise nach Ort") + 1 :][:11]
    assert places[0] == "• p11: 21"
    assert places[-1] == "+2 more"
    assert "• Neue Person…: 0" in lines
    assert lines[-1].startswith("„<5“ heißt 1 bis 4")


def test_csv_rows_carry_the_period_on_every_row(texts: Catalogs, names: Names) -> None:
    rows = csv_rows(report(texts, names))
    assert rows[0] == ["Von", "Bis", "Bereich", "Eintrag", "Anzahl"]
    assert rows[1] == ["2026-11-01", "2026-11-30", "Überblick", "Gespräche begonnen", "12"]
    assert ["2026-11-01", "2026-11-30", "Verweise nach Ort", "Hamelner Tafel", "<5"] in rows
    assert len(rows) == 1 + 7 + 3 * 4


def test_cut() -> None:
    assert (cut("Südstadt", 8), cut("Südstadt", 5)) == ("Südstadt", "Süds…")
