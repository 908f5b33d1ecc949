"""Lotse on Telegram through aiogram 3: the Bot API primitives of :class:`TelegramLibrary`."""

from bot.channels.telegram_aiogram.library import AiogramLibrary

__all__ = ["AiogramLibrary"]
