"""Issue 13, point 5: the "<5" rule, and no "<5" that a total gives away."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from bot.report.protect import FEW, HIDDEN, THRESHOLD, Cell, protect, shown


def texts(cells: dict[str, Cell]) -> dict[str, str]:
    return {key: cell.text for key, cell in cells.items()}


class TestShown:
    def test_zero_and_five_or_more_are_exact(self) -> None:
        assert [shown(n) for n in (0, 5, 123)] == [Cell("0", 0), Cell("5", 5), Cell("123", 123)]

    def test_one_to_four_are_few(self) -> None:
        assert {shown(n) for n in range(1, 5)} == {Cell(FEW, None)}


class TestProtect:
    def test_nothing_small_nothing_hidden(self) -> None:
        assert texts(protect({"ar": 8, "uk": 5, "de": 0})) == {"ar": "8", "uk": "5", "de": "0"}

    def test_one_small_cell_hides_the_smallest_other_too(self) -> None:
        # 16 in all: without "≥5" for uk, de = 16 - 8 - 6 = 2.
        assert texts(protect({"ar": 8, "uk": 6, "de": 2})) == {"ar": "8", "uk": HIDDEN, "de": FEW}

    def test_a_hidden_five_next_to_a_shown_five_would_tell_so_both_are_hidden(self) -> None:
        # With en "≥5" but uk shown as 5, en could only be 5 and ar = 2.
        cells = texts(protect({"de": 20, "uk": 5, "en": 5, "ar": 2}))
        assert cells == {"de": "20", "uk": HIDDEN, "en": HIDDEN, "ar": FEW}

    def test_two_small_cells_that_could_be_swapped_need_nothing_more(self) -> None:
        assert texts(protect({"ar": 9, "uk": 3, "de": 2})) == {"ar": "9", "uk": FEW, "de": FEW}

    def test_two_ones_would_be_given_away_by_their_sum(self) -> None:
        # Hidden sum 2 over two "<5" cells: both must be 1, so "≥5" is added.
        assert texts(protect({"ar": 9, "uk": 1, "de": 1})) == {"ar": HIDDEN, "uk": FEW, "de": FEW}

    def test_a_single_small_cell_alone_stays_few(self) -> None:
        assert texts(protect({"ar": 3})) == {"ar": FEW}

    def test_empty(self) -> None:
        assert protect({}) == {}


def _values_left(counts: dict[str, int], cells: dict[str, Cell]) -> dict[str, set[int]]:
    """Every value each "<5" cell could have, as a reader who knows the total sees it."""
    hidden = [key for key, cell in cells.items() if cell.count is None]
    shown_counts = [cell.count for cell in cells.values() if cell.count]
    ceiling = min(shown_counts) if shown_counts else sum(counts.values())
    ranges = [
        range(1, THRESHOLD) if cells[key].text == FEW else range(THRESHOLD, ceiling + 1)
        for key in hidden
    ]
    total = sum(counts[key] for key in hidden)
    left: dict[str, set[int]] = {key: set() for key in hidden if cells[key].text == FEW}
    for values in itertools.product(*ranges):
        if sum(values) == total:
            for key, value in zip(hidden, values, strict=True):
                if key in left:
                    left[key].add(value)
    return left


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 14), max_size=6))
def test_no_few_cell_can_be_worked_out_unless_every_cell_is_hidden(counts: dict[str, int]) -> None:
    cells = protect(counts)
    assert all((cell.count is None) == (cell.text in (FEW, HIDDEN)) for cell in cells.values())
    assert all(cells[key].text == FEW for key, n in counts.items() if 0 < n < THRESHOLD)
    assert all(cells[key].text == "0" for key, n in counts.items() if n == 0)
    assert all(cell.count == counts[key] for key, cell in cells.items() if cell.count is not None)
    everything_hidden = all(cell.count is None for cell in cells.values() if cell.text != "0")
    if not everything_hidden:
        for key, values in _values_left(counts, cells).items():
            assert len(values) >= 2, (counts, key, values)
