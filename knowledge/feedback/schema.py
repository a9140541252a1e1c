"""Table definitions the store queries. The migrations under `migrations/versions` create them;
keep the two in step (a new column means a new revision, never an edit of an old one)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

submissions = Table(
    "feedback_submissions",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", DateTime, nullable=False, index=True),  # naive UTC
    Column("kind", String(32), nullable=False),
    Column("theme", String(100), nullable=False),
    Column("agency", String(200), nullable=False),
    Column("locality", String(100), nullable=False),
    Column("text", Text, nullable=False),  # redacted
    Column("consent_to_quote", Boolean, nullable=False),
    Column("may_contact", Boolean, nullable=False),
    Column("submitter", String(200)),
    Column("channel", String(20), nullable=False),
    Column("redactions", Text, nullable=False),  # JSON {"NAME": 1, ...}: counts only
)

questions = Table(
    "feedback_questions",
    metadata,
    Column("id", String(32), primary_key=True),  # the answer_id adapters keep
    Column("asked_at", DateTime, nullable=False, index=True),
    Column("question", Text, nullable=False),  # redacted
    Column("question_key", String(300), nullable=False, index=True),  # normalised, for grouping
    Column("abstained", Boolean, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("cited_titles", Text, nullable=False),  # JSON list of document titles
    Column("user", String(80)),  # always a pseudonym
    Column("channel", String(20), nullable=False),
)

answer_ratings = Table(
    "feedback_answer_ratings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(32), ForeignKey("feedback_questions.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("user_key", String(80), nullable=False),  # pseudonym, or "anonymous"
    Column("helpful", Boolean, nullable=False),
    Column("comment", Text),  # redacted
    Column("rated_at", DateTime, nullable=False),
    UniqueConstraint("answer_id", "user_key", name="uq_rating_answer_user"),
)

urgent_events = Table(
    "feedback_urgent_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False, index=True),  # UTC day only: counts, not a timeline
    Column("channel", String(20), nullable=False),
    Column("text", Text),  # redacted, and only with SGBOT_KEEP_URGENT_TEXT; NULL otherwise
)
