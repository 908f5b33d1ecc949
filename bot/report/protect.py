"""The "<5" rule: no figure may point to fewer than five people.

Every count from 1 to 4 is shown as "<5"; 0 stays 0 (nobody is no one's secret, and an
empty database must print zeros). A breakdown (by topic, place, quarter, language) adds
up to a total that is shown too, so one hidden cell could be worked out by subtraction:
:func:`protect` then also hides the smallest shown cells, as "≥5", until every "<5" cell
could still have at least two values. What stays possible: when every cell of a breakdown
is hidden and the total forces them (five cells of 1 adding up to 5), and comparing
reports of overlapping periods; the README says so.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

THRESHOLD = 5
FEW = "<5"
HIDDEN = "≥5"

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Cell:
    """A count as it may be shown: ``text`` always, ``count`` only when it is exact."""

    text: str
    count: int | None


def shown(count: int) -> Cell:
    """One count under the "<5" rule: 0 and 5 or more as they are, 1 to 4 as "<5"."""
    if 0 < count < THRESHOLD:
        return Cell(FEW, None)
    return Cell(str(count), count)


def protect(counts: Mapping[K, int]) -> dict[K, Cell]:
    """A breakdown under the "<5" rule, with the cells that would give a "<5" away hidden.

    Args:
        counts: The exact counts of one breakdown, whose sum a reader may know.

    Returns:
        Every key with its cell: exact, "<5" (1 to 4) or "≥5" (hidden so that the "<5"
        cells cannot be worked out from the total).
    """
    few = [key for key, count in counts.items() if 0 < count < THRESHOLD]
    shown_big = sorted(
        (key for key, count in counts.items() if count >= THRESHOLD),
        key=lambda k: (counts[k], str(k)),
    )
    hidden: list[K] = []
    while few and shown_big and not _undecidable(counts, few, hidden, shown_big):
        hidden.append(shown_big.pop(0))
    cells = {key: Cell(str(count), count) for key, count in counts.items()}
    cells.update({key: Cell(FEW, None) for key in few})
    cells.update({key: Cell(HIDDEN, None) for key in hidden})
    return cells


def _undecidable(
    counts: Mapping[K, int], few: list[K], hidden: list[K], shown_big: list[K]
) -> bool:
    """True when every "<5" cell could still take two values, given the total.

    A reader knows the sum of the hidden cells (total minus the shown ones), that a "<5"
    cell holds 1 to 4, and that a "≥5" cell holds 5 up to the smallest cell still shown
    (the smallest are hidden first).
    """
    ceiling = counts[shown_big[0]] if shown_big else math.inf
    bounds = [(1, THRESHOLD - 1)] * len(few) + [(THRESHOLD, ceiling)] * len(hidden)
    total = sum(counts[key] for key in (*few, *hidden))
    low_sum = sum(low for low, _ in bounds)
    high_sum = sum(high for _, high in bounds)
    for index in range(len(few)):
        low, high = bounds[index]
        others_low, others_high = low_sum - low, high_sum - high
        least = max(low, total - others_high)
        most = min(high, total - others_low)
        if most <= least:
            return False
    return True
