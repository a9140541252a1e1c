"""Questions asked, answer ratings (thumbs up/down) and redaction counts on submissions.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_submissions") as batch:
        batch.add_column(sa.Column("redactions", sa.Text, nullable=False, server_default="{}"))
    op.create_table(
        "feedback_questions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("asked_at", sa.DateTime, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("question_key", sa.String(300), nullable=False),
        sa.Column("abstained", sa.Boolean, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("cited_titles", sa.Text, nullable=False),
        sa.Column("user", sa.String(80)),
        sa.Column("channel", sa.String(20), nullable=False),
    )
    op.create_index("ix_feedback_questions_asked_at", "feedback_questions", ["asked_at"])
    op.create_index("ix_feedback_questions_question_key", "feedback_questions", ["question_key"])
    op.create_table(
        "feedback_answer_ratings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("answer_id", sa.String(32),
                  sa.ForeignKey("feedback_questions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_key", sa.String(80), nullable=False),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("rated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("answer_id", "user_key", name="uq_rating_answer_user"),
    )
    op.create_index("ix_feedback_answer_ratings_answer_id", "feedback_answer_ratings",
                    ["answer_id"])


def downgrade() -> None:
    op.drop_table("feedback_answer_ratings")
    op.drop_table("feedback_questions")
    with op.batch_alter_table("feedback_submissions") as batch:
        batch.drop_column("redactions")
