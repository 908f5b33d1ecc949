"""Read YAML into plain values while remembering where every value came from.

PyYAML's node tree already carries line and column marks; this module converts nodes to
Python values itself so that it can keep a map from each value's key path to its position.
It also makes YAML less surprising for staff:

* only ``true``/``false`` are booleans (YAML 1.1 would turn ``no``, ``off`` and ``ja``-like
  words into booleans, which breaks keyword lists and language codes such as ``no``);
* dates stay strings (the loaders parse them with a clear message);
* a key written twice in one mapping is reported instead of silently overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

import yaml

from bot.source.issues import Issue, Severity

Path = tuple[str | int, ...]
"""A key path into a document, e.g. ``("steps", "menu", "options", 0, "next")``."""


# libyaml's C parser is about ten times faster; positions and resolvers work the same.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader with YAML 1.2 booleans and no timestamp conversion."""


_DROPPED_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class Document:
    """A parsed YAML file: its value and the position of every value and key in it."""

    file: str
    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def where(self, path: Path) -> tuple[int, int]:
        """Return (line, column) of the deepest known value along ``path`` (1-based)."""
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.positions:
                return self.positions[path[:cut]]
        return (1, 1)

    def issue(
        self, path: Path, code: str, message: str, hint: str = "", *, warning: bool = False
    ) -> Issue:
        """Build an issue located at ``path`` in this document."""
        line, col = self.where(path)
        severity = Severity.WARNING if warning else Severity.ERROR
        return Issue(self.file, line, col, severity, code, message, hint)


def load_document(path: FilePath, display_name: str | None = None) -> Document:
    """Parse one YAML file; problems become issues in the returned document, never raise."""
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _failed(name, "Y001", "file not found", "check the path in config.yaml")
    except (OSError, UnicodeDecodeError) as exc:
        return _failed(name, "Y002", f"cannot read file: {exc}", "save it as UTF-8 text")
    return parse_document(text, name)


def parse_document(text: str, name: str) -> Document:
    """Parse YAML text held in memory (see :func:`load_document`)."""
    doc = Document(file=name, data=None)
    try:
        node = yaml.compose(text, Loader=_StrictLoader)
        if node is not None:
            doc.data = _Converter(doc).convert(node, ())
    except yaml.MarkedYAMLError as exc:
        doc.data = None
        doc.issues.append(_syntax_issue(name, exc))
    except yaml.YAMLError as exc:
        doc.data = None
        doc.issues.append(Issue(name, 1, 1, Severity.ERROR, "Y100", f"YAML error: {exc}"))
    return doc


def _syntax_issue(name: str, exc: yaml.MarkedYAMLError) -> Issue:
    """A YAML error at its position, with the context PyYAML knows ("while parsing …")."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context_mark
    if exc.problem and exc.context and context and context is not mark:
        problem += f" ({exc.context} at line {context.line + 1}, column {context.column + 1})"
    return Issue(
        name,
        line,
        col,
        Severity.ERROR,
        "Y100",
        f"YAML syntax error: {problem}",
        "check indentation, colons and quotes around this place",
    )


def load_documents(paths: Iterable[FilePath], root: FilePath | None = None) -> list[Document]:
    """Load several files, naming each relative to ``root`` where possible."""
    docs = []
    for path in sorted(paths):
        name = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        docs.append(load_document(path, name))
    return docs


def _failed(name: str, code: str, message: str, hint: str) -> Document:
    return Document(name, None, {}, [Issue(name, 1, 1, Severity.ERROR, code, message, hint)])


class _Converter:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.constructor = _StrictLoader("")

    def convert(self, node: yaml.Node, path: Path) -> Any:
        self.doc.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.constructor.construct_object(node, deep=True)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.constructor.construct_object(key_node, deep=True)
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = str(key)
            if key in result:
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                self.doc.issues.append(
                    Issue(
                        self.doc.file,
                        line,
                        col,
                        Severity.ERROR,
                        "Y101",
                        f"key {key!r} appears twice here",
                        "remove or rename one of them",
                    )
                )
            result[key] = self.convert(value_node, (*path, key))
            # Point key-related messages at the key itself, values at their value.
            self.doc.positions[(*path, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
        return result
