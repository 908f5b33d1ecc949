"""Lotse on Telegram through python-telegram-bot 22: the Bot API primitives of
:class:`~bot.channels.telegram.library.TelegramLibrary`."""

from bot.channels.telegram_ptb.library import PtbLibrary

__all__ = ["PtbLibrary"]
