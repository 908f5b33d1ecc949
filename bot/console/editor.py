"""Saving an edit: refused on a conflict or an invalid result, else written at once, logged
and hot-reloaded. Nothing else in the console writes content files.

A form carries the version (hash) of the file it was made from. The save compares it with
the file on disk under a lock, so of two staff saving the same file the second is told
what changed and keeps their text in the form; no edit is lost. The whole content is then
loaded from a draft copy and checked as ``python -m bot validate`` checks it; only a clean
result is written (temp file + rename) and reloaded, so the running bot never sees a bad
file.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.console.deps import Reload
from bot.console.drafts import check_draft
from bot.console.yamlfile import digest, dump, parse, write_atomically
from bot.source import Issue
from bot.staff_service import ContentChange, StaffService


@dataclass(frozen=True)
class Change:
    """One changed value of an edit, for the log: key, old and new as text."""

    key: str
    old: str
    new: str


Edit = Callable[[Any], list[Change]]
"""Changes a parsed file in place and says what it changed."""


@dataclass(frozen=True)
class Saved:
    """The outcome of a save."""

    version: str
    """The file's version now (the new one when saved)."""
    changes: list[Change] = field(default_factory=list)
    conflict: list[ContentChange] | None = None
    """Set when the file changed since the form was made: the edits since then (empty
    when the change was made outside the console)."""
    errors: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the edit is on disk and in the running bot."""
        return self.conflict is None and not self.errors


class Editor:
    """Applies staff edits to content files, one save at a time."""

    def __init__(self, settings: Settings, staff: StaffService, reload: Reload) -> None:
        self.settings = settings
        self.staff = staff
        self.reload = reload
        self._lock = asyncio.Lock()

    def name(self, path: Path) -> str:
        """A file's name as issues and the change log write it (``locales/ar.yaml``)."""
        resolved = path.resolve()
        base = self.settings.base_dir.resolve()
        return str(resolved.relative_to(base)) if resolved.is_relative_to(base) else str(path)

    @staticmethod
    def read(path: Path) -> tuple[str, str]:
        """A file's text and version."""
        text = path.read_text(encoding="utf-8")
        return text, digest(text)

    def draft(self, path: Path, edit: Edit) -> tuple[str, list[Change]]:
        """The file's text with ``edit`` applied, not written anywhere."""
        text, _ = self.read(path)
        tree = parse(text, self.name(path))
        changes = edit(tree)
        return dump(tree), changes

    async def save(
        self, path: Path, version: str, seen_change: int, edit: Edit, *, who: str
    ) -> Saved:
        """Apply ``edit`` to ``path`` if it is still at ``version`` and the result is valid.

        ``seen_change`` is the newest change-log id the form knew, to show the others'
        edits on a conflict.
        """
        async with self._lock:
            text, current = self.read(path)
            if current != version:
                since = await self.staff.changes(file=self.name(path), after_id=seen_change)
                return Saved(current, conflict=since)
            tree = parse(text, self.name(path))
            changes = edit(tree)
            if not changes:
                return Saved(current)
            new_text = dump(tree)
            content = await asyncio.to_thread(check_draft, self.settings, {path: new_text})
            if not content.ok:
                return Saved(current, changes, errors=list(content.issues.errors))
            write_atomically(path, new_text)
            now = datetime.now(UTC)
            for change in changes:
                await self.staff.log_change(
                    at=now,
                    who=who,
                    file=self.name(path),
                    key=change.key,
                    old=change.old,
                    new=change.new,
                )
            await self.reload()
            return Saved(digest(new_text), changes)
