"""Checks of translations against the German source catalogue."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from bot.i18n.catalog import Catalogue, plural_categories
from bot.source import Document, Issue

SOURCE_LANGUAGE = "de"
MAX_LABEL_CHARS = 30
"""Longer button labels are cut off on a phone held upright."""
# Texts for staff in their Telegram group: staff work in German, so these are never translated.
GERMAN_ONLY_PREFIXES = ("handoff.staff.", "admin.", "console.")


def is_german_only(key: str) -> bool:
    """True for a key that exists only in the German catalogue (see GERMAN_ONLY_PREFIXES)."""
    return key.startswith(GERMAN_ONLY_PREFIXES)


def translatable_keys(source: Catalogue) -> set[str]:
    """The keys of the German catalogue that every translation needs."""
    return {key for key in source.entries if not is_german_only(key)}


def entry_path(key: str) -> tuple[str, ...]:
    """The document path of a dotted key."""
    return ("messages", *key.split("."))


def check_catalogues(
    catalogues: Mapping[str, Catalogue], docs: Mapping[str, Document]
) -> Iterator[Issue]:
    """Compare every translation with the German source.

    L102 (warning) a key is missing in a translation; L103 (error) a translation uses a
    placeholder the German text does not have; L105 (warning) a key exists only in a
    translation, or is German-only (:data:`GERMAN_ONLY_PREFIXES`) and must not be
    translated; L106 (warning) plural forms the language needs are missing.
    """
    source = catalogues.get(SOURCE_LANGUAGE)
    if source is None:
        return
    for lang, cat in catalogues.items():
        if lang == SOURCE_LANGUAGE:
            continue
        doc = docs[lang]
        for key in source.entries:
            if key not in cat.entries and not is_german_only(key):
                yield doc.issue(
                    ("messages",),
                    "L102",
                    f"key {key!r} is not translated yet",
                    f"add it to {doc.file}",
                    warning=True,
                )
        needed = plural_categories(lang)
        for key, entry in cat.entries.items():
            original = source.entries.get(key)
            if original is None:
                yield doc.issue(
                    entry_path(key),
                    "L105",
                    f"key {key!r} is not in the German catalogue",
                    "remove it or add it to de.yaml",
                    warning=True,
                )
                continue
            if is_german_only(key):
                yield doc.issue(
                    entry_path(key),
                    "L105",
                    f"key {key!r} is German-only: staff texts are not translated",
                    "remove it from this catalogue",
                    warning=True,
                )
                continue
            unknown = entry.placeholders() - original.placeholders()
            if unknown:
                names = ", ".join("{" + n + "}" for n in sorted(unknown))
                known = ", ".join("{" + n + "}" for n in sorted(original.placeholders()))
                yield doc.issue(
                    entry_path(key),
                    "L103",
                    f"{key}: placeholder {names} is not in the German text",
                    f"use only: {known or 'none'}",
                )
            if not isinstance(original.text, str):
                missing = needed - set(entry.text if not isinstance(entry.text, str) else ())
                if missing:
                    yield doc.issue(
                        entry_path(key),
                        "L106",
                        f"{key}: plural forms missing: {', '.join(sorted(missing))}",
                        warning=True,
                    )


def check_labels(
    catalogues: Mapping[str, Catalogue], docs: Mapping[str, Document], label_keys: Iterable[str]
) -> Iterator[Issue]:
    """L104 (warning): a button label longer than a phone shows."""
    keys = set(label_keys)
    for lang, cat in catalogues.items():
        for key in sorted(keys & set(cat.entries)):
            for form in cat.entries[key].forms():
                if len(form) > MAX_LABEL_CHARS:
                    yield docs[lang].issue(
                        entry_path(key),
                        "L104",
                        f"{key}: button label has {len(form)} characters",
                        f"keep it under {MAX_LABEL_CHARS + 1} so it fits a phone screen",
                        warning=True,
                    )
