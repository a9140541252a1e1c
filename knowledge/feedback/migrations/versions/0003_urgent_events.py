"""Urgent events: one row each time the safety net showed the urgent routes (day, channel; the
redacted message only when SGBOT_KEEP_URGENT_TEXT is on).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_urgent_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("text", sa.Text),
    )
    op.create_index("ix_feedback_urgent_events_day", "feedback_urgent_events", ["day"])


def downgrade() -> None:
    op.drop_table("feedback_urgent_events")
