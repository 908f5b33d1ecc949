"""A draft content set: the content on disk with some files replaced, loaded and checked by
exactly the code that loads the running bot's content (the checks of ``validate``).

The draft lives in a temporary copy of the content folders, so nothing staff see as "not
yet saved" can reach the running bot.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from bot.config import Settings
from bot.content import Content, load_content

CONTENT_FOLDERS = ("flows", "locales", "places", "nlu")


@contextmanager
def draft_settings(settings: Settings, changed: Mapping[Path, str]) -> Iterator[Settings]:
    """Settings over a temporary copy of the content in which ``changed`` (real file path →
    new text) is written; issues name files as the real content does."""
    with tempfile.TemporaryDirectory(prefix="lotse-draft-") as temp:
        root = Path(temp)
        folders: dict[str, str] = {}
        for name in CONTENT_FOLDERS:
            source = settings.path(getattr(settings.paths, name)).resolve()
            relative = Path(getattr(settings.paths, name))
            target = root / (relative if not relative.is_absolute() else name)
            if source.is_dir():
                shutil.copytree(source, target)
            for path, text in changed.items():
                if path.resolve().is_relative_to(source):
                    (target / path.resolve().relative_to(source)).write_text(text, "utf-8")
            folders[name] = str(target)
        folders["cache"] = str(settings.path(settings.paths.cache).resolve())
        paths = settings.paths.model_copy(update=folders)
        yield settings.model_copy(update={"paths": paths, "base_dir": root})


def check_draft(settings: Settings, changed: Mapping[Path, str]) -> Content:
    """The content with ``changed`` applied, loaded and validated (no topic model)."""
    with draft_settings(settings, changed) as draft:
        return load_content(draft, understand=False)
