"""Which button a ``tap:`` means: the label as shown, the German label, or the option id.

Staff write labels without emoji, in any case; a label that fits no button gets a
did-you-mean and the list of buttons on screen.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from bot.cli.flowtests.model import closest
from bot.core.replies import Ask


def find_button(wanted: str, question: Ask, german: Mapping[str, str]) -> str | None:
    """The option id ``wanted`` names among the question's buttons; None when none fits.

    Raises :class:`AmbiguousLabel` when the words fit several buttons.
    """
    plain = _plain(wanted)
    for labels in ({option.id: option.label for option in question.options}, german):
        ids = [o.id for o in question.options if _plain(labels.get(o.id, "")) == plain]
        if len(ids) > 1:
            raise AmbiguousLabel(wanted, ids)
        if ids:
            return ids[0]
    return wanted if any(option.id == wanted for option in question.options) else None


class AmbiguousLabel(Exception):
    """The words of a ``tap:`` fit several buttons."""

    def __init__(self, wanted: str, ids: list[str]) -> None:
        super().__init__(
            f"»{wanted}« passt zu mehreren Knöpfen ({', '.join(ids)}); "
            "bitte die Option-ID schreiben."
        )


def no_such_button(wanted: str, question: Ask, german: Mapping[str, str]) -> str:
    """Why a tap fails: the closest button, and every button on screen with its id."""
    names: dict[str, str] = {}
    for option in question.options:
        for name in (option.label, german.get(option.id, ""), option.id):
            names.setdefault(_plain(name), name)  # suggested as written: shown, German, id
    close = closest(_plain(wanted), [name for name in names if name])
    hint = f" Meinten Sie »{names[close]}«?" if close else ""
    shown = " · ".join(
        _button(option.label, german.get(option.id), option.id) for option in question.options
    )
    return f"Knopf »{wanted}« ist nicht zu sehen.{hint}\n    Zu sehen: {shown}"


def _button(label: str, german: str | None, option: str) -> str:
    translated = f" = {german}" if german and german != label else ""
    return f"{label}{translated} [{option}]"


def _plain(text: str) -> str:
    """A label as staff may write it: no emoji, no punctuation, no case."""
    kept = "".join(char if _in_words(char) else " " for char in text)
    return " ".join(kept.casefold().split())


def _in_words(char: str) -> bool:
    """Letters, digits and the marks that belong to letters (not emoji variation selectors)."""
    if "\ufe00" <= char <= "\ufe0f":
        return False
    return unicodedata.category(char)[0] in "LNM"
