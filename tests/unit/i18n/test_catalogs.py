"""Catalogues: fallback, CLDR plurals, placeholders, review metadata, and their checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import Catalogs, Catalogue, Entry, load_catalogues
from bot.i18n.catalog import FSI, PDI, language_name, plural_category
from bot.i18n.checks import check_catalogues, check_labels

BAD = Path(__file__).parents[2] / "data" / "locales" / "bad"


@pytest.fixture
def texts() -> Catalogs:
    de = Catalogue(
        "de",
        "Deutsch",
        "ltr",
        {
            "a.hello": Entry("Hallo {name}!"),
            "a.places": Entry({"one": "{count} Ort", "other": "{count} Orte"}),
            "a.only_de": Entry("Nur Deutsch"),
        },
    )
    en = Catalogue("en", "English", "ltr", {"a.only_en": Entry("Only English")})
    uk = Catalogue(
        "uk",
        "Українська",
        "ltr",
        {
            "a.hello": Entry("Привіт, {name}!", review="machine"),
            "a.places": Entry(
                {
                    "one": "{count} місце",
                    "few": "{count} місця",
                    "many": "{count} місць",
                    "other": "{count} місця",
                }
            ),
        },
    )
    ar = Catalogue("ar", "العربية", "rtl", {"a.hello": Entry("مرحبا {name}")})
    return Catalogs({"de": de, "en": en, "uk": uk, "ar": ar}, ("de", "en"))


class TestLookup:
    def test_own_language_first(self, texts: Catalogs) -> None:
        assert texts.text("uk", "a.hello", name="Olena") == "Привіт, Olena!"

    def test_falls_back_along_the_chain(self, texts: Catalogs) -> None:
        assert texts.text("uk", "a.only_de") == "Nur Deutsch"
        assert texts.text("uk", "a.only_en") == "Only English"

    def test_missing_everywhere_shows_key(self, texts: Catalogs) -> None:
        assert texts.text("uk", "a.nowhere") == "a.nowhere"

    def test_unknown_placeholder_stays_visible(self, texts: Catalogs) -> None:
        assert texts.text("de", "a.hello") == "Hallo {name}!"

    @pytest.mark.parametrize(
        ("count", "expected"),
        [(1, "1 місце"), (3, "3 місця"), (5, "5 місць"), (21, "21 місце"), (11, "11 місць")],
    )
    def test_ukrainian_plurals_follow_cldr(
        self, texts: Catalogs, count: int, expected: str
    ) -> None:
        assert texts.text("uk", "a.places", count=count) == expected

    def test_german_plurals(self, texts: Catalogs) -> None:
        assert texts.text("de", "a.places", count=1) == "1 Ort"
        assert texts.text("de", "a.places", count=2) == "2 Orte"

    def test_arabic_plural_categories(self) -> None:
        assert [plural_category("ar", n) for n in (0, 1, 2, 3, 11, 100)] == [
            "zero",
            "one",
            "two",
            "few",
            "many",
            "other",
        ]

    def test_rtl_values_are_isolated(self, texts: Catalogs) -> None:
        assert texts.text("ar", "a.hello", name="Jobcenter") == f"مرحبا {FSI}Jobcenter{PDI}"

    def test_native_and_translated_language_names(self, texts: Catalogs) -> None:
        assert texts.native_name("ar") == "العربية"
        assert texts.native_name("ro") == "română"
        assert language_name("uk", "de") == "Ukrainisch"


def test_catalogue_files_golden() -> None:
    cats, docs, issues = load_catalogues(sorted(BAD.glob("*.yaml")), BAD)
    issues.extend(check_catalogues(cats, docs))
    issues.extend(check_labels(cats, docs, ["greet.button"]))
    expected = (BAD / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [str(i) for i in issues] == expected


def test_review_metadata_is_kept() -> None:
    cats, _, _ = load_catalogues(sorted(BAD.glob("*.yaml")), BAD)
    assert cats["uk"].entries["greet.hello"].review == "machine"
    assert cats["de"].entries["greet.hello"].review == "ok"
