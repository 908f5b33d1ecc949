"""Reader: safety cues first, then the topic model, combined into one Reading."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.core.ports import Reading, TopicRoute, TopicScore
from bot.nlu import NluData, Reader
from bot.nlu.understanding import STRONG_DANGER, WEAK_DANGER

from .conftest import DANGER_SET

ROUTES = {
    "letters": TopicRoute("letters", "welcome.opt_letter", "letters"),
    "housing": TopicRoute("housing", "welcome.opt_housing", "housing"),
    "food": TopicRoute("food", "money.opt_food", "food"),
    "violence": TopicRoute("violence", "welcome.opt_violence", "violence", "safe"),
    "emergency": TopicRoute("emergency", "topics.emergency", "health", "what"),
    "person": TopicRoute("person", "welcome.opt_person", handoff=True),
}
CUES = {
    "violence": ("schlägt mich", "verprügelt"),
    "emergency": ("bewusstlos", "herzinfarkt"),
    "calls": ("hilfe",),
    "call_fillers": ("bitte",),
}


def nlu_data(pairs: Sequence[tuple[str, str]] = DANGER_SET) -> NluData:
    examples: dict[str, dict[str, list[str]]] = {"de": {}}
    for text, topic in pairs:
        examples["de"].setdefault(topic, []).append(text)
    return NluData(
        routes=ROUTES,
        examples={lang: {t: tuple(x) for t, x in by.items()} for lang, by in examples.items()},
        cues=CUES,
    )


@pytest.fixture(scope="module")
def reader() -> Reader:
    """Trained once: a Reader keeps its model, whatever later tests train."""
    return Reader(nlu_data())


class FixedModel:
    """Stands in for the topic model with a ranking chosen by the test."""

    def __init__(self, *scores: tuple[str, float]) -> None:
        self.scores = tuple(TopicScore(topic, p) for topic, p in scores)

    def rank(self, text: str) -> tuple[TopicScore, ...]:
        del text
        return self.scores


def with_model(monkeypatch: pytest.MonkeyPatch, *scores: tuple[str, float]) -> Reader:
    reader = Reader(NluData(routes=ROUTES, cues=CUES))
    monkeypatch.setattr(reader, "_model", FixedModel(*scores))
    return reader


class TestCues:
    @pytest.mark.parametrize(
        ("text", "kind"),
        [
            ("er schlägt mich jeden tag", "violence"),
            ("mein sohn wurde verprügelt", "violence"),
            ("meine mutter ist bewusstlos", "emergency"),
            ("Hilfe!!!", "emergency"),
            ("hilfe bitte", "emergency"),
        ],
    )
    def test_a_cue_gives_a_strong_alarm_of_its_kind(
        self, reader: Reader, text: str, kind: str
    ) -> None:
        reading = reader.read(text)
        assert (reading.danger, reading.alarm) == (kind, "strong")

    def test_a_cue_wins_over_a_calm_model(self, monkeypatch: pytest.MonkeyPatch) -> None:
        reader = with_model(monkeypatch, ("letters", 0.99), ("violence", 0.01))
        topics = (TopicScore("letters", 0.99), TopicScore("violence", 0.01))
        assert reader.read("herzinfarkt") == Reading("emergency", "strong", topics)

    def test_topics_are_ranked_beside_a_cue(self, reader: Reader) -> None:
        reading = reader.read("er schlägt mich wegen dem brief vom jobcenter")
        assert reading.alarm == "strong"
        assert reading.topics
        assert {t.topic for t in reading.topics} == {"letters", "housing", "food", "violence"}


class TestModel:
    def test_a_confident_danger_topic_gives_a_strong_alarm(self, reader: Reader) -> None:
        # No cue in this message: only the model knows it is about violence.
        text = "ich habe angst vor meinem ehemann"
        assert reader._cues.find(text) is None
        reading = reader.read(text)
        assert reading.topics[0].topic == "violence"
        assert reading.topics[0].probability >= STRONG_DANGER
        assert (reading.danger, reading.alarm) == ("violence", "strong")

    def test_an_everyday_message_gives_no_alarm(self, reader: Reader) -> None:
        reading = reader.read("ich habe einen brief vom jobcenter bekommen")
        assert reading.topics[0].topic == "letters"
        assert (reading.danger, reading.alarm) == (None, None)

    def test_unknown_text_gives_nothing(self, reader: Reader) -> None:
        assert reader.read("qqqq zzzz") == Reading()
        assert reader.read("") == Reading()

    def test_reading_is_deterministic(self, reader: Reader) -> None:
        text = "mein vermieter droht mir"
        assert reader.read(text) == reader.read(text)

    @pytest.mark.parametrize(
        ("scores", "expected"),
        [
            # Danger on top and confident: strong.
            ((("violence", 0.9), ("letters", 0.1)), ("violence", "strong")),
            ((("emergency", STRONG_DANGER), ("food", 0.5)), ("emergency", "strong")),
            # Danger on top but not confident: weak when it reaches the weak threshold.
            ((("violence", 0.45), ("letters", 0.3), ("food", 0.25)), ("violence", "weak")),
            # Danger not on top: weak, named after the likeliest danger topic.
            ((("letters", 0.6), ("violence", WEAK_DANGER), ("food", 0.05)), ("violence", "weak")),
            # Two danger topics together reach the threshold.
            (
                (("letters", 0.6), ("emergency", 0.2), ("violence", 0.15), ("food", 0.05)),
                ("emergency", "weak"),
            ),
            # Some danger, but too little: no alarm.
            ((("letters", 0.7), ("violence", 0.2), ("food", 0.1)), (None, None)),
            ((("violence", WEAK_DANGER - 0.01), ("letters", 0.4), ("food", 0.31)), (None, None)),
            # No danger topic at all, or no ranking.
            ((("letters", 0.5), ("food", 0.5)), (None, None)),
            ((), (None, None)),
        ],
    )
    def test_alarm_from_the_model_alone(
        self,
        monkeypatch: pytest.MonkeyPatch,
        scores: tuple[tuple[str, float], ...],
        expected: tuple[str | None, str | None],
    ) -> None:
        reader = with_model(monkeypatch, *scores)
        reading = reader.read("a message without cues")
        assert (reading.danger, reading.alarm) == expected
        assert reading.topics == tuple(TopicScore(t, p) for t, p in scores)


class TestSetUp:
    def test_routes_are_exposed(self, reader: Reader) -> None:
        assert reader.routes == ROUTES
        assert reader.routes["person"].handoff
        assert reader.routes["violence"].step == "safe"

    def test_without_examples_only_cues_are_read(self) -> None:
        reader = Reader(NluData(routes=ROUTES, cues=CUES))
        assert reader.read("ich suche eine wohnung") == Reading()
        assert reader.read("er schlägt mich") == Reading("violence", "strong", ())

    def test_empty_data(self) -> None:
        reader = Reader(NluData())
        assert reader.routes == {}
        assert reader.read("hilfe") == Reading()

    def test_cache_folder_is_used(self, tmp_path: Path) -> None:
        Reader(nlu_data(), cache=tmp_path)
        assert len(list(tmp_path.glob("topics-*.npz"))) == 1
