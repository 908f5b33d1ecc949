"""Alembic environment: run on the connection handed over by :mod:`bot.storage.migrate`."""

from alembic import context

import bot.storage.case_tables  # registers the handoff tables on Base.metadata
import bot.storage.staff_tables  # noqa: F401 - registers the console's tables on it
from bot.storage.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
