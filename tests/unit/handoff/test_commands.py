"""Parsing staff messages in a case topic."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.handoff.commands import (
    Close,
    Note,
    NotForUs,
    Relay,
    StaffCommand,
    Transfer,
    Usage,
    UseTemplate,
    parse_staff_message,
    template_keys,
)
from bot.i18n import Catalogs

PLACES = ("kaisers", "kuckucktreff", "migration", "nordtreff")
TEMPLATES = ("call", "photo", "visit", "wait")
Parse = Callable[..., StaffCommand]


@pytest.fixture(scope="module")
def parse(texts: Catalogs) -> Parse:
    """Parse as in a topic of the test places, with the German usage lines of de.yaml."""

    def parse(text: str, *, bot: str | None = "LotseBot") -> StaffCommand:
        return parse_staff_message(
            text, texts=texts, place_ids=PLACES, template_keys=TEMPLATES, bot_username=bot
        )

    return parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/close", Close()),
        ("  /close  ", Close()),
        ("/CLOSE", Close()),
        ("/close@LotseBot", Close()),
        ("/transfer migration", Transfer("migration")),
        ("/transfer  Kaisers ", Transfer("kaisers")),
        ("/transfer@lotsebot nordtreff", Transfer("nordtreff")),
        ("/note Ruft morgen an\nbraucht Dolmetscher", Note("Ruft morgen an\nbraucht Dolmetscher")),
        ("/template wait", UseTemplate("wait")),
        ("/template Photo", UseTemplate("photo")),
    ],
)
def test_commands(parse: Parse, text: str, expected: StaffCommand) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Guten Tag, kommen Sie morgen um 10 Uhr.",
        "Schreiben Sie /start, wenn Sie fertig sind.",
        "/ das ist kein Befehl",
        "",
    ],
)
def test_everything_else_is_relayed_unchanged(parse: Parse, text: str) -> None:
    assert parse(text) == Relay(text)


def test_a_command_for_another_bot_is_not_ours(parse: Parse) -> None:
    assert parse("/close@OtherBot") == NotForUs()
    assert parse("/close@OtherBot", bot=None) == Close()


@pytest.mark.parametrize(
    ("text", "usage"),
    [
        ("/close jetzt bitte", "So geht es: /close – schließt den Fall, ohne weitere Angaben."),
        ("/transfer", "So geht es: /transfer <Ort>, zum Beispiel /transfer kaisers"),
        (
            "/transfer kaisers nordtreff",
            "So geht es: /transfer <Ort>, zum Beispiel /transfer kaisers",
        ),
        ("/note", "So geht es: /note <Text>. Notizen sieht nur das Team."),
        ("/note   ", "So geht es: /note <Text>. Notizen sieht nur das Team."),
        ("/template", "So geht es: /template <Name>. Vorlagen: call, photo, visit, wait"),
        (
            "/template wait now",
            "So geht es: /template <Name>. Vorlagen: call, photo, visit, wait",
        ),
    ],
)
def test_missing_or_wrong_arguments_give_a_usage_line(parse: Parse, text: str, usage: str) -> None:
    assert parse(text) == Usage(usage)


def test_unknown_place_suggests_the_closest_id(parse: Parse) -> None:
    assert parse("/transfer kaiser") == Usage(
        "Den Ort „kaiser“ kenne ich nicht. Meinten Sie kaisers? So geht es: /transfer <Ort>"
    )
    assert parse("/transfer Bahnhof") == Usage(
        "Den Ort „Bahnhof“ kenne ich nicht. So geht es: /transfer <Ort>"
    )


def test_unknown_template_lists_the_templates(parse: Parse, texts: Catalogs) -> None:
    assert parse("/template wiat") == Usage(
        "Die Vorlage „wiat“ gibt es nicht. Meinten Sie wait? Vorlagen: call, photo, visit, wait"
    )
    assert parse_staff_message(
        "/template wait", texts=texts, place_ids=PLACES, template_keys=()
    ) == Usage("Die Vorlage „wait“ gibt es nicht. Vorlagen: keine")


def test_a_mistyped_command_is_not_relayed(parse: Parse) -> None:
    assert parse("/clsoe") == Usage(
        "Den Befehl /clsoe kenne ich nicht. Meinten Sie /close? "
        "Befehle: /close · /transfer <Ort> · /note <Text> · /template <Name>"
    )
    assert parse("/help") == Usage(
        "Den Befehl /help kenne ich nicht. "
        "Befehle: /close · /transfer <Ort> · /note <Text> · /template <Name>"
    )


def test_template_keys_come_from_the_german_catalogue(texts: Catalogs) -> None:
    assert template_keys(texts) == ["call", "interpreter", "photo", "visit", "wait"]
    assert template_keys(texts, "xx") == []
