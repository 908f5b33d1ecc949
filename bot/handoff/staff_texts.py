"""Looking up the German texts staff see in their group (``handoff.staff.*`` in de.yaml).

Staff work in German, so these texts live only in ``locales/de.yaml`` and have no
translations (:data:`bot.i18n.checks.GERMAN_ONLY_PREFIXES`). This module holds no text of
its own: only the lookups, and which flow variables the case card shows and how.
Values that staff or residents supplied are inserted unescaped: callers escape for HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from bot.handoff.translation import STAFF_LANGUAGE
from bot.i18n import Catalogs

STAFF_PREFIX = "handoff.staff."
"""Every staff text is a catalogue key under this prefix."""
TOPIC_PREFIX = STAFF_PREFIX + "topics."
"""The German name of a topic id: ``handoff.staff.topics.<topic>``."""
FIELD_PREFIX = STAFF_PREFIX + "fields."
"""The German label of a flow variable on the card: ``handoff.staff.fields.<variable>``."""

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


def staff_text(texts: Catalogs, key: str, /, **params: object) -> str:
    """Render a German staff text, filling its ``{placeholders}``.

    Args:
        texts: The catalogues.
        key: A ``handoff.staff.*`` key of the German catalogue.
        **params: The placeholder values, already escaped if the result is HTML.

    Returns:
        The text; a missing key renders as the key itself (and is logged by the catalogue).
    """
    return texts.text(STAFF_LANGUAGE, key, **params)


def topic_name(texts: Catalogs, topic: str | None) -> str:
    """The German name of a topic id ("letters" → "Brief vom Amt"); unknown ids stay as is."""
    if not topic:
        return staff_text(texts, "handoff.staff.no_topic")
    return _german_or(texts, TOPIC_PREFIX + topic, topic)


def field_label(texts: Catalogs, variable: str) -> str:
    """The German label of a flow variable ("office" → "Brief von"); unknown ones stay as is."""
    return _german_or(texts, FIELD_PREFIX + variable, variable)


def _german_or(texts: Catalogs, key: str, default: str) -> str:
    # Only the German catalogue counts: a fallback language would show staff English.
    return staff_text(texts, key) if texts.has(STAFF_LANGUAGE, key) else default
