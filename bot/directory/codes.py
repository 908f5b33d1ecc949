"""The fixed vocabularies of the directory: topics, audiences, kinds, weekdays, languages.

Flows refer to topic and audience ids, so these lists change only together with the flows.
"""

from __future__ import annotations

TOPICS: tuple[str, ...] = (
    "letters",
    "debts",
    "housing",
    "residence",
    "german_courses",
    "recognition",
    "work",
    "health",
    "children",
    "family",
    "pregnancy",
    "violence",
    "addiction",
    "food",
    "meeting",
    "counselling",
    "homeless",
    "seniors",
)
"""What residents need help with; the ids the flows use."""

AUDIENCES: tuple[str, ...] = (
    "everyone",
    "young_people",
    "women",
    "families",
    "children",
    "seniors",
    "refugees",
    "ukrainians",
    "newcomers_eu",
)
"""Who a place (or one of its opening slots) is meant for."""

KINDS: tuple[str, ...] = (
    "stadtteiltreff",
    "family_centre",
    "community_work",
    "counselling",
    "authority",
    "helpline",
    "shelter",
    "food",
    "drop_in",
    "education",
)
"""What sort of place a record describes."""

OFFER_KINDS: tuple[str, ...] = (
    "consultation",
    "course",
    "cafe",
    "phone_line",
    "meeting",
    "event",
    "distribution",
)
"""What sort of offer a place makes: a consultation hour, a course, a café, a phone line,
a regular meeting (Stammtisch, breakfast), an occasional event (festival) or a distribution
(food, clothes)."""

CONFIDENCES: tuple[str, ...] = ("confirmed", "probable", "unconfirmed")
"""How sure the data is: see docs/directory.md for the meaning of each mark."""

WEEKDAYS: dict[str, int] = {
    # English abbreviations are canonical; German ones are accepted because staff write them.
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6,
}  # fmt: skip
"""Weekday names accepted in the data, mapped to Python's ``date.weekday()`` numbers."""

WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Canonical weekday name for each ``date.weekday()`` number."""

# ISO 639-1, the two-letter codes Telegram and the locales use.
_ISO_639_1 = """
aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht
hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky
la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny
oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss
st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo
za zh zu
"""

# Languages without a two-letter code that matter in Hameln: Romani (many Kuckuck residents),
# Sorani and Kurmanji Kurdish, Dari, and German Sign Language (accessibility).
_EXTRA_LANGUAGES = {"rom", "ckb", "kmr", "prs", "gsg"}

LANGUAGES: frozenset[str] = frozenset(_ISO_639_1.split()) | _EXTRA_LANGUAGES
"""Language codes accepted in ``languages:``."""

COUNTRY_NOT_LANGUAGE: dict[str, str] = {
    "ua": "uk", "sy": "ar", "ir": "fa", "gr": "el", "cz": "cs", "dk": "da", "jp": "ja",
    "cn": "zh", "al": "sq", "er": "ti", "rs": "sr", "by": "be",
}  # fmt: skip
"""Country codes that are not language codes but get written for one (ua → uk), for hints."""


def known_topics() -> tuple[str, ...]:
    """Return every topic id the directory understands, in a stable order.

    Returns:
        The topic ids, whether or not a place currently serves them.
    """
    return TOPICS
