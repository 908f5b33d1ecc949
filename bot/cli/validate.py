"""``python -m bot validate [--strict]`` and ``python -m bot i18n-report``."""

from __future__ import annotations

from bot.cli import EXIT_ERROR, EXIT_OK
from bot.config import Settings
from bot.content import load_content
from bot.i18n.checks import translatable_keys


def validate(settings: Settings, *, strict: bool) -> int:
    """Print every issue like a compiler; exit 1 on errors (and on warnings when strict)."""
    content = load_content(settings, strict=strict)
    for issue in content.issues:
        print(issue)
    errors, warnings = len(content.issues.errors), len(content.issues.warnings)
    flows = len(content.flows.flows)
    languages = len(content.texts.catalogues)
    print(f"{flows} flows, {languages} languages: {errors} errors, {warnings} warnings")
    failed = errors > 0 or (strict and warnings > 0)
    return EXIT_ERROR if failed else EXIT_OK


def i18n_report(settings: Settings) -> int:
    """Completeness per language, and the keys missing or waiting for review."""
    content = load_content(settings)
    texts = content.texts
    source = texts.catalogues.get("de")
    if source is None:
        print("locales/de.yaml is missing: German is the source language")
        return EXIT_ERROR
    keys = translatable_keys(source)
    incomplete = False
    print(f"{'language':<10}{'translated':>12}{'missing':>9}{'to review':>11}")
    for language in settings.languages:
        cat = texts.catalogues.get(language)
        entries = cat.entries if cat else {}
        missing = sorted(keys - set(entries))
        review = sorted(k for k, e in entries.items() if k in keys and e.review != "ok")
        done = len(keys) - len(missing)
        print(f"{language:<10}{done:>7}/{len(keys):<4}{len(missing):>9}{len(review):>11}")
        incomplete = incomplete or bool(missing)
        for key in missing:
            print(f"    missing: {key}")
        if review:
            print(f"    to review: {len(review)} keys (review: machine or needs_review)")
    return EXIT_ERROR if incomplete else EXIT_OK
