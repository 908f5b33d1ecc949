"""Telegram idioms shared by every Telegram runtime (aiogram now, python-telegram-bot next).

Nothing here imports a Telegram library: replies become Bot API method names with plain
parameters, and incoming messages become engine events, so each runtime stays a thin adapter.
"""
