"""The staff console at ``/staff``: texts, places, flows, cases and statistics in the
browser, behind a Telegram login (server-rendered HTML, no Telegram library)."""

from bot.console.deps import ConsoleDeps
from bot.console.web import create_console

__all__ = ["ConsoleDeps", "create_console"]
