"""Texts as the console shows and edits them: every German key beside one language, with
its review state; an edit to one key of a ``locales/<lang>.yaml`` tree.

A reviewed key is written as an entry with ``review: ok`` and who reviewed it when::

    help:
      text: "…"
      review: ok
      reviewed: "Amal K. (123), 2026-12-07"

Keys without their own ``review`` keep the catalogue's ``meta.review`` (``machine`` for the
machine-made catalogues), so an untouched file stays as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from bot.console.editor import Change, Edit
from bot.console.yamlfile import like
from bot.i18n import Catalogs
from bot.i18n.catalog import Entry
from bot.i18n.checks import is_german_only

Status = Literal["missing", "machine", "reviewed"]
STATUSES: tuple[Status, ...] = ("missing", "machine", "reviewed")
Text = str | Mapping[str, str]
"""A text, or plural forms by CLDR category."""


@dataclass(frozen=True)
class TextRow:
    """One key: the German text, the translation (None when missing) and its state."""

    key: str
    german: Text
    text: Text | None
    status: Status


def status_of(entry: Entry | None) -> Status:
    """``missing``, ``reviewed`` (``review: ok``) or ``machine`` (machine or needs_review)."""
    if entry is None:
        return "missing"
    return "reviewed" if entry.review == "ok" else "machine"


def rows(texts: Catalogs, language: str) -> list[TextRow]:
    """Every German key (without the German-only staff texts for other languages)."""
    german = texts.catalogues["de"].entries
    target = texts.catalogues[language].entries if language in texts.catalogues else {}
    return [
        TextRow(
            key,
            entry.text,
            target[key].text if key in target else None,
            status_of(target.get(key)),
        )
        for key, entry in german.items()
        if language == "de" or not is_german_only(key)
    ]


def as_text(value: object) -> str:
    """A text or plural forms as one line for the change log."""
    if isinstance(value, Mapping):
        return "; ".join(f"{form}: {text}" for form, text in value.items())
    return "" if value is None else str(value)


def text_edit(key: str, new: Text, *, reviewed: str | None) -> Edit:
    """Set ``key`` to ``new`` in a catalogue tree; with ``reviewed`` ("who, date") mark it
    ``review: ok``. Groups and the key are created when the key is missing."""

    def apply(tree: Any) -> list[Change]:
        *groups, name = key.split(".")
        node = tree["messages"]
        for group in groups:
            if not isinstance(node.get(group), Mapping):
                node[group] = CommentedMap()
            node = node[group]
        old = node.get(name)
        entry = old if isinstance(old, CommentedMap) and "text" in old else None
        old_text = entry["text"] if entry is not None else old
        changes = []
        if as_text(old_text) != as_text(new):
            changes.append(Change(key, as_text(old_text), as_text(new)))
        value = _styled(old_text, new)
        if reviewed is not None:
            if entry is None:
                entry = CommentedMap()
                node[name] = entry
            before = str(entry.get("review", tree["meta"].get("review", "ok")))
            entry["text"] = value
            entry["review"] = "ok"
            entry["reviewed"] = DoubleQuotedScalarString(reviewed)
            changes.append(Change(f"{key} (review)", before, "ok"))
        elif entry is not None:
            entry["text"] = value
        else:
            node[name] = value
        return changes

    return apply


def _styled(old: object, new: Text) -> Any:
    """The new text in the old one's quoting; a new text in double quotes like the rest."""
    if isinstance(new, Mapping):
        forms = CommentedMap()
        for form, text in new.items():
            previous = old.get(form) if isinstance(old, Mapping) else None
            forms[form] = _styled(previous, text)
        return forms
    if old is None or not isinstance(old, str):
        return DoubleQuotedScalarString(new)
    return like(old, new)
