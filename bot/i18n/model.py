"""The shape of a catalogue file, ``locales/<lang>.yaml``: for the loader and the editor.

The loader walks ``messages`` itself (it reports each problem at its line and flattens the
groups into dotted keys); these models name the allowed keys and values once, so that the
loader and the JSON schema in ``schemas/`` cannot drift apart.
"""

from __future__ import annotations

from typing import Annotated, Literal, Required, get_args

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from typing_extensions import TypeAliasType, TypedDict

from bot.i18n.catalog import PLURAL_CATEGORIES

Review = Literal["ok", "machine", "needs_review"]
"""``ok`` (checked by a person), ``machine`` (machine-made) or ``needs_review``."""
REVIEW_STATES: tuple[str, ...] = get_args(Review)


class Meta(BaseModel):
    """The ``meta`` block of a catalogue."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)
    language: str
    """The language code, the same as the file name (``ar`` in ``ar.yaml``)."""
    name: str
    """The language's name in its own script, shown in the language menu."""
    direction: Literal["ltr", "rtl"] = "ltr"
    review: Review = "ok"
    """Default review state of every entry; an entry may say otherwise."""
    translator: str = ""
    note: str = ""


PluralForms = Annotated[
    dict[str, str],
    WithJsonSchema(
        {
            "type": "object",
            "description": "Plural forms by CLDR category; 'other' is always needed.",
            "properties": {category: {"type": "string"} for category in PLURAL_CATEGORIES},
            "required": ["other"],
            "additionalProperties": False,
        }
    ),
]


class TextEntry(TypedDict, total=False):
    """A text with its own review state or a note for translators."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    text: Required[str | PluralForms]
    review: Review
    reviewed: str
    """Who checked the text and when, e.g. "Amal K. (123), 2026-12-07" (the console
    writes it with ``review: ok``)."""
    note: str


class _Group:
    """Editor schema of a group: a mapping with a ``text`` key is an entry, as the loader
    reads it, so a wrong ``review:`` in an entry is underlined, not taken for a group."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(core_schema), "not": {"required": ["text"]}}


Messages = TypeAliasType(
    "Messages", "Annotated[dict[str, str | PluralForms | TextEntry | Messages], _Group()]"
)
"""Texts by key; a mapping of further keys is a group (``system:`` → ``system.help``)."""


class CatalogueFile(BaseModel):
    """A catalogue: ``locales/<lang>.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)
    meta: Meta
    messages: Messages = Field(default_factory=dict)
