"""Issue 15, point 5: ``python -m bot places-review`` lists every fact of the cards with age
and confidence, oldest first, and ``last_verified`` marks them checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from test_cli import ROOT, run_bot

from bot.cli.places_review import review_lines
from bot.directory import load_directory

DATA = ROOT / "tests" / "unit" / "directory" / "data"
TODAY = dt.date(2026, 12, 7)


def test_facts_oldest_first_with_age_and_confidence() -> None:
    directory, _ = load_directory(
        [DATA / "quarters.yaml", DATA / "cards" / "places.yaml"], root=DATA
    )
    assert directory is not None
    lines = review_lines(directory, ["treff_mit_ort", "treff_ohne_telefon"], TODAY)
    assert lines[6:] == [
        "1. treff_ohne_telefon – Treff ohne Telefon",
        "   cards/places.yaml:42:5 · Telefon: nicht bekannt",
        " ! Stand 2016         10 Jahre   wahrscheinlich  Dolmetscher: können organisiert werden"
        "  [Testquelle 2016]",
        " ! Stand 2019         7 Jahre    wahrscheinlich  Ort besteht: Treff ohne Telefon",
        " ! Stand 2019         7 Jahre    wahrscheinlich  Adresse: Heinestraße 40, Hameln",
        " ! Stand 2019         7 Jahre    wahrscheinlich  E-Mail: treff@example.org",
        " ! Stand 2019         7 Jahre    wahrscheinlich  Sprachen: de, ar",
        "",
        "2. treff_mit_ort – Treff mit Koordinaten",
        "   cards/places.yaml:57:5 · Telefon: +49 5151 901",
        " ✓ geprüft 01.10.2026 2 Mon.     bestätigt       Ort besteht: Treff mit Koordinaten",
        " ✓ geprüft 01.10.2026 2 Mon.     bestätigt       Adresse: Kaiserstraße 3, 31785 Hameln",
        " ✓ geprüft 01.10.2026 2 Mon.     bestätigt       Telefon: +49 5151 901",
        " ✓ geprüft 01.10.2026 2 Mon.     bestätigt       Internetseite: https://example.org",
        " ✓ geprüft 01.10.2026 2 Mon.     bestätigt       Öffnungszeiten: mon, tue, wed, thu, fri"
        " 09:00-16:00",
        " ✓ geprüft 01.10.2026 2 Mon.     bestätigt       Sprachen: de, uk",
        "",
        "Zusammen: 2 Orte, 11 Angaben, davon 5 mit „Stand“ auf der Karte. Ohne „Stand“: 1 Ort.",
    ]


def test_offers_are_facts_of_their_own() -> None:
    directory, _ = load_directory(
        [DATA / "quarters.yaml", DATA / "cards" / "places.yaml"], root=DATA
    )
    assert directory is not None
    lines = review_lines(directory, ["beratung_angebote"], TODAY)
    offers = [line for line in lines if "Angebot:" in line]
    assert offers[0] == (
        " ! Stand 2022         4 Jahre    bestätigt       Angebot: Ukraine-Sprechstunde "
        "(tue 14:00-16:00; thu 14:00-17:00; ru, uk)  [Testquelle 2022]"
    )
    assert len(offers) == 3


def test_the_command_for_one_shipped_place() -> None:
    result = run_bot("places-review", "--today", "2026-12-07", "--place", "kaisers")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Angaben der Orte, die ältesten zuerst (heute: 07.12.2026)."
    assert "1. kaisers – KAISERS – Der Treffpunkt in der Südstadt" in lines
    phone = " ! Stand 2019         7 Jahre    wahrscheinlich  Telefon: +49 5151 576122  ["
    assert [line for line in lines if line.startswith(phone)] == [
        f"{phone}hameln-data.md:49 (Tel. 05151/57 61 22, 2019)]"
    ]


def test_bad_input_is_one_line_and_exit_1(tmp_path: Path) -> None:
    unknown = run_bot("places-review", "--place", "kaisrs")
    assert unknown.returncode == 1
    assert unknown.stdout.startswith("Den Ort »kaisrs« gibt es nicht. Orte: ")
    wrong_day = run_bot("places-review", "--today", "07.12.2026")
    assert wrong_day.returncode == 1
    assert wrong_day.stdout == (
        "--today '07.12.2026': bitte als JJJJ-MM-TT schreiben, zum Beispiel 2026-12-07.\n"
    )
    assert "Traceback" not in unknown.stderr + wrong_day.stderr
