"""Handoff to staff: cases and their messages.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("number", sa.String(16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("resident_channel", sa.String(32)),
        sa.Column("resident_chat", sa.String(64)),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("quarter", sa.String(32)),
        sa.Column("topic", sa.String(32)),
        sa.Column("place_id", sa.String(64)),
        sa.Column("staff_chat_id", sa.BigInteger()),
        sa.Column("topic_id", sa.BigInteger()),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answers", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_staff_reply_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("number", name="uq_cases_number"),
        sa.UniqueConstraint("year", "seq", name="uq_cases_year_seq"),
    )
    op.create_index("ix_cases_resident", "cases", ["resident_channel", "resident_chat", "status"])
    op.create_index("ix_cases_topic", "cases", ["staff_chat_id", "topic_id"])
    op.create_index("ix_cases_created_at", "cases", ["created_at"])
    op.create_index("ix_cases_status_closed_at", "cases", ["status", "closed_at"])
    op.create_table(
        "case_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("cases.id", ondelete="CASCADE", name="fk_case_messages_case_id_cases"),
            nullable=False,
        ),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text()),
        sa.Column("resident_message_id", sa.BigInteger()),
        sa.Column("staff_message_id", sa.BigInteger()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_case_messages_case", "case_messages", ["case_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_case_messages_case", "case_messages")
    op.drop_table("case_messages")
    op.drop_index("ix_cases_status_closed_at", "cases")
    op.drop_index("ix_cases_created_at", "cases")
    op.drop_index("ix_cases_topic", "cases")
    op.drop_index("ix_cases_resident", "cases")
    op.drop_table("cases")
