"""Turn pydantic validation errors into located, staff-readable issues."""

from __future__ import annotations

from collections.abc import Iterator
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, GetJsonSchemaHandler, ValidationError
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from bot.source.issues import Issue, did_you_mean
from bot.source.yamlpos import Document, Path

ModelT = TypeVar("ModelT", bound=BaseModel)


class NullAllowed:
    """Annotation marker: the editor schema also accepts an empty value (YAML null).

    For fields whose validator turns an empty ``hours:`` or ``handoff:`` into a default, so
    that the editor does not underline what the loader accepts.
    """

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Wrap the field's own schema: it, or null."""
        return {"anyOf": [handler(core_schema), {"type": "null"}]}


def validate_model(
    doc: Document, model: type[ModelT], value: Any, path: Path = (), code: str = "S100"
) -> tuple[ModelT | None, list[Issue]]:
    """Validate ``value`` (found at ``path`` in ``doc``) as ``model``.

    Returns the model, or None and one issue per problem pydantic found.
    """
    try:
        return model.model_validate(value), []
    except ValidationError as exc:
        found = issues_from_error(doc, exc, model=model, value=value, base=path, code=code)
        return None, list(found)


def issues_from_error(
    doc: Document,
    exc: ValidationError,
    *,
    model: type[BaseModel],
    value: Any,
    base: Path,
    code: str,
) -> Iterator[Issue]:
    """Yield one located issue per entry of a pydantic ``ValidationError``."""
    for err in exc.errors(include_url=False):
        path = _real_path(value, tuple(err["loc"]))
        where = ".".join(str(p) for p in path) or "top level"
        kind = err["type"]
        if kind == "extra_forbidden":
            key = str(path[-1])
            allowed = fields_at(model, path[:-1])
            hint = did_you_mean(key, allowed) or (
                f"allowed here: {', '.join(sorted(allowed))}" if allowed else ""
            )
            yield doc.issue((*base, *path), code, f"unknown key {key!r}", hint)
        elif kind == "missing":
            parent = ".".join(str(p) for p in path[:-1]) or "top level"
            yield doc.issue(
                (*base, *path[:-1]), code, f"{parent}: required key {path[-1]!r} is missing"
            )
        else:
            message = err["msg"].removeprefix("Value error, ")
            yield doc.issue((*base, *path), code, f"{where}: {message}")


def _real_path(value: Any, loc: tuple[Any, ...]) -> Path:
    """Drop the parts of a pydantic location that are union tags rather than real keys.

    The last part is kept even when absent from the input: it names a missing key.
    """
    path: list[str | int] = []
    node = value
    for index, part in enumerate(loc):
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            path.append(part)
            node = node[part]
        elif index == len(loc) - 1 and isinstance(part, str) and isinstance(node, dict):
            path.append(part)
    return tuple(path)


def fields_at(model: type[BaseModel], path: Path) -> set[str]:
    """The keys allowed in the mapping at ``path`` of a document validated as ``model``."""
    current: Any = model
    for part in path:
        current = _descend(current, part)
        if current is None:
            return set()
    models = [m for m in _members(current) if isinstance(m, type) and issubclass(m, BaseModel)]
    return {f.alias or name for m in models for name, f in m.model_fields.items()}


def _descend(annotation: Any, part: str | int) -> Any:
    for member in _members(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            field = member.model_fields.get(str(part)) or next(
                (f for f in member.model_fields.values() if f.alias == part), None
            )
            if field is not None:
                return field.annotation
        origin = get_origin(member)
        if origin in (list, dict):
            return get_args(member)[-1]
    return None


def _members(annotation: Any) -> list[Any]:
    """Flatten Optional/Union/Annotated into the plain types they allow."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _members(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return [m for arg in get_args(annotation) for m in _members(arg)]
    return [annotation]
