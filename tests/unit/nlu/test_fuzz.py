"""fold, the safety cues and the Reader never crash, whatever residents type."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.nlu import NluData, Reader, load_nlu
from bot.nlu.safety import SafetyCues
from bot.nlu.text import fold

ROOT = Path(__file__).parents[3]

SCRIPTS = st.characters(
    codec="utf-8",
    categories=("L", "M", "N", "P", "S", "Z", "Cf"),
)
"""Letters, marks, digits, punctuation, symbols (emoji), spaces and format characters."""
WORDY = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "hilfe",
                "HILFEEE",
                "sos",
                "schlägt",
                "mich",
                "bitte",
                "brief",
                "jobcenter",
                "messer",
                "يضربني",
                "كمك",
                "می\u200cخواهم",
                "помогите",
                "yardım",
                "۱۱۰",
                "😀",
                "!!!",
                "*",
                "ـ",
                "\u200c",
            ]
        ),
        st.text(SCRIPTS, max_size=12),
    ),
    max_size=300,
).map(" ".join)
"""Real cue and topic words mixed with noise: reaches the phrase and typo paths."""
LONG = ("er schlägt mich " * 400)[:5000]
MESSAGES = st.one_of(st.text(max_size=5000), st.text(SCRIPTS, max_size=5000), WORDY)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,  # write nothing outside the test folder
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def shipped() -> NluData:
    data, _ = load_nlu(ROOT / "nlu", ROOT, [])  # its issues are the content tests' business
    assert data.training_set()
    assert data.cues["violence"]
    return data


@pytest.fixture(scope="module")
def reader(shipped: NluData) -> Reader:
    return Reader(shipped)


@pytest.fixture(scope="module")
def cues(shipped: NluData) -> SafetyCues:
    return SafetyCues(shipped.cues)


@FUZZ
@given(MESSAGES)
def test_fold_never_raises(text: str) -> None:
    folded = fold(text)
    assert folded == " ".join(folded.split())  # single spaces between words, none around
    assert "\u200c" not in folded
    assert "ـ" not in folded


@FUZZ
@given(text=MESSAGES)
@example(text=LONG)
def test_find_never_raises(cues: SafetyCues, text: str) -> None:
    assert cues.find(text) in (None, "violence", "emergency")


@FUZZ
@given(text=MESSAGES)
@example(text=LONG)
@example(text="ab " * 1666)
@example(text="😀" * 5000)
def test_read_never_raises_and_gives_probabilities(reader: Reader, text: str) -> None:
    reading = reader.read(text)
    assert reading.alarm in (None, "weak", "strong")
    assert (reading.alarm is None) == (reading.danger is None)
    assert reading.danger in (None, "violence", "emergency")
    for score in reading.topics:
        assert 0.0 <= score.probability <= 1.0
        assert score.topic in reader.routes
    probabilities = [score.probability for score in reading.topics]
    assert probabilities == sorted(probabilities, reverse=True)
