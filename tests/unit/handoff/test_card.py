"""The forum topic title and the case card staff see, as exact strings."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from bot.core.ports import OpeningStatus
from bot.directory import PlaceDirectory
from bot.handoff import cases as machine
from bot.handoff.card import (
    answer_text,
    case_card,
    opening_phrase,
    topic_title,
    translated_block,
)
from bot.handoff.cases import Case, CaseRequest, ResidentKey
from bot.i18n import Catalogs, Catalogue, Entry

from .conftest import BERLIN, MONDAY_10, SATURDAY_18

HELP = (
    "<i>Antworten Sie einfach hier im Thema. Befehle: /close · /transfer &lt;Ort&gt; · "
    "/note &lt;Text&gt; · /template &lt;Name&gt;</i>"
)

# Button labels as the flows have them; fixed here so the strings below stay exact.
LABELS = {
    "welcome.opt_letter": "✉️ Brief vom Amt",
    "letters.opt_jobcenter": "🏢 Jobcenter",
    "letters.opt_deadline_soon": "⏰ Ja, bald",
    "health.opt_doctor": "🩺 Arzt finden",
    "common.opt_person": "💬 Mit Mensch schreiben",
}


@pytest.fixture(scope="module")
def labels(staff_entries: dict[str, Entry]) -> Catalogs:
    """German only: the staff texts of locales/de.yaml and the fixed button labels."""
    entries = {**staff_entries, **{key: Entry(text) for key, text in LABELS.items()}}
    return Catalogs({"de": Catalogue("de", "Deutsch", "ltr", entries)}, ("de",))


def _case(**changes: object) -> Case:
    request = CaseRequest(
        resident=ResidentKey("telegram", "42"),
        language="ar",
        quarter="suedstadt",
        topic="letters",
        place_id="kaisers",
        staff_chat_id=-1001,
        answers=(
            ("deadline", "soon"),
            ("need", "letter"),
            ("office", "jobcenter"),
            ("quarter", "suedstadt"),
            ("quarter_asked", "yes"),
            ("street", "Kaiserstraße"),
            ("topic", "letters"),
        ),
    )
    case = machine.new_case(request, case_id=1, number="2026-0042", now=MONDAY_10)
    return replace(case, **changes)  # type: ignore[arg-type]


class TestTopicTitle:
    def test_number_language_quarter_and_topic(
        self, directory: PlaceDirectory, labels: Catalogs
    ) -> None:
        assert topic_title(_case(), directory, texts=labels) == (
            "#2026-0042 · AR · Südstadt · Brief vom Amt"
        )

    def test_unknown_parts_are_left_out_or_named(
        self, directory: PlaceDirectory, labels: Catalogs
    ) -> None:
        assert topic_title(_case(quarter=None, topic=None), directory, texts=labels) == (
            "#2026-0042 · AR · ohne Thema"
        )
        assert topic_title(
            _case(quarter="elsewhere", topic="sailing"), directory, texts=labels
        ) == ("#2026-0042 · AR · elsewhere · sailing")

    def test_at_most_128_characters(self, directory: PlaceDirectory, labels: Catalogs) -> None:
        title = topic_title(_case(topic="x" * 200), directory, texts=labels)
        assert len(title) == 128
        assert title.startswith("#2026-0042 · AR · Südstadt · xxx")
        assert title.endswith("x…")


class TestCard:
    def test_the_whole_card(self, directory: PlaceDirectory, labels: Catalogs) -> None:
        card = case_card(
            _case(),
            directory=directory,
            texts=labels,
            now=MONDAY_10,
            typed="مرحبا، عندي رسالة",
            translated="Hallo, ich habe einen Brief",
        )
        assert card == "\n".join(
            [
                "<b>🆕 Fall #2026-0042</b>",
                "Sprache: Arabisch (ar)",
                "Stadtteil: Südstadt",
                "Thema: Brief vom Amt",
                "Ort: KAISERS – Treff Südstadt (jetzt geöffnet bis 16:00)",
                "",
                "<b>Angaben im Gespräch</b>",
                "• Frist: Ja, bald",
                "• Anliegen: Brief vom Amt",
                "• Brief von: Jobcenter",
                "• Straße: Kaiserstraße",
                "",
                "<b>Nachricht</b>",
                "مرحبا، عندي رسالة",
                "<i>Übersetzung (maschinell):</i>",
                "<i>Hallo, ich habe einen Brief</i>",
                "",
                HELP,
            ]
        )

    def test_resident_text_and_answers_are_escaped(
        self, directory: PlaceDirectory, labels: Catalogs
    ) -> None:
        case = _case(answers=(("street", "<b>Kaiser</b> & Co"),))
        card = case_card(
            case,
            directory=directory,
            texts=labels,
            now=MONDAY_10,
            typed="<script>alert('x')</script>",
            translated="<script>",
        )
        assert "<script>" not in card
        assert "&lt;script&gt;alert('x')&lt;/script&gt;" in card
        assert "<i>&lt;script&gt;</i>" in card
        assert "• Straße: &lt;b&gt;Kaiser&lt;/b&gt; &amp; Co" in card

    def test_place_names_are_escaped_and_unknown_hours_said(
        self, directory: PlaceDirectory, labels: Catalogs
    ) -> None:
        card = case_card(
            _case(place_id="migration", answers=()),
            directory=directory,
            texts=labels,
            now=MONDAY_10,
        )
        assert "Ort: Migrationsberatung &lt;Mitte&gt; &amp; Co (Öffnungszeiten unbekannt)" in card

    def test_closed_place_untranslated_message(
        self, directory: PlaceDirectory, labels: Catalogs
    ) -> None:
        card = case_card(
            _case(answers=()), directory=directory, texts=labels, now=SATURDAY_18, typed="سلام"
        )
        assert card == "\n".join(
            [
                "<b>🆕 Fall #2026-0042</b>",
                "Sprache: Arabisch (ar)",
                "Stadtteil: Südstadt",
                "Thema: Brief vom Amt",
                "Ort: KAISERS – Treff Südstadt (geschlossen, öffnet Montag 09:00)",
                "",
                "<b>Nachricht</b>",
                "سلام",
                "<i>(nicht übersetzt)</i>",
                "",
                HELP,
            ]
        )

    def test_no_place_no_quarter_german_resident(
        self, directory: PlaceDirectory, labels: Catalogs
    ) -> None:
        case = _case(place_id=None, quarter=None, topic=None, language="de", answers=())
        card = case_card(case, directory=directory, texts=labels, now=MONDAY_10, typed="Hallo")
        assert card == "\n".join(
            [
                "<b>🆕 Fall #2026-0042</b>",
                "Sprache: Deutsch (de)",
                "Thema: ohne Thema",
                "Ort: keiner zugeordnet (Team für alle Anfragen)",
                "",
                "<b>Nachricht</b>",
                "Hallo",
                "",
                HELP,
            ]
        )


class TestAnswers:
    @pytest.mark.parametrize(
        ("variable", "value", "expected"),
        [
            ("office", "jobcenter", ("Brief von", "Jobcenter")),
            ("quarter", "suedstadt", ("Stadtteil", "Südstadt")),
            ("health_need", "doctor", ("Gesundheit", "Arzt finden")),
            ("health_need", "person", ("Gesundheit", "Mit Mensch schreiben")),
            ("street", "Kaiserstraße", ("Straße", "Kaiserstraße")),
            ("office", "unheard_of", ("Brief von", "unheard_of")),
            ("custom", "person", ("custom", "person")),
        ],
    )
    def test_known_variables_get_german_labels(
        self,
        directory: PlaceDirectory,
        labels: Catalogs,
        variable: str,
        value: str,
        expected: tuple[str, str],
    ) -> None:
        assert answer_text(variable, value, texts=labels, directory=directory) == expected

    def test_real_catalogue_labels(self, directory: PlaceDirectory, texts: Catalogs) -> None:
        assert answer_text("office", "jobcenter", texts=texts, directory=directory) == (
            "Brief von",
            "Jobcenter",
        )


class TestOpeningPhrase:
    @pytest.mark.parametrize(
        ("status", "expected"),
        [
            (OpeningStatus(known=False), "Öffnungszeiten unbekannt"),
            (
                OpeningStatus(
                    known=True, open_now=True, closes_at=datetime(2026, 11, 23, 16, tzinfo=BERLIN)
                ),
                "jetzt geöffnet bis 16:00",
            ),
            (OpeningStatus(known=True, open_now=True), "jetzt geöffnet"),
            (
                OpeningStatus(known=True, next_open=datetime(2026, 11, 23, 9, tzinfo=BERLIN)),
                "geschlossen, öffnet Montag 09:00",
            ),
            (OpeningStatus(known=True), "geschlossen"),
        ],
    )
    def test_phrases(self, status: OpeningStatus, expected: str, labels: Catalogs) -> None:
        assert opening_phrase(status, SATURDAY_18, texts=labels) == expected


def test_german_residents_need_no_translation_line(labels: Catalogs) -> None:
    assert translated_block("Hallo <du>", None, language="de", texts=labels) == (
        "Hallo &lt;du&gt;"
    )
    assert translated_block("Hi", None, language="en", texts=labels) == (
        "Hi\n<i>(nicht übersetzt)</i>"
    )
