"""Frontline feedback submissions.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_submissions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("theme", sa.String(100), nullable=False),
        sa.Column("agency", sa.String(200), nullable=False),
        sa.Column("locality", sa.String(100), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("consent_to_quote", sa.Boolean, nullable=False),
        sa.Column("may_contact", sa.Boolean, nullable=False),
        sa.Column("submitter", sa.String(200)),
        sa.Column("channel", sa.String(20), nullable=False),
    )
    op.create_index("ix_feedback_submissions_created_at", "feedback_submissions", ["created_at"])


def downgrade() -> None:
    op.drop_table("feedback_submissions")
