"""Relayed media for staff, templates for residents, and the resident's texts."""

from __future__ import annotations

from bot.handoff.cases import MessageKind
from bot.handoff.relay import RESIDENT_KEYS, TemplateTexts, for_resident, for_staff, template_texts
from bot.i18n import Catalogs

from .conftest import RESIDENT_DE


def test_media_get_a_german_marker_and_the_caption(texts: Catalogs) -> None:
    def staff(text: str | None, translated: str | None, language: str, kind: MessageKind) -> str:
        return for_staff(text, translated, language=language, texts=texts, kind=kind)

    assert staff(None, None, "ar", MessageKind.PHOTO) == "<i>[Foto]</i>"
    assert staff("ورقة", "[de] Brief", "ar", MessageKind.DOCUMENT) == (
        "<i>[Dokument]</i>\nورقة\n<i>Übersetzung (maschinell):</i>\n<i>[de] Brief</i>"
    )
    assert staff(None, None, "de", MessageKind.VOICE) == "<i>[Sprachnachricht]</i>"
    assert staff(None, None, "de", MessageKind.LOCATION) == "<i>[Standort]</i>"


def test_a_german_resident_gets_staff_words_as_they_are(texts: Catalogs) -> None:
    assert for_resident("Bis morgen!", None, language="de", texts=texts) == (
        "💬 Nachricht vom Stadtteiltreff:\nBis morgen!"
    )


def test_templates_come_from_the_residents_catalogue(texts: Catalogs) -> None:
    sent = template_texts("wait", language="en", texts=texts)
    assert sent == TemplateTexts(
        resident=(
            "💬 Message from the centre:\n"
            "Thank you for your message. We are on it and will reply soon."
        ),
        staff=(
            "📨 Vorlage „wait“ gesendet:\n"
            "Danke für Ihre Nachricht. Wir kümmern uns darum und melden uns bald bei Ihnen."
        ),
        translated=True,
    )


def test_a_template_missing_in_the_residents_language_goes_in_german_and_says_so(
    texts: Catalogs,
) -> None:
    sent = template_texts("call", language="uk", texts=texts)
    assert not sent.translated
    assert "Bitte rufen Sie uns an." in sent.resident
    assert sent.resident.endswith("(Diese Nachricht ist nicht übersetzt.)")


def test_every_resident_key_has_a_fixed_german_text() -> None:
    assert set(RESIDENT_KEYS) <= set(RESIDENT_DE)
