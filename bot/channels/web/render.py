"""Engine replies → small JSON messages for the web page (which builds the DOM from them).

Texts stay plain: the page puts them into text nodes, never into HTML, so nothing a
resident, staff member or data file wrote can become markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.core.replies import Ask, AskLocation, End, HandOff, PlaceCard, Reply, Say
from bot.i18n import Catalogs

Message = dict[str, Any]
_NOT_DIALLED = re.compile(r"[^0-9+]")


def say(text: str) -> Message:
    """A plain message."""
    return {"kind": "say", "text": text}


def render_all(replies: Sequence[Reply], *, language: str, texts: Catalogs) -> list[Message]:
    """The page's messages for an engine's replies (replies without text give none)."""
    return [m for reply in replies if (m := render(reply, language=language, texts=texts))]


def render(reply: Reply, *, language: str, texts: Catalogs) -> Message | None:
    """One reply as the page shows it: a bubble, a question with buttons, or a card."""
    if isinstance(reply, Say):
        return say(reply.text)
    if isinstance(reply, Ask):
        options = [{"id": o.id, "label": o.label} for o in reply.options]
        return {"kind": "ask", "text": reply.text, "step": reply.step, "options": options}
    if isinstance(reply, AskLocation):
        return {"kind": "location", "text": reply.text, "button": reply.button}
    if isinstance(reply, PlaceCard):
        return place_card(reply, language=language, texts=texts)
    if isinstance(reply, HandOff | End) and reply.text:
        return say(reply.text)
    return None  # the rest (EraseData, LeaveHandOff) the page does not show


def place_card(card: PlaceCard, *, language: str, texts: Catalogs) -> Message:
    """Name, address, the card's lines (opening, offers, languages, caution), phone as a
    ``tel:`` link, e-mail, website and map link; empty fields are left out."""
    message: Message = {"kind": "place", "name": card.name, "lines": list(card.lines)}
    if card.address:
        message["address"] = card.address
    if card.phone:
        message["phone"] = card.phone
        message["tel"] = "tel:" + _NOT_DIALLED.sub("", card.phone)
    if card.email:
        message["email"] = card.email
    if card.website:
        message["website"] = card.website
    if card.map_url:
        message["map"] = card.map_url
        message["map_label"] = texts.text(language, "web.map")
    return message
