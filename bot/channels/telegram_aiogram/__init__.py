"""Lotse on Telegram through aiogram 3: polling or webhook, with /healthz and /metrics."""

from bot.channels.telegram_aiogram.runtime import AiogramRuntime

__all__ = ["AiogramRuntime"]
