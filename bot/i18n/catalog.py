"""Text lookup with fallback chain, CLDR plurals and bidi-safe placeholders."""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from babel import Locale, UnknownLocaleError

log = logging.getLogger("bot.i18n")

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "ckb", "he", "ur"})

# First-strong isolate / pop directional isolate (Unicode 6.3): a Latin name or a phone
# number inside Arabic text keeps its own direction without reordering its neighbours.
FSI, LRI, PDI = "\u2068", "\u2066", "\u2069"
_PHONE_LIKE = re.compile(r"^[+\d][\d\s/().-]{4,}$")


@dataclass(frozen=True)
class Entry:
    """One message: a text, or plural forms by CLDR category, plus review metadata."""

    text: str | Mapping[str, str]
    review: str = "ok"
    """``ok`` (checked by a person), ``machine`` (machine-made) or ``needs_review``."""

    def forms(self) -> list[str]:
        """All text variants (one, or one per plural category)."""
        return [self.text] if isinstance(self.text, str) else list(self.text.values())

    def placeholders(self) -> set[str]:
        """The ``{names}`` used in any variant."""
        return {name for form in self.forms() for name in placeholders_in(form)}


@dataclass(frozen=True)
class Catalogue:
    """The messages of one language."""

    language: str
    name: str
    """The language's name in its own script, e.g. "العربية"."""
    direction: str = "ltr"
    entries: Mapping[str, Entry] = field(default_factory=dict)

    @property
    def rtl(self) -> bool:
        """True for right-to-left scripts."""
        return self.direction == "rtl"


class Catalogs:
    """All catalogues with the fallback chain (resident's language → fallbacks)."""

    def __init__(self, catalogues: Mapping[str, Catalogue], fallbacks: Sequence[str]) -> None:
        self.catalogues = dict(catalogues)
        self.fallbacks = tuple(fallbacks)

    def languages(self) -> list[str]:
        """The languages that have a catalogue."""
        return list(self.catalogues)

    def native_name(self, language: str) -> str:
        """The language's own name ("العربية"), from its catalogue or CLDR."""
        cat = self.catalogues.get(language)
        return cat.name if cat else language_name(language, language)

    def is_rtl(self, language: str) -> bool:
        """True when the language is written right to left."""
        cat = self.catalogues.get(language)
        return cat.rtl if cat else language in RTL_LANGUAGES

    def has(self, language: str, key: str) -> bool:
        """True when the language's own catalogue has the key (no fallback)."""
        cat = self.catalogues.get(language)
        return bool(cat and key in cat.entries)

    def entry(self, language: str, key: str) -> tuple[str, Entry] | None:
        """Find the entry along the fallback chain; returns (language found in, entry)."""
        for lang in (language, *self.fallbacks):
            cat = self.catalogues.get(lang)
            if cat and key in cat.entries:
                if lang != language:
                    log.debug("key %s missing in %s, using %s", key, language, lang)
                return lang, cat.entries[key]
        return None

    def text(self, language: str, key: str, /, **params: object) -> str:
        """Render a message in ``language`` (falling back), filling ``{placeholders}``.

        A ``count`` parameter selects the CLDR plural form. A key missing everywhere renders
        as the key itself and is logged, so a resident never sees a crash.
        """
        found = self.entry(language, key)
        if found is None:
            log.warning("text key %s missing in every catalogue", key)
            return key
        lang, entry = found
        template = entry.text
        if not isinstance(template, str):
            count = params.get("count", 0)
            category = plural_category(lang, count if isinstance(count, int | float) else 0)
            template = (
                template.get(category) or template.get("other") or next(iter(template.values()))
            )
        if "{" not in template:
            return template
        return fill(template, params, rtl=self.is_rtl(lang))


def fill(template: str, params: Mapping[str, object], *, rtl: bool = False) -> str:
    """Fill ``{name}`` placeholders; unknown ones stay visible instead of failing.

    In right-to-left text every value is wrapped in a Unicode isolate so that Latin words
    and numbers ("Jobcenter", "05151 202-3444") keep their order.
    """

    def value(name: str) -> str:
        if name not in params:
            return "{" + name + "}"
        text = str(params[name])
        if not rtl:
            return text
        return f"{LRI}{text}{PDI}" if _PHONE_LIKE.match(text) else f"{FSI}{text}{PDI}"

    out = []
    for literal, name in _pieces(template):
        out.append(literal)
        if name is not None:
            out.append(value(name))
    return "".join(out)


@lru_cache(maxsize=4096)
def _pieces(template: str) -> tuple[tuple[str, str | None], ...]:
    """A template's literal parts and placeholder names, parsed once per template."""
    return tuple((literal, name) for literal, name, _, _ in string.Formatter().parse(template))


def placeholders_in(template: str) -> set[str]:
    """The placeholder names in a template."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError:
        return set()


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language)
    except (ValueError, LookupError, UnknownLocaleError):
        return None


@lru_cache(maxsize=1024)
def language_name(language: str, in_language: str) -> str:
    """The name of ``language`` written in ``in_language`` ("ar" in "de" → "Arabisch")."""
    loc = _locale(language)
    name = loc.get_display_name(in_language) if loc else None
    return str(name) if name else language


def plural_category(language: str, count: float) -> str:
    """The CLDR plural category of ``count`` in ``language`` (``other`` when unknown)."""
    loc = _locale(language)
    return str(loc.plural_form(count)) if loc else "other"


def plural_categories(language: str) -> set[str]:
    """The plural categories a language uses ("other" always, as CLDR's rules imply it)."""
    loc = _locale(language)
    return {"other", *loc.plural_form.tags} if loc else {"other"}
