"""Residents, sessions and anonymous events.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "residents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("channel", "external_id", name="uq_residents_channel"),
    )
    op.create_table(
        "sessions",
        sa.Column(
            "resident_id",
            sa.Integer(),
            sa.ForeignKey(
                "residents.id", ondelete="CASCADE", name="fk_sessions_resident_id_residents"
            ),
            primary_key=True,
        ),
        sa.Column("language", sa.String(8)),
        sa.Column("flow", sa.String(64)),
        sa.Column("step", sa.String(64)),
        sa.Column("flow_version", sa.String(32)),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("flow", sa.String(64)),
        sa.Column("step", sa.String(64)),
        sa.Column("topic", sa.String(32)),
        sa.Column("quarter", sa.String(32)),
        sa.Column("language", sa.String(8)),
        sa.Column("detail", sa.String(64)),
    )
    op.create_index("ix_events_at_kind", "events", ["at", "kind"])


def downgrade() -> None:
    op.drop_index("ix_events_at_kind", "events")
    op.drop_table("events")
    op.drop_table("sessions")
    op.drop_table("residents")
