"""Read places and quarters files and report every problem of every file at once.

Each record is validated on its own, so one broken place hides nothing about the others;
then the checks across records run over everything that validated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from bot.directory import checks
from bot.directory.checks import Located
from bot.directory.directory import PlaceDirectory
from bot.directory.model import Place, PlacesFile, Quarter
from bot.directory.streets import StreetIndex
from bot.source import Document, Issue, IssueList, Severity, load_documents
from bot.source import Path as KeyPath
from bot.source.issues import did_you_mean
from bot.source.schema import issues_from_error

ModelT = TypeVar("ModelT", Place, Quarter)

SECTIONS = tuple(PlacesFile.model_fields)
"""The top-level keys a places file may have."""

_FILE_PATTERNS = ("*.yaml", "*.yml")


def load_directory(
    source: Path | Iterable[Path], root: Path | None = None, *, strict: bool = False
) -> tuple[PlaceDirectory | None, list[Issue]]:
    """Load places and quarters from a folder or from files.

    Args:
        source: A folder (every ``*.yaml`` in it) or a list of files. A file may hold
            ``quarters:``, ``places:`` or both.
        root: Issues name files relative to this folder; defaults to the folder's parent
            when ``source`` is a folder (so names read ``places/beratung.yaml``).
        strict: Also list what staff may add later: places without coordinates (P206).

    Returns:
        The directory, or None when there is any error; and every issue, errors and warnings,
        sorted by file and line.
    """
    if isinstance(source, Path) and source.is_dir():
        paths = sorted(p for pattern in _FILE_PATTERNS for p in source.glob(pattern))
        root = root or source.parent
        if not paths:
            issue = Issue(
                str(source),
                1,
                1,
                Severity.ERROR,
                "P116",
                "no places files (*.yaml) in this folder",
            )
            return None, [issue]
    else:
        paths = [source] if isinstance(source, Path) else list(source)
    issues = IssueList()
    quarters: list[Located[Quarter]] = []
    places: list[Located[Place]] = []
    for doc in load_documents(paths, root):
        issues.extend(doc.issues)
        for section, index, raw in _entries(doc, issues):
            path: KeyPath = (section, index)
            if section == "quarters":
                quarters.extend(_validate(doc, Quarter, raw, path, issues))
            else:
                places.extend(_validate(doc, Place, raw, path, issues))
    streets = StreetIndex(q.record for q in quarters)
    quarter_ids = [q.record.id for q in quarters]
    issues.extend(checks.duplicate_ids(quarters, "quarter"))
    issues.extend(checks.duplicate_ids(places, "place"))
    issues.extend(checks.unknown_quarters(places, quarter_ids))
    issues.extend(checks.streets_in_two_quarters(quarters))
    issues.extend(checks.confidential_addresses(places))
    issues.extend(checks.address_quarters(places, streets))
    issues.extend(checks.centroids_estimated(quarters))
    issues.extend(checks.gaps(places))
    issues.extend(checks.undated(places))
    if strict:
        issues.extend(checks.without_coordinates(places))
    if issues.errors:
        return None, list(issues)
    origins = {p.record.id: p.where for p in places}
    records = [p.record for p in places]
    return PlaceDirectory([q.record for q in quarters], records, origins), list(issues)


def _entries(doc: Document, issues: IssueList) -> Iterator[tuple[str, int, Any]]:
    """Yield (section, index, raw entry) of a file, reporting a wrong top-level shape."""
    if doc.data is None:
        return
    if not isinstance(doc.data, dict):
        issues.add(
            doc.issue(
                (),
                "P116",
                "a places file must be a mapping",
                "start with 'places:' or 'quarters:'",
            )
        )
        return
    for key, value in doc.data.items():
        if key not in SECTIONS:
            hint = did_you_mean(str(key), SECTIONS) or "allowed: places, quarters"
            issues.add(doc.issue((key,), "P116", f"unknown top-level key {key!r}", hint))
        elif value is not None and not isinstance(value, list):
            issues.add(
                doc.issue(
                    (key,),
                    "P116",
                    f"{key!r} must be a list of entries",
                    f"write each entry under {key}: starting with '- id: …'",
                )
            )
        else:
            yield from ((key, i, raw) for i, raw in enumerate(value or ()))


def _validate(
    doc: Document, model: type[ModelT], raw: Any, path: KeyPath, issues: IssueList
) -> list[Located[ModelT]]:
    """Validate one entry; on failure add one located issue per problem and return []."""
    try:
        return [Located(model.model_validate(raw), doc, path)]
    except ValidationError as exc:
        what = model.__name__.lower()
        ident = raw.get("id") if isinstance(raw, dict) else None
        label = f"{what} {ident!r}" if isinstance(ident, str) else f"{what} #{path[-1]}"
        errors = exc.errors(include_url=False)
        located = issues_from_error(doc, exc, model=model, value=raw, base=path, code="P100")
        for err, issue in zip(errors, located, strict=True):
            issues.add(_recode(err, issue, label, model))
        return []


def _recode(err: Any, issue: Issue, label: str, model: type[BaseModel]) -> Issue:
    """Give an issue the code and hint of our own errors, and name the record it is in."""
    ctx = err.get("ctx") or {}
    code, hint = issue.code, issue.hint
    if err["type"].startswith("P") and err["type"][1:].isdigit():
        code, hint = err["type"], ctx.get("hint", "")
    elif err["type"] == "extra_forbidden" and not hint:
        # bot.source's fields_at does not look into tuple[Model, ...] fields; do it here.
        allowed = _keys_at(model, err["loc"][:-1])
        hint = did_you_mean(str(err["loc"][-1]), allowed) or (
            f"allowed here: {', '.join(allowed)}" if allowed else ""
        )
    message = issue.message.removeprefix("top level: ")  # the record is named instead
    return dataclasses.replace(issue, code=code, hint=hint, message=f"{label}: {message}")


def _keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model nested at ``loc`` accepts (for "unknown key" hints)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        fields = {f.alias or name: f for name, f in current.model_fields.items()}
        field = fields.get(str(part))
        current = _model_in(field.annotation) if field else None
    if current is None:
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """Find the model inside an annotation such as ``tuple[Slot, ...]`` or ``Contact | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
