"""Places as forms: the fields staff edit most, for a place and for each of its offers, read
from and written back into the round-trip tree of a ``places/*.yaml`` file.

Hours, closures, coordinates and provenance stay in the file (their structure does not fit
a short form; docs/handbuch/orte.md shows how to edit them there).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.console.editor import Change, Edit
from bot.console.yamlfile import flow_list, like, value_line

Key = tuple[str, ...]


@dataclass(frozen=True)
class Field:
    """A form field: its path under the place or offer, and whether it is a list."""

    path: Key
    many: bool = False
    long: bool = False

    @property
    def name(self) -> str:
        """The name in the form and the German label's key."""
        return ".".join(self.path)


PLACE_FIELDS = (
    Field(("name",)),
    Field(("kind",)),
    Field(("carrier",)),
    Field(("quarter",)),
    Field(("address", "street")),
    Field(("address", "plz")),
    Field(("contact", "phone")),
    Field(("contact", "email")),
    Field(("contact", "website")),
    Field(("languages",), many=True),
    Field(("topics",), many=True),
    Field(("audience",), many=True),
    Field(("accessibility",)),
    Field(("description",), long=True),
)
OFFER_FIELDS = (
    Field(("name",)),
    Field(("kind",)),
    Field(("phone",)),
    Field(("languages",), many=True),
    Field(("topics",), many=True),
    Field(("audience",), many=True),
    Field(("source",)),
    Field(("as_of",)),
    Field(("confidence",)),
    Field(("note",), long=True),
)


def form_name(offer: int | None, field: Field) -> str:
    """``name`` for the place, ``offer.2.name`` for its third offer."""
    return field.name if offer is None else f"offer.{offer}.{field.name}"


def read(record: Mapping[str, Any], field: Field) -> str:
    """A field's value as the form shows it (lists as "a, b")."""
    value: Any = record
    for key in field.path:
        value = value.get(key) if isinstance(value, Mapping) else None
    if value is None:
        return ""
    if field.many and isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def find(tree: Any, place_id: str) -> CommentedMap | None:
    """The place with ``place_id`` in a places file's tree."""
    places = tree.get("places") if isinstance(tree, Mapping) else None
    for place in places or []:
        if isinstance(place, CommentedMap) and str(place.get("id")) == place_id:
            return place
    return None


def offers(place: CommentedMap) -> list[CommentedMap]:
    """The offers of a place (an empty list when it has none)."""
    found = place.get("offers")
    return [o for o in found if isinstance(o, CommentedMap)] if isinstance(found, list) else []


def fields_of(place: CommentedMap) -> Iterator[tuple[int | None, Field, CommentedMap]]:
    """Every form field with its offer number (None for the place) and record."""
    for field in PLACE_FIELDS:
        yield None, field, place
    for number, offer in enumerate(offers(place)):
        for field in OFFER_FIELDS:
            yield number, field, offer


def place_edit(place_id: str, values: Mapping[str, str]) -> Edit:
    """Write the posted ``values`` (by form name) into the place; an empty field removes
    the key, and an unchanged one is left exactly as written."""

    def apply(tree: Any) -> list[Change]:
        place = find(tree, place_id)
        if place is None:
            msg = f"place {place_id!r} is not in this file any more"
            raise KeyError(msg)
        changes = []
        for offer, field, record in fields_of(place):
            name = form_name(offer, field)
            if name not in values:
                continue
            old, new = read(record, field), values[name].strip().replace("\r\n", "\n")
            if old != new:
                _write(record, field, new)
                changes.append(Change(f"{place_id}.{name}", old, new))
        return changes

    return apply


def _write(record: CommentedMap, field: Field, new: str) -> None:
    *parents, key = field.path
    node = record
    for parent in parents:
        if not isinstance(node.get(parent), Mapping):
            if not new:
                return
            node[parent] = CommentedMap()
        node = node[parent]
    if not new:
        node.pop(key, None)
        if parents and not node:
            record.pop(parents[0], None)
        return
    if field.many:
        node[key] = flow_list([item.strip() for item in new.split(",") if item.strip()])
    else:
        node[key] = like(node.get(key), new)


def field_lines(tree: Any, place_id: str) -> dict[int, str]:
    """Line → form name of each field of a place that is written in the file (the line of
    its key), to put the validator's findings beside their fields."""
    place = find(tree, place_id)
    if place is None:
        return {}
    lines: dict[int, str] = {}
    for offer, field, record in fields_of(place):
        node: Any = record
        for key in field.path[:-1]:
            node = node.get(key) if isinstance(node, Mapping) else None
        if isinstance(node, CommentedMap) and field.path[-1] in node:
            lines[value_line(node, field.path[-1])] = form_name(offer, field)
    return lines


def place_lines(tree: Any, place_id: str) -> range:
    """The lines the place takes in its file (to tell its findings from others')."""
    places = tree.get("places") if isinstance(tree, Mapping) else None
    if not isinstance(places, CommentedSeq):
        return range(0)
    ids = [str(p.get("id")) if isinstance(p, Mapping) else "" for p in places]
    if place_id not in ids:
        return range(0)
    index = ids.index(place_id)
    start = places.lc.item(index)[0] + 1
    end = places.lc.item(index + 1)[0] + 1 if index + 1 < len(places) else 10**9
    return range(start, end)
