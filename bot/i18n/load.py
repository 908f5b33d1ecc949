"""Read ``locales/<lang>.yaml`` files into catalogues, collecting located issues."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bot.i18n.catalog import PLURAL_CATEGORIES, RTL_LANGUAGES, Catalogue, Entry
from bot.i18n.model import REVIEW_STATES, CatalogueFile, Meta, TextEntry
from bot.source import Document, IssueList, load_documents
from bot.source import Path as KeyPath
from bot.source.schema import validate_model

TOP_LEVEL_KEYS = frozenset(CatalogueFile.model_fields)
ENTRY_KEYS = TextEntry.__required_keys__ | TextEntry.__optional_keys__


def load_catalogues(
    paths: Iterable[Path], root: Path | None = None
) -> tuple[dict[str, Catalogue], dict[str, Document], IssueList]:
    """Load catalogue files; returns catalogues by language, their documents, and issues."""
    issues = IssueList()
    catalogues: dict[str, Catalogue] = {}
    docs: dict[str, Document] = {}
    for doc in load_documents(paths, root):
        issues.extend(doc.issues)
        cat = _catalogue_from(doc, issues)
        if cat is None:
            continue
        if cat.language in catalogues:
            issues.add(
                doc.issue(
                    ("meta", "language"),
                    "L100",
                    f"language {cat.language!r} has two catalogues",
                    f"also in {docs[cat.language].file}",
                )
            )
            continue
        catalogues[cat.language] = cat
        docs[cat.language] = doc
    return catalogues, docs, issues


def _catalogue_from(doc: Document, issues: IssueList) -> Catalogue | None:
    data = doc.data
    if not isinstance(data, dict) or "meta" not in data:
        if not doc.issues:
            issues.add(doc.issue((), "L100", "a catalogue needs 'meta' and 'messages'"))
        return None
    meta, meta_issues = validate_model(doc, Meta, data["meta"], ("meta",), code="L100")
    issues.extend(meta_issues)
    extra = set(data) - TOP_LEVEL_KEYS
    for key in sorted(extra, key=str):
        issues.add(
            doc.issue(
                (key,),
                "L100",
                f"unknown top-level key {key!r}",
                "a catalogue has only 'meta' and 'messages'",
            )
        )
    if meta is None:
        return None
    stem = Path(doc.file).stem
    if stem != meta.language:
        issues.add(
            doc.issue(
                ("meta", "language"),
                "L100",
                f"file {doc.file} declares language {meta.language!r}",
                f"name the file {meta.language}.yaml or fix meta.language",
            )
        )
    if (meta.direction == "rtl") != (meta.language in RTL_LANGUAGES):
        issues.add(
            doc.issue(
                ("meta", "direction"),
                "L100",
                f"direction {meta.direction!r} looks wrong for {meta.language!r}",
                warning=True,
            )
        )
    entries: dict[str, Entry] = {}
    _flatten(
        doc,
        data.get("messages") or {},
        ("messages",),
        prefix="",
        review=meta.review,
        out=entries,
        issues=issues,
    )
    return Catalogue(meta.language, meta.name, meta.direction, entries)


def _flatten(
    doc: Document,
    node: Any,
    path: KeyPath,
    *,
    prefix: str,
    review: str,
    out: dict[str, Entry],
    issues: IssueList,
) -> None:
    if not isinstance(node, dict):
        issues.add(doc.issue(path, "L100", "messages must be a mapping of keys to texts"))
        return
    for name, value in node.items():
        key = f"{prefix}.{name}" if prefix else str(name)
        here = (*path, name)
        if isinstance(value, str):
            out[key] = Entry(value, review)
        elif _is_plural(value):
            out[key] = Entry(dict(value), review)
        elif isinstance(value, dict) and "text" in value:
            entry = _entry_with_meta(doc, value, here, review, issues)
            if entry:
                out[key] = entry
        elif isinstance(value, dict):
            _flatten(doc, value, here, prefix=key, review=review, out=out, issues=issues)
        else:
            issues.add(
                doc.issue(
                    here,
                    "L100",
                    f"{key}: a text must be a string",
                    'put quotes around it, e.g. "Ja"',
                )
            )


def _entry_with_meta(
    doc: Document, value: Mapping[str, Any], here: KeyPath, review: str, issues: IssueList
) -> Entry | None:
    unknown = set(value) - ENTRY_KEYS
    if unknown:
        issues.add(
            doc.issue(
                here,
                "L100",
                f"unknown entry keys: {', '.join(sorted(unknown))}",
                "an entry takes text, review, reviewed and note",
            )
        )
    state = value.get("review", review)
    if state not in REVIEW_STATES:
        issues.add(
            doc.issue(
                (*here, "review"),
                "L100",
                f"review must be one of {', '.join(REVIEW_STATES)}, not {state!r}",
            )
        )
        state = "needs_review"
    text = value["text"]
    if isinstance(text, str) or _is_plural(text):
        return Entry(text if isinstance(text, str) else dict(text), str(state))
    issues.add(doc.issue((*here, "text"), "L100", "text must be a string or plural forms"))
    return None


def _is_plural(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and "other" in value
        and set(value) <= set(PLURAL_CATEGORIES)
        and all(isinstance(v, str) for v in value.values())
    )
