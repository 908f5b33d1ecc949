"""Conversation tests as staff write them (``tests/conversations/*.yaml``), read into values.

A file is a list of tests; each test sets the resident's language, then lists steps. A step
is one thing the resident does (``tap``, ``type``, ``location``, ``command`` or ``wait``)
and, optionally, what Lotse must do then (``step``, ``flow``, ``says``, ``place``,
``handoff``, ``emergency``)::

    - test: Brief vom Jobcenter
      language: de
      steps:
        - tap: Brief vom Amt
          step: letters.which_office
        - tap: Jobcenter
          says: Widerspruch

Everything keeps its line, so every problem and every failure names ``file:line``. Problems
are German sentences for staff; a file is never rejected with a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.cli.flowtests.model import (
    ACTIONS,
    EXPECTATIONS,
    Action,
    ConversationTest,
    Expectation,
    Kind,
    Problem,
    Send,
    Share,
    Step,
    Tap,
    TestFile,
    Type,
    Wait,
    suggest,
)
from bot.core.events import COMMANDS
from bot.source import Document, Issue
from bot.source.yamlpos import Path as KeyPath
from bot.source.yamlpos import load_document

TEST_KEYS = ("test", "language", "language_code", "time", "steps")
EXPECTATIONS_WITHOUT_REPLY = ("step", "flow")
"""After ``wait`` Lotse says nothing, so only where the conversation stands can be checked."""

_UNITS = {
    timedelta(minutes=1): ("min", "minute", "minuten", "minutes", "m"),
    timedelta(hours=1): ("h", "std", "stunde", "stunden", "hour", "hours"),
    timedelta(days=1): ("d", "tag", "tage", "day", "days"),
    timedelta(weeks=1): ("w", "woche", "wochen", "week", "weeks"),
}
_UNIT = {name: size for size, names in _UNITS.items() for name in names}
_DURATION_PART = re.compile(r"(\d+)\s*([^\W\d_]+)")
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M")


def collect(paths: Sequence[Path], display: Path) -> list[TestFile]:
    """Read test files; a folder means every ``*.yaml`` file in it (sorted).

    Files are named relative to ``display`` where they lie inside it.
    """
    files: list[TestFile] = []
    for path in paths:
        if path.is_dir():
            found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            files.extend(read_file(file, _name(file, display)) for file in found)
        elif path.exists():
            files.append(read_file(path, _name(path, display)))
        else:
            name = _name(path, display)
            files.append(TestFile(name, problems=(Problem(name, 1, _NOT_FOUND),)))
    return files


_NOT_FOUND = "Datei oder Ordner nicht gefunden."


def _name(path: Path, display: Path) -> str:
    resolved = path.resolve()
    return str(resolved.relative_to(display)) if resolved.is_relative_to(display) else str(path)


def read_file(path: Path, name: str) -> TestFile:
    """Read one test file; every problem becomes a :class:`Problem`, never an exception."""
    doc = load_document(path, name)
    if doc.issues:
        return TestFile(name, problems=tuple(map(_yaml_problem, doc.issues)))
    if doc.data is None:
        return TestFile(name, problems=(Problem(name, 1, "Die Datei ist leer: keine Tests."),))
    if not isinstance(doc.data, list):
        message = "Eine Testdatei ist eine Liste von Tests; jeder Test beginnt mit »- test:«."
        return TestFile(name, problems=(Problem(name, 1, message),))
    tests = tuple(_Reader(doc, index).test() for index in range(len(doc.data)))
    return TestFile(name, tests=tests)


def _yaml_problem(issue: Issue) -> Problem:
    """The YAML reader's problem, told in German (PyYAML's own detail stays English)."""
    messages = {
        "Y001": "Datei nicht gefunden.",
        "Y002": "Datei nicht lesbar; bitte als UTF-8-Text speichern.",
        "Y101": "Ein Schlüssel steht hier zweimal; bitte einen entfernen oder umbenennen.",
    }
    detail = issue.message.removeprefix("YAML syntax error: ").removeprefix("YAML error: ")
    message = messages.get(
        issue.code,
        f"Die Datei ist kein gültiges YAML ({detail}). "
        "Bitte Einrückung, Doppelpunkte und Anführungszeichen hier prüfen.",
    )
    return Problem(issue.file, issue.line, message)


@dataclass
class _Reader:
    """Reads the test at ``index`` of a document, collecting problems instead of raising."""

    doc: Document
    index: int
    problems: list[Problem] = field(default_factory=list)

    def test(self) -> ConversationTest:
        path: KeyPath = (self.index,)
        raw = self.doc.data[self.index]
        if isinstance(raw, dict):
            self.unknown_keys(path, raw, TEST_KEYS)
            if "language" not in raw and "language_code" not in raw:
                self.problem(
                    path,
                    "Bitte »language« (die gewählte Sprache, z. B. de) oder »language_code« "
                    "(die Sprache des Telefons in Telegram, z. B. uk) angeben.",
                )
        else:
            self.problem(path, "Ein Test ist eine Gruppe von Angaben, beginnend mit »- test:«.")
            raw = {}
        name = self.text(path, raw, "test", required=bool(raw))
        language = self.text(path, raw, "language", required=False)
        code = self.text(path, raw, "language_code", required=False)
        time = self.time(path, raw)
        steps = self.steps(path, raw) if raw else ()
        return ConversationTest(
            file=self.doc.file,
            line=self.line(path),
            name=name or f"Test {self.index + 1}",
            language=language,
            language_line=self.line((*path, "language")),
            language_code=code,
            time=time,
            steps=steps,
            problems=tuple(self.problems),
        )

    def time(self, path: KeyPath, raw: dict[str, Any]) -> datetime | None:
        text = self.text(path, raw, "time", required=False)
        if text is None:
            return None
        for pattern in _TIME_FORMATS:
            try:
                return datetime.strptime(text, pattern)  # noqa: DTZ007 - local time of the config
            except ValueError:
                continue
        self.problem((*path, "time"), f"Zeit »{text}« nicht lesbar; Beispiel: 2026-11-24 10:00.")
        return None

    def steps(self, path: KeyPath, raw: dict[str, Any]) -> tuple[Step, ...]:
        items = raw.get("steps")
        where = (*path, "steps")
        if items is None:
            self.problem(path, "»steps« fehlt: die Liste, was die Person tut.")
            return ()
        if not isinstance(items, list) or not items:
            self.problem(where, "»steps« ist eine Liste mit mindestens einem Schritt (- tap: …).")
            return ()
        steps = (self.step((*where, i), item, i + 1) for i, item in enumerate(items))
        return tuple(step for step in steps if step is not None)

    def step(self, path: KeyPath, raw: Any, number: int) -> Step | None:
        if not isinstance(raw, dict):
            self.problem(path, f"Schritt {number}: bitte »- tap: …«, »- type: …« usw. schreiben.")
            return None
        self.unknown_keys(path, raw, (*ACTIONS, *EXPECTATIONS))
        actions = [key for key in ACTIONS if key in raw]
        if not actions:
            self.problem(
                path,
                f"Schritt {number}: keine Handlung. Bitte eines davon schreiben: "
                f"{', '.join(ACTIONS)}.",
            )
            return None
        if len(actions) > 1:
            self.problem(
                path,
                f"Schritt {number} hat mehrere Handlungen ({', '.join(actions)}); "
                "bitte auf mehrere Schritte verteilen.",
            )
            return None
        action = self.action(path, actions[0], raw[actions[0]])
        expectations = self.expectations(path, raw, waiting=actions[0] == "wait")
        if action is None:
            return None
        return Step(number, self.line(path), action, expectations)

    def action(self, path: KeyPath, kind: str, value: Any) -> Action | None:
        where = (*path, kind)
        if kind == "location":
            return self.location(where, value)
        text = _scalar_text(value)
        if not text:
            self.problem(where, f"»{kind}« braucht einen Text.")
            return None
        if kind == "tap":
            return Tap(text)
        if kind == "type":
            return Type(text)
        if kind == "wait":
            return self.wait(where, text)
        return self.command(where, text)

    def location(self, where: KeyPath, value: Any) -> Share | None:
        lat: Any
        lon: Any
        if isinstance(value, dict) and set(value) == {"lat", "lon"}:
            lat, lon = value["lat"], value["lon"]
        elif isinstance(value, str) and value.count(",") == 1:
            lat, lon = (part.strip() for part in value.split(","))
        else:
            lat = lon = None
        try:
            point = Share(float(lat), float(lon))
        except (TypeError, ValueError):
            point = None
        if point is None or not (-90 <= point.lat <= 90 and -180 <= point.lon <= 180):
            self.problem(where, "Standort bitte als »Breite, Länge« schreiben: 52.1036, 9.3563.")
            return None
        return point

    def wait(self, where: KeyPath, text: str) -> Wait | None:
        parts = _DURATION_PART.findall(text.lower())
        leftover = _DURATION_PART.sub("", text.lower()).replace("und", "").strip(" ,")
        units = [_UNIT.get(unit) for _, unit in parts]
        if not parts or leftover or None in units:
            self.problem(
                where, f"Dauer »{text}« nicht lesbar; Beispiele: 30 Minuten, 2 Stunden, 1 Tag."
            )
            return None
        duration = sum(
            (int(count) * unit for (count, _), unit in zip(parts, units, strict=True) if unit),
            timedelta(),
        )
        if not duration:
            self.problem(where, "Die Dauer muss länger als 0 sein.")
            return None
        return Wait(duration, text)

    def command(self, where: KeyPath, text: str) -> Send | None:
        name, _, argument = text.removeprefix("/").partition(" ")
        name = name.lower()
        if name not in COMMANDS:
            known = ", ".join(f"/{c}" for c in COMMANDS)
            self.problem(
                where,
                f"Den Befehl »/{name}« kennt Lotse nicht.{suggest(name, COMMANDS, '/')} "
                f"Lotse kennt: {known}.",
            )
            return None
        return Send(name, argument.strip())

    def expectations(
        self, path: KeyPath, raw: dict[str, Any], *, waiting: bool
    ) -> tuple[Expectation, ...]:
        found: list[Expectation] = []
        for kind in EXPECTATIONS:
            if kind not in raw:
                continue
            where = (*path, kind)
            if waiting and kind not in EXPECTATIONS_WITHOUT_REPLY:
                self.problem(
                    where,
                    f"Nach »wait« antwortet Lotse nicht; »{kind}« bitte beim nächsten "
                    "Schritt prüfen.",
                )
                continue
            found.extend(self.expectation(where, kind, raw[kind]))
        return tuple(found)

    def expectation(self, where: KeyPath, kind: Kind, value: Any) -> Iterable[Expectation]:
        if isinstance(value, bool) and kind in ("handoff", "emergency"):
            return [Expectation(kind, value, self.line(where))]
        if kind == "emergency":
            self.problem(where, "»emergency« ist true (ja) oder false (nein).")
            return []
        items = value if isinstance(value, list) and kind in ("says", "place") else [value]
        if not items:
            self.problem(where, f"»{kind}« braucht einen Text.")
        found = []
        for i, item in enumerate(items):
            item_path = (*where, i) if isinstance(value, list) else where
            text = _scalar_text(item)
            if not text:
                self.problem(item_path, f"»{kind}« braucht einen Text.")
            elif kind == "step" and "." not in text and not text.startswith("_"):
                self.problem(
                    item_path,
                    f"Schritt »{text}« bitte als Ablauf.Schritt schreiben, "
                    "z. B. letters.which_office (oder nur den Ablauf mit »flow:«).",
                )
            else:
                found.append(Expectation(kind, text, self.line(item_path)))
        return found

    def text(
        self, path: KeyPath, raw: dict[str, Any], key: str, *, required: bool = True
    ) -> str | None:
        if key not in raw:
            if required:
                self.problem(path, f"»{key}« fehlt.")
            return None
        text = _scalar_text(raw[key])
        if not text:
            self.problem((*path, key), f"»{key}« braucht einen Text.")
            return None
        return text

    def unknown_keys(self, path: KeyPath, raw: dict[str, Any], allowed: Sequence[str]) -> None:
        for key in raw:
            if key not in allowed:
                hint = suggest(str(key), allowed) or f" Erlaubt: {', '.join(allowed)}."
                self.problem((*path, key), f"Unbekannte Angabe »{key}«.{hint}")

    def line(self, path: KeyPath) -> int:
        return self.doc.where(path)[0]

    def problem(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.doc.file, self.line(path), message))


def _scalar_text(value: Any) -> str:
    """A text, number or date-like scalar as text; "" for lists, mappings and nothing."""
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        return ""
    return str(value).strip()
