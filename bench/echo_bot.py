"""Bare aiogram 3 echo bot (long polling): the baseline the Lotse benchmark compares against.

Environment: BOT_TOKEN (required), TELEGRAM_API_BASE (e.g. the fake server's base_url; unset =
api.telegram.org), LOG_LEVEL (default WARNING, so per-update INFO logs do not skew the figures).
SIGTERM/SIGINT stop polling gracefully (aiogram's own signal handling).
"""

from __future__ import annotations

import asyncio
import logging
import os

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.types import Message


async def echo(message: Message) -> None:
    await message.answer(message.text or "")


def build_dispatcher() -> Dispatcher:
    dp = Dispatcher()
    dp.message.register(echo, F.text)
    return dp


async def main() -> None:
    base = os.environ.get("TELEGRAM_API_BASE")
    api = TelegramAPIServer.from_base(base) if base else PRODUCTION
    bot = Bot(os.environ["BOT_TOKEN"], session=AiohttpSession(api=api))
    await build_dispatcher().start_polling(bot)


if __name__ == "__main__":
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "WARNING"))
    asyncio.run(main())
