"""What the anonymous event log and the cases say about a period, before any protection."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True, kw_only=True)
class FunderFigures:
    """Exact counts of one period. Never shown as they are: see :func:`build_report`.

    The event kinds behind each figure are noted by the engine (``bot/core``); the
    README section "Statistics for funders" says what each figure means.
    """

    conversations: int = 0
    """``start`` events: /start, a deep link or QR code, a first message starting over."""
    residents: int = 0
    """``first_contact`` events: sessions begun without a language (new or erased people)."""
    consents: int = 0
    """``consent`` events: the privacy notice accepted."""
    referrals: int = 0
    """``refer`` events that showed at least one place."""
    by_topic: Mapping[str | None, int] = field(default_factory=dict)
    by_quarter: Mapping[str | None, int] = field(default_factory=dict)
    by_language: Mapping[str | None, int] = field(default_factory=dict)
    by_place: Mapping[str, int] = field(default_factory=dict)
    """``refer_place`` events: each place card shown (a referral shows up to three)."""
    handoffs: int = 0
    """Cases opened for staff (the cases table; anonymised cases count too)."""
    answered: int = 0
    """Of those, cases that got a staff answer."""
    median_first_answer: timedelta | None = None
    """Median time from opening a case to the first staff answer, over answered cases."""
