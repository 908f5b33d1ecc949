"""Bare python-telegram-bot (v22) echo bot (long polling): the baseline of ``lotse-ptb``.

PTB's own ``Application`` with ``concurrent_updates`` on (as aiogram's polling handles
updates concurrently), so each library's baseline is its fastest plain use. Environment as
bench/echo_bot.py: BOT_TOKEN, TELEGRAM_API_BASE, LOG_LEVEL. SIGTERM/SIGINT stop polling
gracefully (PTB's own signal handling).
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await context.bot.send_message(message.chat_id, message.text)


def main() -> None:
    builder = Application.builder().token(os.environ["BOT_TOKEN"]).concurrent_updates(True)
    base = os.environ.get("TELEGRAM_API_BASE")
    if base:
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(allowed_updates=["message"])


if __name__ == "__main__":
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "WARNING"))
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry the token
    main()
