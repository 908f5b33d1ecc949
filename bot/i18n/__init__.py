"""Locale catalogues: one YAML file per language, German the source, with fallbacks.

Lookups take the language explicitly (no context variables), so the engine stays pure.
"""

from bot.i18n.catalog import Catalogs, Catalogue, Entry
from bot.i18n.load import load_catalogues

__all__ = ["Catalogs", "Catalogue", "Entry", "load_catalogues"]
