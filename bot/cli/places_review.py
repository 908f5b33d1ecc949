"""``python -m bot places-review``: every fact a place card shows, the oldest first, for staff
to call the places, confirm the facts and enter ``last_verified``."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.cli import EXIT_ERROR, EXIT_OK
from bot.config import Settings
from bot.core.ports import FRESH_YEARS, Dating
from bot.directory import PlaceDirectory, load_directory
from bot.directory.facts import FACT_LABELS, ReviewFact, review_facts
from bot.source import Severity

CONFIDENCE_WORDS = {
    "confirmed": "bestätigt",
    "probable": "wahrscheinlich",
    "unconfirmed": "unsicher",
}


def places_review(settings: Settings, today_text: str | None, place_id: str | None) -> int:
    """Print the facts of every place (or of one), oldest first; exit 1 on broken files."""
    try:
        today = (
            dt.date.fromisoformat(today_text)
            if today_text
            else dt.datetime.now(ZoneInfo(settings.timezone)).date()
        )
    except ValueError:
        print(f"--today {today_text!r}: bitte als JJJJ-MM-TT schreiben, zum Beispiel 2026-12-07.")
        return EXIT_ERROR
    directory, issues = load_directory(settings.path(settings.paths.places), settings.base_dir)
    errors = [issue for issue in issues if issue.severity is Severity.ERROR]
    if directory is None or errors:
        print("Die Orte-Dateien haben Fehler. Bitte zuerst beheben (python -m bot validate):")
        print("\n".join(str(issue) for issue in errors))
        return EXIT_ERROR
    ids = list(directory.place_ids)
    if place_id is not None and place_id not in ids:
        print(f"Den Ort »{place_id}« gibt es nicht. Orte: {', '.join(ids)}")
        return EXIT_ERROR
    chosen = [place_id] if place_id else ids
    print("\n".join(review_lines(directory, chosen, today)))
    return EXIT_OK


def review_lines(directory: PlaceDirectory, place_ids: list[str], today: dt.date) -> list[str]:
    """The review as lines: a legend, one block per place (oldest first), a summary."""
    facts = {pid: _oldest_first(_facts(directory, pid)) for pid in place_ids}
    order = sorted(place_ids, key=lambda pid: (_age_key(facts[pid][0].dating), pid))
    lines = [
        f"Angaben der Orte, die ältesten zuerst (heute: {today:%d.%m.%Y}).",
        f"! = auf der Karte steht „Stand JAHR“ (älter als {FRESH_YEARS} Jahre, nicht bestätigt "
        "oder ohne Datum)",
        "✓ = geprüft. So geht es: die Stelle anrufen, jede Angabe bestätigen oder korrigieren,",
        '    dann "last_verified: JJJJ-MM-TT" eintragen: beim Ort unter provenance, bei einem',
        "    Angebot beim Angebot. Die Karte sagt dann nicht mehr „Bitte vorher …“.",
    ]
    for number, pid in enumerate(order, 1):
        record = directory.record(pid)
        phone = record.phone if record else None
        lines += [
            "",
            f"{number}. {pid} – {record.name if record else pid}",
            f"   {directory.origin(pid) or '?'} · Telefon: {phone or 'nicht bekannt'}",
        ]
        lines += [_fact_line(fact, today) for fact in facts[pid]]
    every = [fact for pid in place_ids for fact in facts[pid]]
    stale = sum(fact.dating.stale(today) for fact in every)
    done = sum(all(not f.dating.stale(today) for f in facts[pid]) for pid in place_ids)
    lines += [
        "",
        f"Zusammen: {_places(len(place_ids))}, {len(every)} Angaben, davon {stale} mit "
        f"„Stand“ auf der Karte. Ohne „Stand“: {_places(done)}.",
    ]
    return lines


def _places(count: int) -> str:
    return "1 Ort" if count == 1 else f"{count} Orte"


def _facts(directory: PlaceDirectory, place_id: str) -> list[ReviewFact]:
    record = directory.record(place_id)
    return review_facts(record) if record else []


def _oldest_first(facts: list[ReviewFact]) -> list[ReviewFact]:
    return sorted(facts, key=lambda fact: _age_key(fact.dating))


def _age_key(dating: Dating) -> dt.date:
    # Unknown age counts as the oldest: those facts need a call most.
    return dating.latest or dt.date.min


def _fact_line(fact: ReviewFact, today: dt.date) -> str:
    dating = fact.dating
    mark = "✓" if dating.checked(today) else "!" if dating.stale(today) else " "
    if dating.checked(today) and dating.verified is not None:
        when = f"geprüft {dating.verified:%d.%m.%Y}"
    else:
        when = f"Stand {dating.latest.year}" if dating.latest else "Stand ?"
    age = _age(dating.latest, today)
    sure = CONFIDENCE_WORDS.get(dating.confidence, dating.confidence)
    source = f"  [{fact.source}]" if fact.source else ""
    label = FACT_LABELS.get(fact.name, fact.name)
    return f" {mark} {when:<19}{age:<11}{sure:<16}{label}: {fact.value}{source}"


def _age(day: dt.date | None, today: dt.date) -> str:
    if day is None:
        return "Alter ?"
    months = (today.year - day.year) * 12 + today.month - day.month - (today.day < day.day)
    if months >= 12:
        years = months // 12
        return f"{years} Jahr" if years == 1 else f"{years} Jahre"
    return f"{max(months, 0)} Mon."
