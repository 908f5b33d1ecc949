"""Round-trip YAML for staff-edited files: comments, key order and quoting survive an edit.

ruamel.yaml keeps what PyYAML forgets (comments, the quotes a text was written with);
the settings below write every catalogue and places file of this repository back
byte for byte when nothing was changed, so an edit's diff is the edit.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString


class YamlFileError(ValueError):
    """The file on disk is not YAML any more (someone broke it by hand)."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long text onto a second line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def digest(text: str) -> str:
    """The version of a file's text that forms carry, to notice a change by someone else."""
    return hashlib.sha256(text.encode()).hexdigest()


def parse(text: str, name: str) -> Any:
    """The round-trip tree of ``text``."""
    try:
        return _yaml().load(text)
    except YAMLError as exc:
        msg = f"{name}: {exc}"
        raise YamlFileError(msg) from exc


def dump(tree: Any) -> str:
    """``tree`` as YAML text, in the file's own style."""
    out = io.StringIO()
    _yaml().dump(tree, out)
    return out.getvalue()


def like(old: object, new: str) -> Any:
    """``new`` written the way ``old`` was: the same quotes, a number stays a number."""
    if isinstance(old, ScalarString):
        return type(old)(new)
    if isinstance(old, int) and not isinstance(old, bool) and new.isdigit():
        return int(new)
    if old is None and "\n" in new:
        return DoubleQuotedScalarString(new)
    return new


def flow_list(items: list[str]) -> CommentedSeq:
    """A list written on one line, ``[a, b]``, as the places files write them."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def value_line(tree: CommentedMap, key: str) -> int:
    """The 1-based line of ``key`` in the text ``tree`` was parsed from."""
    line: int = tree.lc.key(key)[0]
    return line + 1


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` at once: a reader sees the old or the new file, never
    half of it, and a crash leaves the old one."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        Path(temp).chmod(path.stat().st_mode & 0o777 if path.exists() else 0o644)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
