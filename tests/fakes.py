"""Test doubles and builders shared by the unit tests: a tiny directory and test content."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.dialogue import EngineSettings
from bot.core.engine import Engine, Outcome
from bot.core.events import Button, Command, Event, Location, Start, Text, Unsupported
from bot.core.ports import (
    GeoPoint,
    OpeningStatus,
    PlaceInfo,
    PlaceMatch,
    PlaceQuery,
    QuarterInfo,
    Reason,
    StreetMatch,
)
from bot.core.replies import Ask, Reply
from bot.core.session import Session
from bot.flowspec import FlowSet, load_flows
from bot.i18n import Catalogs, Catalogue, Entry, load_catalogues
from bot.nlu import NluData, Reader

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)

TEST_TEXTS = {
    "t.hello": "Hallo Test",
    "t.menu": "Was brauchen Sie?",
    "t.letter": "Brief",
    "t.age": "Alter",
    "t.date": "Datum",
    "t.where": "Wo",
    "t.sub": "Unterflow",
    "t.person": "Mensch",
    "t.bye": "Tschüss",
    "t.office": "Welches Amt?",
    "t.jobcenter": "Jobcenter",
    "t.abh": "Ausländerbehörde",
    "t.after": "Und jetzt?",
    "t.menu_again": "Menü",
    "t.open_check": "Offen?",
    "t.open": "Ist offen",
    "t.closed": "Ist zu",
    "t.age_q": "Wie alt?",
    "t.age_ok": "Danke, {age} Jahre.",
    "t.date_q": "Welches Datum?",
    "t.date_bad": "Falsches Datum",
    "t.street_q": "Welche Straße?",
    "t.back_in_main": "Zurück im Hauptflow",
    "t.bye_text": "Auf Wiedersehen",
    "t.sub_q": "Unterfrage",
    "t.ok": "OK",
    "t.sub_done": "Unterflow fertig",
    "t.solo": "Nur Mensch",
}


class FakeDirectory:
    """Two places; the treff is open Monday to Friday 09:00–16:00, verified."""

    def __init__(self) -> None:
        self.treff = PlaceInfo(
            id="treff",
            name="Treff <Süd>",
            quarter="suedstadt",
            address="Kaiserstraße 80",
            phone="+49 5151 576122",
            location=GeoPoint(52.0950, 9.3700),
            languages=("de", "ar"),
            topics=("letters", "meeting"),
            verified=True,
        )
        self.office = PlaceInfo(
            id="office",
            name="Amt",
            quarter="altstadt",
            address="Rathausplatz 1",
            topics=("residence",),
        )

    def _status(self, at: datetime) -> OpeningStatus:
        opening = at.replace(hour=9, minute=0)
        if at.weekday() < 5 and 9 <= at.hour < 16:
            return OpeningStatus(
                known=True, open_now=True, closes_at=at.replace(hour=16, minute=0), verified=True
            )
        day = opening if at.hour < 9 else opening + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return OpeningStatus(known=True, next_open=day, verified=True)

    def find(self, query: PlaceQuery) -> Sequence[PlaceMatch]:
        places = [p for p in (self.treff, self.office) if query.topic in p.topics]
        return [
            PlaceMatch(p, self.status(p.id, query.at), (Reason("language", "ar"),)) for p in places
        ][: query.limit]

    def place(self, place_id: str) -> PlaceInfo | None:
        return {"treff": self.treff, "office": self.office}.get(place_id)

    def status(self, place_id: str, at: datetime) -> OpeningStatus:
        if place_id == "treff":
            return self._status(at)
        return OpeningStatus(known=False)

    def quarters(self) -> Sequence[QuarterInfo]:
        return [QuarterInfo("suedstadt", "Südstadt"), QuarterInfo("altstadt", "Altstadt")]

    def quarter_at(self, point: GeoPoint) -> str | None:
        return "suedstadt" if abs(point.lat - 52.095) < 0.05 else None

    @property
    def place_ids(self) -> Sequence[str]:
        return ("office", "treff")

    @property
    def topics(self) -> Sequence[str]:
        return ("letters", "meeting", "residence")

    def match_street(self, text: str) -> StreetMatch | None:
        if "kaiser" in text.lower():
            return StreetMatch("Kaiserstraße", "suedstadt", 0.95)
        return None


def load_test_flows() -> FlowSet:
    flows, issues = load_flows(sorted((DATA / "engine").glob("*.yaml")), DATA)
    assert not issues.errors, [str(i) for i in issues]
    return flows


def load_test_catalogs() -> Catalogs:
    """The real catalogues plus the test flows' German texts."""
    catalogues, _, _ = load_catalogues(sorted((ROOT / "locales").glob("*.yaml")), ROOT)
    de = catalogues["de"]
    entries = {**de.entries, **{k: Entry(v) for k, v in TEST_TEXTS.items()}}
    catalogues["de"] = replace(de, entries=entries)
    if "en" not in catalogues:
        catalogues["en"] = Catalogue("en", "English", "ltr", {"t.hello": Entry("Hello test")})
    return Catalogs(catalogues, ("de", "en"))


TEST_CUES = {"emergency": ("notfall", "sos", "gewalt"), "violence": ("schlagt mich",)}
"""Safety cues of the test content (the real ones are in nlu/)."""


def make_engine(
    *, languages: Sequence[str] = ("de", "en"), consent: bool = True, directory: object = None
) -> Engine:
    settings = EngineSettings(
        languages=tuple(languages), welcome_flow="welcome", require_consent=consent
    )
    return Engine(
        load_test_flows(),
        load_test_catalogs(),
        settings,
        directory=directory or FakeDirectory(),  # type: ignore[arg-type]
        understanding=Reader(NluData(cues=TEST_CUES)),
    )


class Conversation:
    """Drives the engine like a resident: events in, replies out, session kept."""

    def __init__(self, engine: Engine, *, at: datetime = MONDAY_10, hint: str | None = "de"):
        self.engine = engine
        self.session = Session(resident="test:1")
        self.at = at
        self.hint = hint
        self.outcome: Outcome | None = None

    def send(self, event: Event) -> list[Reply]:
        self.outcome = self.engine.handle(event, self.session)
        self.session = self.outcome.session
        return list(self.outcome.replies)

    def start(self, payload: str = "") -> list[Reply]:
        return self.send(Start(at=self.at, payload=payload, language_hint=self.hint))

    def text(self, text: str) -> list[Reply]:
        return self.send(Text(at=self.at, text=text, language_hint=self.hint))

    def command(self, name: str) -> list[Reply]:
        return self.send(Command(at=self.at, name=name, language_hint=self.hint))

    def location(self, lat: float, lon: float) -> list[Reply]:
        point = GeoPoint(lat, lon)
        return self.send(Location(at=self.at, point=point, language_hint=self.hint))

    def photo(self) -> list[Reply]:
        return self.send(Unsupported(at=self.at, kind="photo", language_hint=self.hint))

    def last_question(self) -> Ask:
        asks = [r for r in (self.outcome.replies if self.outcome else ()) if isinstance(r, Ask)]
        assert asks, "no question was asked"
        return asks[-1]

    def press(self, option: str, *, step: str | None = None) -> list[Reply]:
        step = step or self.last_question().step
        return self.send(Button(at=self.at, step=step, option=option, language_hint=self.hint))

    def ready(self) -> list[Reply]:
        """Start, choose German, agree: the main menu is on screen."""
        self.start()
        self.press("de")
        return self.press("agree")


def keys(replies: Sequence[Reply]) -> list[str]:
    """The catalogue keys of replies (or the reply type where there is none)."""
    return [getattr(r, "key", "") or type(r).__name__ for r in replies]
