"""Hand a conversation to a person at a treff, and relay messages both ways.

The pure core of the handoff: routing a request to a place and its staff group
(:mod:`routing`), the case and its state machine (:mod:`cases`), the German texts staff see
(:mod:`card`, :mod:`staff_texts`), parsing staff commands (:mod:`commands`), what to tell a
resident out of hours (:mod:`hours`) and the wording of relayed messages in both directions
(:mod:`relay`, :mod:`translation`).

Nothing here talks to Telegram or a database. The one exception is :mod:`translate`, the
HTTP client for LibreTranslate; it is deliberately not imported here, so that importing
this package never pulls in aiohttp.
"""

from bot.handoff.cases import (
    Case,
    CaseFacts,
    CaseRequest,
    CaseStats,
    CaseStatus,
    Direction,
    InvalidTransitionError,
    MessageKind,
    ResidentKey,
)
from bot.handoff.routing import Route, route, staff_group_for
from bot.handoff.translation import NoTranslator, Translator

__all__ = [
    "Case",
    "CaseFacts",
    "CaseRequest",
    "CaseStats",
    "CaseStatus",
    "Direction",
    "InvalidTransitionError",
    "MessageKind",
    "NoTranslator",
    "ResidentKey",
    "Route",
    "Translator",
    "route",
    "staff_group_for",
]
