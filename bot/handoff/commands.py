"""Staff messages in a case topic: commands for Lotse, or words for the resident.

``/close``, ``/transfer <place>``, ``/note <text>`` and ``/template <name>`` are commands;
anything else is relayed. A mistyped command (``/clsoe``) is answered with a usage line
rather than relayed, because a resident should never receive a half-typed command.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass

from bot.handoff.staff_texts import staff_text
from bot.handoff.translation import STAFF_LANGUAGE
from bot.i18n import Catalogs

TEMPLATE_PREFIX = "handoff.template."
"""Canned answers live in the catalogues under this prefix, one key per template."""

COMMANDS = ("close", "transfer", "note", "template")

# "/transfer@LotseBot kaisers": Telegram appends the bot's name in groups with several bots.
_COMMAND = re.compile(r"/(?P<name>[A-Za-z0-9_]+)(?:@(?P<bot>[A-Za-z0-9_]+))?(?:\s+(?P<rest>.*))?",
                      re.DOTALL)  # fmt: skip


@dataclass(frozen=True)
class Close:
    """Close the case."""


@dataclass(frozen=True)
class Transfer:
    """Hand the case to another place; ``place_id`` is known to the directory."""

    place_id: str


@dataclass(frozen=True)
class Note:
    """A note for the team: stored with the case, never relayed."""

    text: str


@dataclass(frozen=True)
class UseTemplate:
    """Send the canned answer ``handoff.template.<key>`` in the resident's language."""

    key: str


@dataclass(frozen=True)
class Relay:
    """Words for the resident."""

    text: str


@dataclass(frozen=True)
class Usage:
    """A short German line to post back in the topic: the command was incomplete or wrong.

    Plain text: escape it for HTML.
    """

    text: str


@dataclass(frozen=True)
class NotForUs:
    """A command addressed to another bot in the group (``/close@OtherBot``): ignore it."""


StaffCommand = Close | Transfer | Note | UseTemplate | Relay | Usage | NotForUs


def parse_staff_message(
    text: str,
    *,
    texts: Catalogs,
    place_ids: Collection[str],
    template_keys: Collection[str],
    bot_username: str | None = None,
) -> StaffCommand:
    """Read a staff message posted in a case topic.

    Args:
        text: The message text (or a media caption).
        texts: The catalogues, for the German usage lines.
        place_ids: Every place id of the directory, for ``/transfer``.
        template_keys: The available templates (see :func:`template_keys`).
        bot_username: Lotse's username; a command addressed to another bot is not ours.

    Returns:
        The command, a relay of the text, or a usage line when a command was wrong.
    """
    match = _COMMAND.fullmatch(text.strip())
    if match is None:
        return Relay(text)
    bot = match["bot"]
    if bot and bot_username and bot.casefold() != bot_username.casefold():
        return NotForUs()
    name = match["name"].casefold()
    rest = (match["rest"] or "").strip()
    if name == "close":
        return Close() if not rest else Usage(staff_text(texts, "handoff.staff.usage_close"))
    if name == "transfer":
        return _transfer(rest, place_ids, texts)
    if name == "note":
        return Note(rest) if rest else Usage(staff_text(texts, "handoff.staff.usage_note"))
    if name == "template":
        return _template(rest, template_keys, texts)
    hint = _did_you_mean(name, COMMANDS, texts, prefix="/")
    return Usage(staff_text(texts, "handoff.staff.unknown_command", command=name, hint=hint))


def template_keys(texts: Catalogs, language: str = STAFF_LANGUAGE) -> list[str]:
    """The template names the German catalogue defines (``handoff.template.<name>``).

    Args:
        texts: The catalogues.
        language: Whose entries count; German is the source, so every template is there.

    Returns:
        The names, sorted.
    """
    catalogue = texts.catalogues.get(language)
    if catalogue is None:
        return []
    return sorted(
        key.removeprefix(TEMPLATE_PREFIX)
        for key in catalogue.entries
        if key.startswith(TEMPLATE_PREFIX)
    )


def _transfer(rest: str, place_ids: Collection[str], texts: Catalogs) -> StaffCommand:
    words = rest.split()
    if len(words) != 1:
        example = min(place_ids) if place_ids else "kaisers"
        return Usage(staff_text(texts, "handoff.staff.usage_transfer", example=example))
    place = words[0].casefold()
    if place in place_ids:
        return Transfer(place)
    hint = _did_you_mean(place, place_ids, texts)
    return Usage(staff_text(texts, "handoff.staff.unknown_place", place=words[0], hint=hint))


def _template(rest: str, keys: Collection[str], texts: Catalogs) -> StaffCommand:
    listed = ", ".join(sorted(keys)) or staff_text(texts, "handoff.staff.no_templates")
    words = rest.split()
    if len(words) != 1:
        return Usage(staff_text(texts, "handoff.staff.usage_template", keys=listed))
    key = words[0].casefold()
    if key in keys:
        return UseTemplate(key)
    hint = _did_you_mean(key, keys, texts)
    return Usage(
        staff_text(texts, "handoff.staff.unknown_template", key=words[0], hint=hint, keys=listed)
    )


def _did_you_mean(
    word: str, choices: Collection[str], texts: Catalogs, *, prefix: str = ""
) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    if not close:
        return ""
    return staff_text(texts, "handoff.staff.did_you_mean", suggestion=prefix + close[0])
