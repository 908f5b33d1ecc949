"""TopicModel: trained on a small set written in conftest.py, cached as plain arrays."""

from __future__ import annotations

import gc
import logging
import math
import warnings
import zipfile
from pathlib import Path

import pytest

from bot.nlu import topics
from bot.nlu.text import fold
from bot.nlu.topics import NGRAMS, TopicModel, ngrams

from .conftest import SMALL_SET

PROBES = [
    "brief vom jobcenter",
    "ich brauche eine neue wohnung",
    "wo ist die tafel",
    "Bescheid!!! Ausländerbehörde",
    "miete",
    "ich habe hunger und keine wohnung",
]


def ranking(model: TopicModel, text: str) -> list[tuple[str, float]]:
    return [(score.topic, score.probability) for score in model.rank(text)]


@pytest.fixture
def model() -> TopicModel:
    return TopicModel.train(SMALL_SET)


class TestTraining:
    def test_learns_every_topic(self, model: TopicModel) -> None:
        assert model.topics == ("food", "housing", "letters")

    @pytest.mark.parametrize(
        ("text", "topic"),
        [
            ("ich habe einen brief vom jobcenter bekommen", "letters"),
            ("brief vom jobcenter", "letters"),
            ("ich brauche eine neue wohnung", "housing"),
            ("wo ist die tafel", "food"),
            ("der VERMIETER will mehr Miete!!", "housing"),
        ],
    )
    def test_ranks_the_right_topic_first(self, model: TopicModel, text: str, topic: str) -> None:
        assert model.rank(text)[0].topic == topic

    def test_same_examples_give_the_same_ranking(self) -> None:
        first = TopicModel.train(SMALL_SET)
        topics._TRAINED.clear()
        second = TopicModel.train(list(SMALL_SET))
        assert first is not second
        for probe in PROBES:
            assert ranking(first, probe) == ranking(second, probe)

    def test_same_examples_reuse_the_trained_model(self) -> None:
        assert TopicModel.train(SMALL_SET) is TopicModel.train(list(SMALL_SET))

    def test_other_examples_train_another_model(self) -> None:
        first = TopicModel.train(SMALL_SET)
        second = TopicModel.train(SMALL_SET[:-1])
        assert first is not second
        assert list(topics._TRAINED.values()) == [second]  # one set is in use at a time


class TestRanking:
    @pytest.mark.parametrize("text", PROBES)
    def test_probabilities_sum_to_one_and_are_sorted(self, model: TopicModel, text: str) -> None:
        scores = model.rank(text)
        assert [s.topic for s in scores] != []
        assert sorted(s.topic for s in scores) == sorted(model.topics)
        probabilities = [s.probability for s in scores]
        assert math.isclose(sum(probabilities), 1.0, abs_tol=1e-5)
        assert probabilities == sorted(probabilities, reverse=True)
        assert all(0.0 <= p <= 1.0 for p in probabilities)
        assert all(type(p) is float for p in probabilities)

    @pytest.mark.parametrize(
        "text", ["qqqq zzzz", "xyzzy plugh", "", "!!!", "😀😀", "你好世界", "ωωωω ψψψψ"]
    )
    def test_unknown_text_ranks_nothing(self, model: TopicModel, text: str) -> None:
        assert model.rank(text) == ()

    def test_known_words_among_unknown_ones_still_rank(self, model: TopicModel) -> None:
        assert model.rank("qqqq jobcenter brief")[0].topic == "letters"

    def test_only_the_first_characters_count(self, model: TopicModel) -> None:
        text = "brief vom jobcenter " + "qqqq " * 2000
        assert ranking(model, text) == ranking(model, text[: topics.MAX_CHARS])

    def test_folded_spellings_rank_alike(self, model: TopicModel) -> None:
        assert ranking(model, "Größere WOHNUNG!!!") == ranking(model, "grossere wohnung")


class TestCache:
    def test_save_and_load_give_identical_rankings(
        self, model: TopicModel, tmp_path: Path
    ) -> None:
        path = tmp_path / "sub" / "model.npz"
        model.save(path)
        assert path.is_file()
        assert not list(path.parent.glob("*.part.npz"))
        loaded = TopicModel.load(path)
        assert loaded is not None
        assert loaded.topics == model.topics
        for probe in [*PROBES, "qqqq zzzz"]:
            assert ranking(loaded, probe) == ranking(model, probe)

    def test_load_of_a_missing_file_is_none(self, tmp_path: Path) -> None:
        assert TopicModel.load(tmp_path / "nope.npz") is None

    def test_a_file_in_the_way_of_the_folder_only_costs_the_cache(
        self, model: TopicModel, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        (tmp_path / "blocked").write_text("a file, not a folder", encoding="utf-8")
        with caplog.at_level(logging.WARNING, logger="bot.nlu.topics"):
            model.save(tmp_path / "blocked" / "model.npz")
        assert "not cached" in caplog.text

    def test_train_writes_the_cache_and_loads_it_next_time(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        first = TopicModel.train(SMALL_SET, tmp_path)
        [cached] = tmp_path.glob("topics-*.npz")
        assert cached.name.endswith(".npz")
        assert not cached.name.endswith(".part.npz")

        topics._TRAINED.clear()  # as if the process had started anew

        def no_training(examples: object) -> TopicModel:
            raise AssertionError("trained although the cache holds the model")

        monkeypatch.setattr(topics, "_fit", no_training)
        second = TopicModel.train(SMALL_SET, tmp_path)
        assert second is not first
        for probe in PROBES:
            assert ranking(second, probe) == ranking(first, probe)

    def test_edited_examples_get_their_own_cache_file(self, tmp_path: Path) -> None:
        TopicModel.train(SMALL_SET, tmp_path)
        TopicModel.train(SMALL_SET[1:], tmp_path)
        assert len(list(tmp_path.glob("topics-*.npz"))) == 2

    def test_changed_learning_settings_get_their_own_cache_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A model learnt with other settings (here: fewer epochs) is never read back."""
        TopicModel.train(SMALL_SET, tmp_path)
        monkeypatch.setattr(topics, "EPOCHS", topics.EPOCHS + 1)
        topics._TRAINED.clear()
        assert TopicModel.learnt(SMALL_SET, tmp_path) is None
        TopicModel.train(SMALL_SET, tmp_path)
        assert len(list(tmp_path.glob("topics-*.npz"))) == 2

    @pytest.mark.parametrize(
        "content", [b"garbage", b"\x93NUMPY broken", b"PK\x05\x06" + bytes(18)]
    )
    def test_an_unreadable_cache_file_is_logged_and_training_happens(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes
    ) -> None:
        expected = ranking(TopicModel.train(SMALL_SET, tmp_path), PROBES[0])
        [cached] = tmp_path.glob("topics-*.npz")
        cached.write_bytes(content)
        topics._TRAINED.clear()
        with caplog.at_level(logging.WARNING, logger="bot.nlu.topics"):
            model = TopicModel.train(SMALL_SET, tmp_path)
        assert "unreadable" in caplog.text
        assert ranking(model, PROBES[0]) == expected
        assert TopicModel.load(cached) is not None  # trained anew and saved again

    @pytest.mark.parametrize("cut", ["empty", "half"])
    def test_an_empty_or_truncated_cache_file_is_ignored(self, tmp_path: Path, cut: str) -> None:
        TopicModel.train(SMALL_SET, tmp_path)
        [cached] = tmp_path.glob("topics-*.npz")
        data = cached.read_bytes()
        cached.write_bytes(b"" if cut == "empty" else data[: len(data) // 2])
        topics._TRAINED.clear()
        crash = None
        # numpy leaves the file open when the zip is broken: keep its ResourceWarning here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                TopicModel.train(SMALL_SET, tmp_path)
            except (EOFError, zipfile.BadZipFile) as exc:
                crash = repr(exc)
            gc.collect()
        assert crash is None, crash


class TestNgrams:
    TEXTS = (
        "ich habe einen brief vom jobcenter",
        "a b c",
        "x",
        "ab",
        "   viele    leerzeichen   ",
        "مي خواهم کمک",
        "джобцентра",
        "ausländerbehörde strasse",
        "",
        "supercalifragilisticexpialidocious",
    )

    @pytest.mark.parametrize("text", TEXTS)
    def test_the_same_as_scikit_learns_char_wb(self, text: str) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        analyse = CountVectorizer(analyzer="char_wb", ngram_range=NGRAMS).build_analyzer()
        folded = fold(text)
        assert ngrams(folded) == analyse(folded)

    def test_words_are_padded_with_spaces(self) -> None:
        assert ngrams("ab") == [" a", "ab", "b ", " ab", "ab ", " ab "]
        assert ngrams("x") == [" x", "x ", " x "]
        assert ngrams("") == []
