"""Shared data for the nlu tests: small training sets written here, and a clean model cache."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.nlu import topics

LETTERS = (
    "ich habe einen brief vom jobcenter bekommen",
    "brief vom jobcenter verstehe ich nicht",
    "was steht in diesem brief",
    "bescheid vom amt bitte erklären",
    "post von der ausländerbehörde",
    "ich muss einen widerspruch schreiben",
    "mahnung im briefkasten gefunden",
    "formular ausfüllen hilfe beim antrag",
    "der brief hat eine frist bis freitag",
    "kann jemand meinen bescheid lesen",
    "schreiben vom jobcenter was bedeutet das",
    "antrag auf kindergeld ausfüllen",
)
HOUSING = (
    "ich suche eine wohnung",
    "der vermieter will die miete erhöhen",
    "wir brauchen eine größere wohnung",
    "die heizung in der wohnung ist kaputt",
    "schimmel im schlafzimmer",
    "mein vermieter hat mir gekündigt",
    "wohnung zu klein für die familie",
    "nebenkosten nachzahlung zu hoch",
    "wohnungssuche in hameln",
    "ich habe keine wohnung mehr",
    "miete nicht bezahlt was tun",
    "wohnberechtigungsschein beantragen",
)
FOOD = (
    "wo gibt es die tafel",
    "wir haben nichts zu essen",
    "lebensmittel für die kinder",
    "kein geld für essen",
    "tafel ausweis beantragen",
    "wann hat die tafel offen",
    "essen ausgabe in der nähe",
    "der kühlschrank ist leer",
    "brot und milch kostenlos",
    "mittagstisch für wenig geld",
    "ich habe hunger",
    "suppenküche öffnungszeiten",
)
VIOLENCE = (
    "mein mann tut mir weh",
    "er tut mir jeden abend weh",
    "ich habe angst vor meinem ehemann",
    "zu hause ist es gefährlich für mich",
    "er droht mir wenn ich rede",
    "mein freund lässt mich nicht aus der wohnung",
    "ich habe blaue flecken von ihm",
    "er sperrt mich ein",
    "mein partner wird gewalttätig",
    "ich fühle mich zu hause nicht sicher",
    "er kontrolliert mein handy und droht",
    "ich habe angst nach hause zu gehen",
)

SMALL_SET = (
    [(text, "letters") for text in LETTERS]
    + [(text, "housing") for text in HOUSING]
    + [(text, "food") for text in FOOD]
)
"""Three everyday topics, twelve examples each."""

DANGER_SET = [*SMALL_SET, *((text, "violence") for text in VIOLENCE)]
"""The same with a danger topic whose examples hold no safety cue."""


@pytest.fixture(autouse=True)
def fresh_models() -> Iterator[None]:
    """Each test trains (or loads) its own model; the models of other tests come back after."""
    kept = dict(topics._TRAINED)
    topics._TRAINED.clear()
    yield
    topics._TRAINED.clear()
    topics._TRAINED.update(kept)
