"""A poster's deep link (``/start kaisers-ar``): the resident agrees once, then sees the
card of the place the poster hangs at, in the poster's language, before the menu."""

from __future__ import annotations

import pytest
from real_lotse import TUESDAY_10, engine, worded_from

from bot.core.events import Button, Command, Start
from bot.core.replies import Ask, PlaceCard, Say
from bot.core.session import Session


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
def test_the_place_of_the_poster_comes_first(language: str) -> None:
    lotse = engine()
    started = lotse.handle(
        Start(at=TUESDAY_10, payload=f"kaisers-{language}"), Session(resident="t:1")
    )
    assert not any(isinstance(r, PlaceCard) for r in started.replies)  # consent first
    agreed = lotse.handle(Button(at=TUESDAY_10, step="_consent", option="agree"), started.session)
    kinds = [type(reply) for reply in agreed.replies]
    assert kinds.index(PlaceCard) < kinds.index(Ask)  # the card, then the menu
    [card] = [r for r in agreed.replies if isinstance(r, PlaceCard)]
    assert card.place_id == "kaisers"
    [intro] = [r for r in agreed.replies if isinstance(r, Say) and r.key == "system.entry_place"]
    assert worded_from(lotse.texts, language, "system.entry_place", intro.text)
    assert agreed.session.language == language
    assert agreed.session.vars["place"] == "kaisers"  # a handoff still goes there

    # Shown once: /start again (without a link) goes straight to the menu.
    again = lotse.handle(Command(at=TUESDAY_10, name="start"), agreed.session)
    assert not any(isinstance(r, PlaceCard) for r in again.replies)


def test_an_unknown_place_in_a_link_is_ignored() -> None:
    lotse = engine()
    started = lotse.handle(Start(at=TUESDAY_10, payload="nirgendwo-de"), Session(resident="t:2"))
    agreed = lotse.handle(Button(at=TUESDAY_10, step="_consent", option="agree"), started.session)
    assert not any(isinstance(r, PlaceCard) for r in agreed.replies)
    assert any(isinstance(r, Ask) for r in agreed.replies)
