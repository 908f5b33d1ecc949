"""The German texts staff see in their group, until they move into ``locales/de.yaml``.

Staff work in German, so these texts have no translations. The keys are the catalogue keys
they are meant to get (``handoff.staff.*``): moving them means copying this mapping into
the German catalogue and replacing :func:`staff_text` by ``texts.text("de", key, ...)``.
Values that staff or residents supplied are inserted unescaped: callers escape for HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bot.i18n.catalog import fill

STAFF_TEXTS: Mapping[str, str] = MappingProxyType(
    {
        # The case card, posted first in every case topic.
        "handoff.staff.card_title": "🆕 Fall #{number}",
        "handoff.staff.card_language": "Sprache: {language}",
        "handoff.staff.card_quarter": "Stadtteil: {quarter}",
        "handoff.staff.card_topic": "Thema: {topic}",
        "handoff.staff.card_place": "Ort: {place} ({status})",
        "handoff.staff.card_no_place": "Ort: keiner zugeordnet (Team für alle Anfragen)",
        "handoff.staff.card_answers": "Angaben im Gespräch",
        "handoff.staff.card_message": "Nachricht",
        "handoff.staff.card_help": (
            "Antworten Sie einfach hier im Thema. "
            "Befehle: /close · /transfer <Ort> · /note <Text> · /template <Name>"
        ),
        "handoff.staff.no_topic": "ohne Thema",
        # Opening status of the place, on the card.
        "handoff.staff.open_until": "jetzt geöffnet bis {time}",
        "handoff.staff.open": "jetzt geöffnet",
        "handoff.staff.closed_opens": "geschlossen, öffnet {when}",
        "handoff.staff.closed": "geschlossen",
        "handoff.staff.hours_unknown": "Öffnungszeiten unbekannt",
        # Translation of the resident's words.
        "handoff.staff.translation": "Übersetzung (maschinell)",
        "handoff.staff.untranslated": "(nicht übersetzt)",
        # Relayed media without a caption.
        "handoff.staff.kind_photo": "[Foto]",
        "handoff.staff.kind_document": "[Dokument]",
        "handoff.staff.kind_voice": "[Sprachnachricht]",
        "handoff.staff.kind_location": "[Standort]",
        # Usage lines for staff commands.
        "handoff.staff.usage_close": (
            "So geht es: /close – schließt den Fall, ohne weitere Angaben."
        ),
        "handoff.staff.usage_transfer": (
            "So geht es: /transfer <Ort>, zum Beispiel /transfer {example}"
        ),
        "handoff.staff.unknown_place": (
            "Den Ort „{place}“ kenne ich nicht.{hint} So geht es: /transfer <Ort>"
        ),
        "handoff.staff.usage_note": "So geht es: /note <Text>. Notizen sieht nur das Team.",
        "handoff.staff.usage_template": "So geht es: /template <Name>. Vorlagen: {keys}",
        "handoff.staff.unknown_template": (
            "Die Vorlage „{key}“ gibt es nicht.{hint} Vorlagen: {keys}"
        ),
        "handoff.staff.no_templates": "keine",
        "handoff.staff.unknown_command": (
            "Den Befehl /{command} kenne ich nicht.{hint} "
            "Befehle: /close · /transfer <Ort> · /note <Text> · /template <Name>"
        ),
        "handoff.staff.did_you_mean": " Meinten Sie {suggestion}?",
        # What Lotse posts in the case topic.
        "handoff.staff.closed_case": (
            "✅ Fall #{number} ist geschlossen. Die Person bekommt Bescheid."
        ),
        "handoff.staff.transferred_out": "➡️ Fall #{number} ist an {place} übergeben.",
        "handoff.staff.transferred_in": (
            "⬅️ Fall #{number} wurde an Sie übergeben, vorher: {place}."
        ),
        "handoff.staff.note_saved": "📝 Notiz gespeichert. Sie wird nicht weitergeleitet.",
        "handoff.staff.template_sent": "📨 Vorlage „{key}“ gesendet:",
        "handoff.staff.asked_again": "🔁 Die Person hat noch einmal nach einem Menschen gefragt.",
        "handoff.staff.resident_left": (
            "ℹ️ Die Person schreibt wieder mit Lotse (/bot). Ihre Antworten kommen trotzdem an."
        ),
        "handoff.staff.resident_erased": (
            "🗑 Die Person hat ihre Daten gelöscht. Der Fall ist geschlossen."
        ),
        "handoff.staff.case_is_closed": (
            "Dieser Fall ist geschlossen. Nachrichten hier werden nicht weitergeleitet."
        ),
        "handoff.staff.relay_failed": (
            "⚠️ Die Nachricht konnte nicht zugestellt werden. Hat die Person Lotse blockiert?"
        ),
        # Topic names, for the forum topic title and the card.
        "handoff.staff.topics.letters": "Brief vom Amt",
        "handoff.staff.topics.debts": "Schulden",
        "handoff.staff.topics.housing": "Wohnen",
        "handoff.staff.topics.residence": "Aufenthalt & Asyl",
        "handoff.staff.topics.german_courses": "Deutschkurse",
        "handoff.staff.topics.recognition": "Berufsanerkennung",
        "handoff.staff.topics.work": "Arbeit",
        "handoff.staff.topics.health": "Gesundheit",
        "handoff.staff.topics.children": "Kinder",
        "handoff.staff.topics.family": "Familie",
        "handoff.staff.topics.pregnancy": "Schwangerschaft",
        "handoff.staff.topics.violence": "Gewalt & Schutz",
        "handoff.staff.topics.addiction": "Sucht",
        "handoff.staff.topics.food": "Essen & Kleidung",
        "handoff.staff.topics.meeting": "Treff & Nachbarn",
        "handoff.staff.topics.counselling": "Beratung",
        "handoff.staff.topics.homeless": "Wohnungslosigkeit",
        "handoff.staff.topics.seniors": "Alter & Pflege",
        # Labels of the flow answers on the card (variable names of the flows).
        "handoff.staff.fields.need": "Anliegen",
        "handoff.staff.fields.office": "Brief von",
        "handoff.staff.fields.deadline": "Frist",
        "handoff.staff.fields.quarter": "Stadtteil",
        "handoff.staff.fields.street": "Straße",
        "handoff.staff.fields.addiction_for": "Hilfe für",
        "handoff.staff.fields.children_need": "Kinder",
        "handoff.staff.fields.family_need": "Familie",
        "handoff.staff.fields.food_need": "Essen & Kleidung",
        "handoff.staff.fields.german_need": "Deutsch",
        "handoff.staff.fields.health_need": "Gesundheit",
        "handoff.staff.fields.housing_need": "Wohnen",
        "handoff.staff.fields.money_need": "Geld",
        "handoff.staff.fields.residence_need": "Aufenthalt",
        "handoff.staff.fields.violence_need": "Gewalt & Schutz",
        "handoff.staff.fields.work_need": "Arbeit",
    }
)
"""German staff texts by their future catalogue key."""

ANSWER_VALUE_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "need": "welcome.opt_{value}",
        "office": "letters.opt_{value}",
        "deadline": "letters.opt_deadline_{value}",
        "addiction_for": "addiction.opt_{value}",
    }
)
"""Where a flow variable's values have their German button label, beyond ``<flow>_need``.

A variable ``<flow>_need`` finds ``<flow>.opt_<value>`` without being listed here.
"""

HIDDEN_VARIABLES: frozenset[str] = frozenset({"topic", "place", "quarter", "quarter_asked"})
"""Variables the card shows elsewhere (topic, place, quarter) or that mean nothing to staff."""


def staff_text(key: str, /, **params: object) -> str:
    """Render a German staff text, filling its ``{placeholders}``.

    Args:
        key: A key of :data:`STAFF_TEXTS`.
        **params: The placeholder values, already escaped if the result is HTML.

    Returns:
        The text; an unknown key renders as the key itself, like a missing catalogue entry.
    """
    template = STAFF_TEXTS.get(key, key)
    return fill(template, params) if "{" in template else template


def topic_name(topic: str | None) -> str:
    """The German name of a topic id ("letters" → "Brief vom Amt"); unknown ids stay as is."""
    if not topic:
        return staff_text("handoff.staff.no_topic")
    return STAFF_TEXTS.get(f"handoff.staff.topics.{topic}", topic)
