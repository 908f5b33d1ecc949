"""An inbox of fetched updates, so polling can confirm them to Telegram at once.

The outbox no longer counts attempts in the database (the sender counts them).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.drop_column("outbox", "attempts")  # a plain DROP COLUMN keeps SQLite's AUTOINCREMENT


def downgrade() -> None:
    op.add_column(
        "outbox", sa.Column("attempts", sa.Integer(), nullable=False, server_default="0")
    )
    op.drop_table("inbox")
