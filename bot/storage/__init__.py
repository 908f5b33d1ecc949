"""Storage with SQLAlchemy 2 (async): residents, sessions and anonymous statistics.

SQLite (embedded) by default, PostgreSQL in production; Alembic migrations run at start.
Repositories return core values (:class:`~bot.core.session.Session`), never ORM rows.
"""

from bot.storage.database import Database, open_database
from bot.storage.errors import StorageError
from bot.storage.store import Queued, held_chat

__all__ = ["Database", "Queued", "StorageError", "held_chat", "open_database"]
