"""``python -m bot chat [--lang xx]``: talk to Lotse in the terminal, on the same storage."""

from __future__ import annotations

import asyncio
import sys

from bot.app import ContentError, build_app
from bot.channels.terminal import TerminalChat
from bot.cli import EXIT_ERROR, EXIT_OK
from bot.config import Settings
from bot.storage import StorageError


def chat(settings: Settings, *, language: str | None, resident: str) -> int:
    """Run the terminal chat until end of input or Ctrl-C."""
    if language and language not in settings.languages:
        print(
            f"language {language!r} is not offered; choose one of: "
            f"{', '.join(settings.languages)}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    try:
        asyncio.run(_chat(settings, language, resident))
    except (ContentError, StorageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print()
    return EXIT_OK


async def _chat(settings: Settings, language: str | None, resident: str) -> None:
    app = await build_app(settings)
    try:
        interactive = sys.stdin.isatty()
        if interactive:
            print(
                "Lotse – Chat im Terminal. Zahlen wählen Knöpfe, /help zeigt Befehle, "
                "Strg-D beendet.\n"
            )
        chat = TerminalChat(
            app.service, resident=resident, language=language, timezone=settings.timezone
        )
        await chat.run(None, sys.stdout, interactive=interactive)
    finally:
        await app.close()
