"""`FeedbackStore`: frontline feedback, questions asked and answer ratings, in one database.

SQLite under the data directory by default (WAL, one transaction per write), PostgreSQL via
`SGBOT_DB_URL`. Text is redacted and people pseudonymised *before* anything is written, and a
write returns only after commit, so an acknowledged submission is never lost. Database failures
become `FeedbackNotSaved`/`FeedbackError` with a message a practitioner can act on.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from knowledge.errors import FeedbackError, FeedbackNotSaved
from knowledge.feedback import migrate
from knowledge.feedback.models import (
    CHANNELS,
    KIND_LABELS,
    KINDS,
    Gap,
    Submission,
    UrgentCount,
    Usage,
)
from knowledge.feedback.pseudonym import Pseudonymiser, load_or_create_key
from knowledge.feedback.redaction import Redactor
from knowledge.feedback.schema import answer_ratings, questions, submissions, urgent_events

log = logging.getLogger(__name__)

MAX_AGENCY_CHARS = 200
MAX_COMMENT_CHARS = 1000
MAX_QUESTION_CHARS = 2000


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _bound(value: date | datetime | None, *, end: bool) -> datetime | None:
    """A `since`/`until` argument as naive UTC; a bare date covers that whole day."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        moment = datetime.combine(value, time.min)
        return moment + timedelta(days=1) if end else moment
    raise FeedbackError(f"{value!r} is not a date")


def question_key(text: str) -> str:
    """Group questions that differ only in case, spacing or punctuation."""
    return " ".join(re.findall(r"[\w\[\]']+", text.lower()))[:300]


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    cleaned = " ".join((value or "").split())
    for option in allowed:
        if cleaned.lower() == option.lower():
            return option
    raise FeedbackError(f"{what} {cleaned!r} is not one of: {', '.join(allowed)}")


def _normalise_kind(value: str) -> str:
    cleaned = (value or "").strip()
    for kind, label in KIND_LABELS.items():
        if cleaned.lower() in {kind, kind.replace("_", "-"), kind.replace("_", " "), label.lower()}:
            return kind
    raise FeedbackError(f"kind {cleaned!r} is not one of: {', '.join(KINDS)}")


class FeedbackStore:
    """The feedback database. Open once per process with `FeedbackStore.open(settings)`."""

    def __init__(self, engine: Engine, settings, *, redactor: Redactor | None = None,
                 pseudonymiser: Pseudonymiser | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.redactor = redactor or Redactor(keep_terms=[
            *settings.localities, *settings.feedback_themes, settings.partnership,
            *([settings.front_door_name] if settings.front_door_name else [])])
        self.pseudonymise = pseudonymiser or Pseudonymiser(load_or_create_key(settings))

    @classmethod
    def open(cls, settings, *, url: str | None = None) -> FeedbackStore:
        """Connect, create or migrate the schema to the newest revision, and return the store."""
        pseudonymiser = Pseudonymiser(load_or_create_key(settings))  # config errors first
        url = normalise_url(url or settings.resolved_db_url)
        if url.startswith("sqlite:///"):
            from pathlib import Path

            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            engine = create_engine(url, pool_pre_ping=True)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            migrate.upgrade(engine)
        except SQLAlchemyError as exc:
            log.error("feedback store could not be opened (%s)", type(exc).__name__)
            raise FeedbackError(
                "The feedback database could not be opened.",
                hint=f"check SGBOT_DB_URL and that the database is running ({type(exc).__name__})",
            ) from exc
        log.info("feedback store ready (%s)", engine.dialect.name)
        return cls(engine, settings, pseudonymiser=pseudonymiser)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> FeedbackStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writes ------------------------------------------------------------------------------

    def add_submission(self, *, kind: str, theme: str, agency: str, locality: str, text: str,
                       consent_to_quote: bool, may_contact: bool, submitter_id: str | None,
                       channel: str) -> Submission:
        """Validate, redact, pseudonymise and commit one submission; return it once committed."""
        kind = _normalise_kind(kind)
        theme = _choice(theme, tuple(self.settings.feedback_themes), "theme")
        locality = _choice(locality, tuple(self.settings.localities), "locality")
        channel = _choice(channel, CHANNELS, "channel")
        agency = " ".join((agency or "").split())
        if not agency:
            raise FeedbackError("please say which agency or sector you work in")
        if len(agency) > MAX_AGENCY_CHARS:
            raise FeedbackError(f"agency is too long ({len(agency)} characters, at most "
                                f"{MAX_AGENCY_CHARS})")
        text = (text or "").strip()
        if not text:
            raise FeedbackError("the feedback text is empty")
        limit = self.settings.feedback_max_chars
        if len(text) > limit:
            raise FeedbackError(f"the feedback is too long ({len(text)} characters, at most "
                                f"{limit}); please shorten it")
        redacted = self.redactor.redact(text)
        agency_redacted = self.redactor.redact(agency)
        counts = dict(redacted.counts)
        for label, n in agency_redacted.counts.items():
            counts[label] = counts.get(label, 0) + n
        submitter = None
        if submitter_id:
            submitter = submitter_id if may_contact else self.pseudonymise(submitter_id)
        record = Submission(
            id=uuid.uuid4().hex, created_at=_aware(_utcnow()), kind=kind, theme=theme,
            agency=agency_redacted.text, locality=locality, text=redacted.text,
            consent_to_quote=bool(consent_to_quote), may_contact=bool(may_contact),
            submitter=submitter, channel=channel, redactions=counts,
        )
        row = {
            "id": record.id, "created_at": record.created_at.replace(tzinfo=None),
            "kind": kind, "theme": theme, "agency": record.agency, "locality": locality,
            "text": record.text, "consent_to_quote": record.consent_to_quote,
            "may_contact": record.may_contact, "submitter": submitter, "channel": channel,
            "redactions": json.dumps(counts, sort_keys=True),
        }
        self._write("submission", lambda conn: conn.execute(submissions.insert().values(**row)))
        log.info("feedback %s stored (kind=%s channel=%s redactions=%d)", record.id, kind,
                 channel, sum(counts.values()))
        return record

    def record_question(self, *, question: str, answer, user_id: str | None,
                        channel: str) -> str:
        """Log one question and the outcome of answering it; return the `answer_id` for ratings.

        Abstentions are knowledge gaps. Only the redacted question is kept.
        """
        channel = _choice(channel, CHANNELS, "channel")
        text = self.redactor.redact((question or "").strip()[:MAX_QUESTION_CHARS]).text
        if not text:
            raise FeedbackError("the question is empty")
        titles = list(dict.fromkeys(c.title or c.source for c in answer.citations))
        answer_id = uuid.uuid4().hex
        row = {
            "id": answer_id, "asked_at": _utcnow(), "question": text,
            "question_key": question_key(text), "abstained": bool(answer.abstained),
            "confidence": float(answer.confidence), "cited_titles": json.dumps(titles),
            "user": self.pseudonymise(user_id) if user_id else None, "channel": channel,
        }
        self._write("question", lambda conn: conn.execute(questions.insert().values(**row)))
        log.info("question %s recorded (abstained=%s channel=%s)", answer_id, answer.abstained,
                 channel)
        return answer_id

    def record_answer_feedback(self, *, answer_id: str, helpful: bool, user_id: str | None,
                               comment: str | None = None) -> None:
        """Store a 👍/👎 (and optional "what was wrong?" note). One rating per answer and user:
        rating again replaces the earlier one. 👎 marks the question as a knowledge gap."""
        user_key = self.pseudonymise(user_id) if user_id else "anonymous"
        note = None
        if comment and comment.strip():
            note = self.redactor.redact(comment.strip()[:MAX_COMMENT_CHARS]).text
        values = {"helpful": bool(helpful), "rated_at": _utcnow()}
        if note is not None:
            values["comment"] = note

        def upsert(conn) -> None:
            exists = conn.execute(select(questions.c.id).where(questions.c.id == answer_id))
            if exists.first() is None:
                raise FeedbackError(f"unknown answer id {answer_id!r}")
            match = ((answer_ratings.c.answer_id == answer_id)
                     & (answer_ratings.c.user_key == user_key))
            updated = conn.execute(answer_ratings.update().where(match).values(**values))
            if updated.rowcount == 0:
                conn.execute(answer_ratings.insert().values(answer_id=answer_id,
                                                            user_key=user_key, **values))

        try:
            self._write("rating", upsert)
        except FeedbackNotSaved as exc:
            if not isinstance(exc.__cause__, IntegrityError):
                raise
            self._write("rating", upsert)  # a concurrent first rating won the insert: update it
        log.info("rating for %s stored (helpful=%s)", answer_id, helpful)

    def record_urgent_event(self, channel: str, redacted_text: str | None = None) -> None:
        """Count one showing of the urgent routes (UTC day, channel). The message is kept only
        with SGBOT_KEEP_URGENT_TEXT, and then redacted here again whatever the caller did."""
        channel = _choice(channel, CHANNELS, "channel")
        text = None
        if self.settings.keep_urgent_text and redacted_text and redacted_text.strip():
            text = self.redactor.redact(redacted_text.strip()[:MAX_QUESTION_CHARS]).text
        row = {"day": _utcnow().date(), "channel": channel, "text": text}
        self._write("urgent event", lambda conn: conn.execute(urgent_events.insert().values(**row)))
        log.info("urgent event counted (channel=%s text_kept=%s)", channel, text is not None)

    def urgent_counts(self, since: date | datetime | None = None,
                      until: date | datetime | None = None) -> list[UrgentCount]:
        """Urgent events per day and channel, oldest first."""
        stmt = select(urgent_events.c.day, urgent_events.c.channel, func.count().label("n"))
        start, end = _bound(since, end=False), _bound(until, end=True)
        if start is not None:
            stmt = stmt.where(urgent_events.c.day >= start.date())
        if end is not None:
            stmt = stmt.where(urgent_events.c.day < end.date())
        stmt = stmt.group_by(urgent_events.c.day, urgent_events.c.channel)
        rows = self._read(stmt.order_by(urgent_events.c.day, urgent_events.c.channel))
        return [UrgentCount(day=r["day"], channel=r["channel"], count=int(r["n"])) for r in rows]

    def _write(self, what: str, action) -> None:
        try:
            with self.engine.begin() as conn:
                action(conn)
        except SQLAlchemyError as exc:
            log.error("%s could not be stored (%s)", what, type(exc).__name__)
            raise FeedbackNotSaved(
                f"Sorry, your {what} could not be saved, so nothing was recorded.",
                hint="please try again in a few minutes; if it keeps failing, tell "
                     f"{self.settings.help_contact}",
            ) from exc

    # --- reads -------------------------------------------------------------------------------

    def _read(self, statement):
        try:
            with self.engine.connect() as conn:
                return conn.execute(statement).mappings().all()
        except SQLAlchemyError as exc:
            log.error("feedback store read failed (%s)", type(exc).__name__)
            raise FeedbackError("The feedback database could not be read.",
                                hint=type(exc).__name__) from exc

    @staticmethod
    def _window(statement, column, since, until):
        start, end = _bound(since, end=False), _bound(until, end=True)
        if start is not None:
            statement = statement.where(column >= start)
        if end is not None:
            statement = statement.where(column < end)
        return statement

    def submissions(self, since: date | datetime | None = None,
                    until: date | datetime | None = None) -> list[Submission]:
        stmt = self._window(select(submissions), submissions.c.created_at, since, until)
        rows = self._read(stmt.order_by(submissions.c.created_at, submissions.c.id))
        return [
            Submission(
                id=r["id"], created_at=_aware(r["created_at"]), kind=r["kind"],
                theme=r["theme"], agency=r["agency"], locality=r["locality"], text=r["text"],
                consent_to_quote=bool(r["consent_to_quote"]), may_contact=bool(r["may_contact"]),
                submitter=r["submitter"], channel=r["channel"],
                redactions=json.loads(r["redactions"] or "{}"),
            )
            for r in rows
        ]

    def gaps(self, since: date | datetime | None = None,
             until: date | datetime | None = None) -> list[Gap]:
        """Questions answered with an abstention or rated 👎, most frequent first."""
        q = self._window(select(questions), questions.c.asked_at, since, until)
        asked = {r["id"]: r for r in self._read(q)}
        rated = self._read(select(answer_ratings).where(answer_ratings.c.helpful.is_(False)))
        downvotes: dict[str, list] = defaultdict(list)
        for r in rated:
            if r["answer_id"] in asked:
                downvotes[r["answer_id"]].append(r)
        groups: dict[str, dict] = {}
        for answer_id, r in asked.items():
            down = downvotes.get(answer_id, [])
            if not r["abstained"] and not down:
                continue
            g = groups.setdefault(r["question_key"], {
                "question": r["question"], "unanswered": 0, "not_helpful": 0,
                "last_seen": r["asked_at"], "comments": []})
            g["unanswered"] += int(bool(r["abstained"]))
            g["not_helpful"] += len(down)
            g["comments"].extend(d["comment"] for d in down if d["comment"])
            if r["asked_at"] >= g["last_seen"]:
                g["last_seen"], g["question"] = r["asked_at"], r["question"]
        result = [
            Gap(question=g["question"], count=g["unanswered"] + g["not_helpful"],
                unanswered=g["unanswered"], not_helpful=g["not_helpful"],
                last_seen=_aware(g["last_seen"]), comments=tuple(g["comments"]))
            for g in groups.values()
        ]
        result.sort(key=lambda g: (-g.count, -g.last_seen.timestamp(), g.question))
        return result

    def usage(self, since: date | datetime | None = None,
              until: date | datetime | None = None) -> Usage:
        q = self._window(select(questions.c.id, questions.c.abstained, questions.c.user),
                         questions.c.asked_at, since, until)
        asked = self._read(q)
        ids = {r["id"] for r in asked}
        ratings = [r for r in self._read(select(answer_ratings.c.answer_id,
                                                answer_ratings.c.helpful))
                   if r["answer_id"] in ids]
        return Usage(
            questions=len(asked),
            answered=sum(1 for r in asked if not r["abstained"]),
            helpful=sum(1 for r in ratings if r["helpful"]),
            not_helpful=sum(1 for r in ratings if not r["helpful"]),
            users=len({r["user"] for r in asked if r["user"]}),
            urgent=sum(c.count for c in self.urgent_counts(since, until)),
        )

    def admin_counts(self) -> dict[str, int]:
        """All-time totals for an admin's status card."""
        usage = self.usage()
        count = self._read(select(func.count()).select_from(submissions))[0]
        return {
            "questions": usage.questions,
            "helpful": usage.helpful,
            "not_helpful": usage.not_helpful,
            "gaps": sum(g.count for g in self.gaps()),
            "submissions": int(next(iter(count.values()))),
        }


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3 here (the driver that is installed)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
