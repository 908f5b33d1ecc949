"""Telegram idioms shared by every Telegram runtime (aiogram now, python-telegram-bot next).

Nothing here imports a Telegram library: replies become Bot API method names with plain
parameters, and incoming messages become engine events, so each runtime stays a thin adapter.
Nothing here imports storage either: sessions, cases, the outbox and the statistics come
from the services (``bot.service``, ``bot.handoff_service``, ``bot.outbox_service``).
"""
