"""``python -m bot langid [--hint LANG]``: one language code per line of stdin."""

from __future__ import annotations

from bot.config import Settings
from bot.langid.cli import main


def langid(settings: Settings, hint: str | None) -> int:
    """Detect with exactly the bot's detector: the same code, the configured languages."""
    cache = str(settings.path(settings.paths.cache))
    args = ["--offered", ",".join(settings.languages), "--cache", cache]
    return main([*args, "--hint", hint] if hint else args)
