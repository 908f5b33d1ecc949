"""The dialogue engine: pure, no I/O, no Telegram, no SQLAlchemy.

Channels turn messages into :mod:`~bot.core.events`, call :class:`~bot.core.engine.Engine`
and show the :mod:`~bot.core.replies`. :mod:`~bot.core.ports` names what the engine asks of
the directory and the language detector.
"""
