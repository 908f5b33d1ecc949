"""``python -m bot schema``: JSON Schema of every staff-edited YAML file, for the editor.

Editors that use yaml-language-server (VS Code with Red Hat's YAML extension, and others)
read a file's first line ``# yaml-language-server: $schema=<path>``; then they complete keys
and values and underline mistakes while staff type. The schemas come from the same pydantic
models the loaders validate with, so they cannot drift from what ``validate`` accepts.
They are written as JSON Schema draft 7, the newest draft yaml-language-server understands.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bot.config import Settings
from bot.directory.model import PlacesFile
from bot.flowspec.model import Flow
from bot.i18n.model import CatalogueFile
from bot.nlu.data import TOPICS_FILE, LanguageFile, TopicsFile

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_DIR = "schemas"
"""Default output folder, next to config.yaml; committed, so editors find it at once."""
LINE_PREFIX = "# yaml-language-server: $schema="


@dataclass(frozen=True)
class SchemaFile:
    """One schema: its file name, the model it comes from, and its title in the editor."""

    name: str
    model: type[BaseModel]
    title: str


CONFIG = SchemaFile("config.schema.json", Settings, "Lotse: config.yaml")
FLOW = SchemaFile("flow.schema.json", Flow, "Lotse: ein Ablauf (flows/*.yaml)")
PLACES = SchemaFile("places.schema.json", PlacesFile, "Lotse: Orte und Stadtteile (places/)")
LOCALE = SchemaFile("locale.schema.json", CatalogueFile, "Lotse: Texte einer Sprache (locales/)")
NLU_TOPICS = SchemaFile("nlu-topics.schema.json", TopicsFile, "Lotse: Themen (nlu/topics.yaml)")
NLU_LANGUAGE = SchemaFile(
    "nlu-language.schema.json", LanguageFile, "Lotse: Beispiele und Notfall-Wörter (nlu/)"
)
SCHEMAS = (CONFIG, FLOW, PLACES, LOCALE, NLU_TOPICS, NLU_LANGUAGE)


def schema_of(spec: SchemaFile) -> dict[str, Any]:
    """The JSON schema of one model, in draft 7 form (``definitions`` instead of ``$defs``)."""
    schema = spec.model.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", None)
    schema["title"] = spec.title
    result = {"$schema": DRAFT_07, **schema}
    if definitions:
        result["definitions"] = definitions
    return result


def schema_text(spec: SchemaFile) -> str:
    """The schema file's content: stable, so a regenerated schema equals the committed one."""
    return json.dumps(schema_of(spec), indent=2, ensure_ascii=False) + "\n"


def shipped_files(settings: Settings, config: Path) -> list[tuple[Path, SchemaFile]]:
    """Every staff-edited YAML file, with the schema that describes it."""
    found = [(config, CONFIG)]
    found += [(path, FLOW) for path in _yaml_in(settings.path(settings.paths.flows))]
    found += [(path, PLACES) for path in _yaml_in(settings.path(settings.paths.places))]
    found += [(path, LOCALE) for path in _yaml_in(settings.path(settings.paths.locales))]
    for path in _yaml_in(settings.path(settings.paths.nlu)):
        found.append((path, NLU_TOPICS if path.name == TOPICS_FILE else NLU_LANGUAGE))
    return found


def schema_line(file: Path, schema: Path) -> str:
    """The first line that points an editor from ``file`` to ``schema`` (a relative path)."""
    relative = os.path.relpath(schema.resolve(), file.resolve().parent)
    return LINE_PREFIX + Path(relative).as_posix()


def schema(settings: Settings, config: Path, out: Path | None) -> int:
    """Write the schemas; name the files whose first line does not point to them yet."""
    folder = out or settings.path(SCHEMA_DIR)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for spec in SCHEMAS:
            (folder / spec.name).write_text(schema_text(spec), encoding="utf-8")
    except OSError as exc:
        print(f"Kann die Schemas nicht nach {folder} schreiben: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"{len(SCHEMAS)} Schemas geschrieben nach {_shown(folder, settings)}/:")
    files = shipped_files(settings, config)
    for spec in SCHEMAS:
        count = sum(1 for _, used in files if used is spec)
        print(f"  {spec.name:<26} für {count} Datei{'en' if count != 1 else ''}")
    missing = [
        (path, line)
        for path, spec in files
        if _first_line(path) != (line := schema_line(path, folder / spec.name))
    ]
    if missing:
        print("Diesen Dateien fehlt die Schema-Zeile. Schreiben Sie sie als erste Zeile hinein:")
        for path, line in missing:
            print(f"  {_shown(path, settings)}: {line}")
    return 0


def _shown(path: Path, settings: Settings) -> str:
    """A path as staff know it: relative to the folder of config.yaml where it is inside."""
    full = path.resolve()
    return str(
        full.relative_to(settings.base_dir) if full.is_relative_to(settings.base_dir) else path
    )


def _yaml_in(folder: Path) -> list[Path]:
    return sorted(p for pattern in ("*.yaml", "*.yml") for p in folder.glob(pattern))


def _first_line(path: Path) -> str:
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().rstrip("\n")
    except (OSError, UnicodeDecodeError):
        return ""
