"""A chat in the terminal: the token-less way to try Lotse and preview flows."""

from bot.channels.terminal.chat import TerminalChat, parse_line, render

__all__ = ["TerminalChat", "parse_line", "render"]
