"""SafetyCues: danger cues of every language, found in what residents type."""

from __future__ import annotations

import pytest

from bot.nlu.safety import MAX_GAP, MIN_TYPO_LENGTH, SafetyCues

CUES = SafetyCues(
    {
        "violence": [
            "schlägt mich",
            "verprügelt",
            "würgen",
            "ohrfeige",
            "vergewaltigt",
            "tritt*",
            "hits me",
            "يضربني",
            "бьёт меня",
            "mit dem messer bedroht",
        ],
        "emergency": ["herzinfarkt", "bewusstlos", "selbstmord*", "انتحار", "can t breathe"],
        "calls": ["hilfe", "help", "sos", "imdat"],
        "call_fillers": ["mir", "bitte", "schnell", "me", "please", "jetzt"],
    }
)


class TestWholeWords:
    @pytest.mark.parametrize(
        "text",
        [
            "Er SCHLÄGT mich jeden Tag",
            "er schlagt mich",  # typed without the umlaut
            "mein mann hat mich verprügelt!!!",
            "Ohrfeige bekommen",
            "he hits me",
            "زوجي يضربني",
            "он бьет меня",  # ё typed as е
        ],
    )
    def test_cue_words_anywhere_in_the_message(self, text: str) -> None:
        assert CUES.find(text) == "violence"

    @pytest.mark.parametrize(
        "text",
        [
            "ohrfeigenbaum",  # a longer word is not the cue word
            "hitsong me",  # "hits" is a whole word of the cue, not a prefix
            "schlägt",  # half of a phrase
            "mich",
            "hits",
            "der messer ist im brief",
            "",
        ],
    )
    def test_parts_and_longer_words_do_not_match(self, text: str) -> None:
        assert CUES.find(text) is None


class TestPrefixes:
    @pytest.mark.parametrize("text", ["er tritt", "er tritt mich", "er trittt", "tritte"])
    def test_a_star_matches_words_starting_with_it(self, text: str) -> None:
        assert CUES.find(text) == "violence"

    def test_prefix_of_a_longer_cue(self) -> None:
        assert CUES.find("gedanken an selbstmordversuch") == "emergency"
        assert CUES.find("Selbstmord") == "emergency"

    @pytest.mark.parametrize("text", ["trit", "auftritt", "lag", "selbst", "mord"])
    def test_words_not_starting_with_it_do_not_match(self, text: str) -> None:
        assert CUES.find(text) is None

    def test_schlag_star(self) -> None:
        cues = SafetyCues({"violence": ["schlag*"]})
        assert cues.find("er will mich schlagen") == "violence"
        assert cues.find("Schlaganfall") == "violence"
        assert cues.find("lag") is None
        assert cues.find("sch") is None
        assert cues.find("zuschlagen") is None


class TestPhrases:
    @pytest.mark.parametrize(
        "text",
        [
            "schlägt mich",
            "schlägt oft mich",
            "schlägt er oft mich",  # two words between
            "er hat mit dem messer bedroht",
            "mit dem großen messer mich bedroht",
            "mit x y dem x y messer x y bedroht",
        ],
    )
    def test_words_in_order_with_up_to_two_between(self, text: str) -> None:
        assert MAX_GAP == 2
        assert CUES.find(text) == "violence"

    @pytest.mark.parametrize(
        "text",
        [
            "schlägt er sehr oft mich",  # three words between
            "mit x y z dem messer bedroht",
            "mit dem messer x y z bedroht",
        ],
    )
    def test_three_words_between_are_too_many(self, text: str) -> None:
        assert CUES.find(text) is None

    @pytest.mark.parametrize(
        "text", ["mich schlägt er", "me hits", "dem mit messer bedroht", "bedroht mit dem messer"]
    )
    def test_order_matters(self, text: str) -> None:
        assert CUES.find(text) is None

    def test_a_later_start_can_still_match(self) -> None:
        assert CUES.find("schlägt nicht schlägt mich") == "violence"
        assert CUES.find("hits hits hits me") == "violence"

    def test_folding_splits_a_cue_word_into_parts_that_must_follow(self) -> None:
        assert CUES.find("I can't breathe") == "emergency"
        assert CUES.find("i cant breathe") is None

    @pytest.mark.parametrize(
        "text",
        [
            # mit(2) dem(5) messer(7) bedroht(8): never more than two words between.
            "er hat mit dem hund dem alten messer bedroht",
            "mit dem a dem b messer bedroht",
        ],
    )
    def test_a_repeated_middle_word_within_the_gap_still_matches(self, text: str) -> None:
        assert CUES.find(text) == "violence"


class TestTypos:
    def test_one_typo_in_a_long_word(self) -> None:
        assert len("vergewaltigt") >= MIN_TYPO_LENGTH
        assert CUES.find("er hat mich vergewaltgt") == "violence"  # one letter missing
        assert CUES.find("vergewaltigtt") == "violence"  # one letter extra
        assert CUES.find("ohrfeigen") == "violence"  # an inflection one letter longer
        assert CUES.find("vergewaltikt") == "violence"  # one letter wrong
        assert CUES.find("verprugelt") == "violence"  # umlaut dropped: not even a typo
        assert CUES.find("verprpgelt") == "violence"
        assert CUES.find("herzinfakt") == "emergency"

    def test_one_typo_in_a_seven_letter_word(self) -> None:
        cues = SafetyCues({"violence": ["ohrfeig"]})
        assert cues.find("ohrfeik") == "violence"

    def test_two_typos_are_too_many(self) -> None:
        assert CUES.find("vergewltgt") is None
        assert CUES.find("herzifakt") is None

    def test_no_typo_in_a_six_letter_word(self) -> None:
        assert len("wurgen") == MIN_TYPO_LENGTH - 1
        assert CUES.find("würgen") == "violence"
        assert CUES.find("wurgan") is None
        assert CUES.find("wurgn") is None

    def test_short_arabic_words_differing_in_one_letter_stay_apart(self) -> None:
        # "انتحار" (suicide) and "انتظار" (waiting) differ in one letter.
        assert CUES.find("انتحار") == "emergency"
        assert CUES.find("انتظار") is None

    def test_typos_in_a_phrase_word(self) -> None:
        cues = SafetyCues({"violence": ["droht umzubringen"]})
        assert cues.find("er droht mich umzubrngen") == "violence"

    def test_repeated_lookups_give_the_same_answer(self) -> None:
        for _ in range(3):
            assert CUES.find("vergewaltgt") == "violence"
            assert CUES.find("vergewltgt") is None


class TestBareCalls:
    @pytest.mark.parametrize(
        "text",
        [
            "Hilfe!!!",
            "HILFEEE",
            "hilfeeeeee",
            "sos",
            "SOS SOS",
            "help me please",
            "Help!",
            "heeelp",
            "Hilfe bitte schnell",
            "bitte hilfe",
            "imdat!!",
            "🆘 hilfe 🆘",
        ],
    )
    def test_a_message_of_calls_and_fillers_is_an_emergency(self, text: str) -> None:
        assert CUES.find(text) == "emergency"

    @pytest.mark.parametrize(
        "text",
        [
            "Hilfe mit dem Brief",
            "ich brauche hilfe beim antrag",
            "help with my letter",
            "bitte",
            "bitte schnell",
            "ok",
            "me",
            "",
            "!!!",
        ],
    )
    def test_a_call_with_other_words_or_fillers_alone_is_not(self, text: str) -> None:
        assert CUES.find(text) is None

    def test_no_calls_configured(self) -> None:
        assert SafetyCues({"violence": ["schlägt mich"]}).find("hilfe") is None


class TestKinds:
    def test_the_first_cue_in_the_message_decides(self) -> None:
        assert CUES.find("herzinfarkt und er schlägt mich") == "emergency"
        assert CUES.find("er schlägt mich, jetzt herzinfarkt") == "violence"

    def test_the_first_listed_kind_wins_on_the_same_word(self) -> None:
        both = {"violence": ["messer"], "emergency": ["messer"]}
        assert SafetyCues(both).find("messer") == "violence"
        reverse = {"emergency": ["messer"], "violence": ["messer"]}
        assert SafetyCues(reverse).find("messer") == "emergency"

    def test_empty_and_unusable_cues_are_ignored(self) -> None:
        cues = SafetyCues({"violence": ["", "!!!", "*"], "emergency": ["bewusstlos"]})
        assert cues.find("!!! * bewusstlos") == "emergency"
        assert cues.find("!!!") is None

    def test_no_cues_find_nothing(self) -> None:
        assert SafetyCues({}).find("er schlägt mich") is None


class TestOddMessages:
    @pytest.mark.parametrize(
        "text",
        [
            "a" * 4096,
            "wort " * 819,
            ("lorem ipsum " * 400)[:4096],
            "x" * 4095 + "!",
            "😀" * 2000,
            "🙏🏽🙏🏽🙏🏽",
            "1234567890" * 400,
            "۱۲۳۴۵۶۷۸۹۰ ١٢٣",
            "Hallo مرحبا Привет 你好 שלום γειά",
            "\u200c\u200d\u200f\u202e",
            "\x00\x01\x02\n\t\r",
            "ـــــــ",
        ],
    )
    def test_never_crash(self, text: str) -> None:
        assert CUES.find(text) is None

    def test_a_cue_after_many_words_is_still_found(self) -> None:
        assert CUES.find("blah " * 300 + "er schlägt mich") == "violence"

    def test_a_long_message_with_a_cue_in_mixed_scripts(self) -> None:
        text = ("مرحبا hallo привет " * 50) + " زوجي يضربني"
        assert CUES.find(text) == "violence"

    def test_long_typo_words_are_remembered_without_trouble(self) -> None:
        words = " ".join(f"abcdefg{i}" for i in range(400))
        assert CUES.find(words) is None
        assert CUES.find(words + " vergewaltgt") is None  # beyond the first 400 words
