"""The application service: the one place a user's message in a conversation becomes a reply.

Slack, Teams and the terminal translate a payload into one call here and render the dataclass
it returns (Block Kit, an Adaptive Card, terminal text). Everything that must behave the same
on every surface lives here once: the safety net first, follow-up context per conversation,
asking, recording the question and its outcome (abstentions become knowledge gaps, redacted by
the store), the answer id for ratings, ratings and comments, feedback submissions, learning
summaries, admin counts, and the fixed wording of failures.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from knowledge.conversation import ConversationMemory
from knowledge.errors import FeedbackError, InvalidArgument, SgbotError
from knowledge.feedback import AGENCY_SUGGESTIONS, KIND_LABELS, KINDS, FeedbackStore, Submission
from knowledge.feedback import build_report as _build_report
from knowledge.feedback.models import CHANNELS
from knowledge.kb import MAX_QUESTION_CHARS, KnowledgeBase
from knowledge.learning import LearningSummariser, LearningSummary
from knowledge.reports.briefing import to_docx
from knowledge.safety import SafetyNet, urgent_message
from knowledge.search.scope import default_partnership
from knowledge.types import Answer
from knowledge.wording import log_failure, user_message

log = logging.getLogger(__name__)

#: What the documents are asked after the safety net fires: the partnership's own "if you are
#: worried about a child" passage, so the routes are followed by its procedure, cited.
WORRIED_ABOUT_A_CHILD = "Who do I contact if I am worried about a child?"


@dataclass(frozen=True)
class Conversation:
    """Where a message was said: the surface, the conversation it belongs to, who said it."""

    surface: str  # one of knowledge.feedback.models.CHANNELS: slack, teams, cli, ...
    key: str  # thread / chat / terminal session: follow-ups are read against its topic
    user_id: str | None = None
    place: str | None = None  # channel or team id, for a per-channel default partnership

    def __post_init__(self) -> None:
        if self.surface not in CHANNELS:
            raise InvalidArgument(f"surface {self.surface!r} is not one of {', '.join(CHANNELS)}")
        if not self.key:
            raise InvalidArgument("a conversation needs a key (thread or chat id)")


@dataclass(frozen=True)
class Reply:
    """What to show: `urgent` first when set, then the answer, or `notice` when there is none.

    `answer_id` is what rating buttons carry; None when the question was not recorded.
    `recorded` is False when storage failed: the answer is still delivered.
    """

    question: str
    answer: Answer | None = None
    answer_id: str | None = None
    urgent: str | None = None
    notice: str | None = None
    reference: str | None = None
    recorded: bool = False

    @property
    def failed(self) -> bool:
        return self.answer is None


class Assistant:
    """One per process; every surface shares it. Stores and models open lazily."""

    def __init__(self, settings, kb: KnowledgeBase | None = None, *,
                 store: FeedbackStore | None = None, safety: SafetyNet | None = None,
                 memory: ConversationMemory | None = None) -> None:
        self.settings = settings
        self.kb = kb if kb is not None else KnowledgeBase(settings)
        self._store = store
        self.safety = safety if safety is not None else SafetyNet(settings, self.kb)
        self.memory = memory if memory is not None else ConversationMemory()
        self._summariser: LearningSummariser | None = None
        self._lock = threading.Lock()

    # --- lazily opened parts -----------------------------------------------------------------

    @property
    def store(self) -> FeedbackStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = FeedbackStore.open(self.settings)
        return self._store

    @property
    def summariser(self) -> LearningSummariser:
        if self._summariser is None:
            self._summariser = LearningSummariser(self.kb)
        return self._summariser

    # --- questions ---------------------------------------------------------------------------

    def ask(self, text: str, conversation: Conversation, *, partnership: str | None = None,
            doc_types: Sequence[str] | None = None) -> Reply:
        """Safety net, then the documents' answer; never raises for a user's message."""
        started = time.perf_counter()
        question = " ".join((text or "").split())
        if not question:
            return Reply(question, notice=self.help_text())
        if len(question) > MAX_QUESTION_CHARS:
            return Reply(question[:MAX_QUESTION_CHARS], notice=(
                f"That message is too long for me ({len(question)} characters). Please ask one "
                f"question in under {MAX_QUESTION_CHARS} characters."))
        urgent = self._urgent(question, conversation)
        default = default_partnership(self.settings, conversation.place)
        topic = self.memory.topic(conversation.key)
        try:
            answer = (self._worried_answer(question, partnership, default) if urgent
                      else None) or \
                self.kb.ask(question, partnership=partnership, doc_types=doc_types,
                            previous=topic.question if topic else None,
                            previous_answer=topic.answer if topic else None,
                            default_partnership=default)
        except Exception as exc:  # noqa: BLE001 - every failure becomes fixed wording + a log line
            reference = log_failure(f"{conversation.surface} ask", exc)
            return Reply(question, urgent=urgent, reference=reference,
                         notice=user_message(exc, self.settings, reference))
        if urgent:  # a disclosure is kept nowhere, not even as the conversation's topic
            self.memory.mark(conversation.key)
            answer_id = None
        else:
            self.memory.remember(conversation.key, question, None if answer.abstained
                                 else answer.answer)
            answer_id = self._record(question, answer, conversation)
        log.info("%s answered abstained=%s urgent=%s citations=%d recorded=%s ms=%.0f",
                 conversation.surface, answer.abstained, bool(urgent), len(answer.citations),
                 answer_id is not None, 1000 * (time.perf_counter() - started))
        return Reply(question, answer, answer_id, urgent=urgent, recorded=answer_id is not None)

    def _urgent(self, question: str, conversation: Conversation) -> str | None:
        """The urgent routes when the message reads as a live concern; counted, never stored."""
        verdict = self.safety.check(question)
        if not verdict.urgent:
            return None
        log.info("%s safety net shown reason=%s", conversation.surface, verdict.reason)
        try:  # counted; the text is dropped, or kept redacted when SGBOT_KEEP_URGENT_TEXT=1
            self.store.record_urgent_event(conversation.surface, question)
        except SgbotError as exc:  # counting must never delay or block the routes
            log.error("urgent event not counted: %s", type(exc).__name__)
        return urgent_message(self.settings)

    def _worried_answer(self, question: str, partnership: str | None,
                        default: str | None) -> Answer | None:
        """The partnership's own 'if you are worried about a child' passage, cited.

        A disclosure is rarely a question the documents answer word for word; what the person
        needs after the routes is their partnership's procedure, so that is what is quoted.
        """
        routes = self.kb.ask(WORRIED_ABOUT_A_CHILD, partnership=partnership,
                             default_partnership=default)
        if routes.abstained:
            return None
        return dataclasses.replace(routes, question=question)

    def _record(self, question: str, answer: Answer, conversation: Conversation) -> str | None:
        """Store the question and outcome (redacted by the store); a failure loses only this."""
        try:
            return str(self.store.record_question(question=question, answer=answer,
                                                  user_id=conversation.user_id,
                                                  channel=conversation.surface))
        except SgbotError as exc:
            log.error("%s question not recorded: %s", conversation.surface, type(exc).__name__)
            return None

    def knows(self, conversation_key: str) -> bool:
        """True when the bot has answered in this conversation (Slack threads need no mention)."""
        return self.memory.knows(conversation_key)

    def remember(self, conversation_key: str, answer: Answer) -> None:
        """Start a conversation from an answer given elsewhere (a shared answer's new thread)."""
        self.memory.remember(conversation_key, answer.question, answer.answer)

    def forget(self, conversation_key: str) -> None:
        self.memory.forget(conversation_key)

    def help_text(self) -> str:
        return ("Ask me a question about the partnership's documents, e.g. “Who chairs the "
                "partnership?” I quote the documents and say where each quote comes from. "
                f"For anything I can't answer, ask {self.settings.help_contact}.")

    # --- ratings and feedback ----------------------------------------------------------------

    def rate(self, answer_id: str, helpful: bool, conversation: Conversation,
             comment: str | None = None) -> None:
        """Store 👍/👎 (and "what was wrong"); raises FeedbackError with user wording."""
        if not answer_id or answer_id == "none":
            raise FeedbackError("This answer wasn't saved when it was given (the feedback store "
                                "was unavailable), so it can't be rated.")
        self.store.record_answer_feedback(answer_id=answer_id, helpful=helpful,
                                          user_id=conversation.user_id,
                                          comment=(comment or "").strip() or None)

    def submit_feedback(self, conversation: Conversation, *, kind: str, theme: str, agency: str,
                        locality: str, text: str, consent_to_quote: bool,
                        may_contact: bool) -> Submission:
        """Validate, redact, pseudonymise and store frontline feedback."""
        return self.store.add_submission(
            kind=kind, theme=theme, agency=agency, locality=locality, text=text,
            consent_to_quote=consent_to_quote, may_contact=may_contact,
            submitter_id=conversation.user_id, channel=conversation.surface)

    @staticmethod
    def feedback_kinds() -> dict[str, str]:
        return {kind: KIND_LABELS[kind] for kind in KINDS}

    @staticmethod
    def agencies() -> tuple[str, ...]:
        return tuple(AGENCY_SUGGESTIONS)

    def is_admin(self, *user_ids: str | None) -> bool:
        return any(uid and uid in self.settings.admin_users for uid in user_ids)

    def admin_counts(self) -> dict[str, int] | None:
        """Totals for an admin's status card; None (and a log line) when the store fails."""
        try:
            return dict(self.store.admin_counts())
        except SgbotError as exc:
            log.error("admin counts failed: %s", type(exc).__name__)
            return None

    def feedback_report(self, out: Path, *, since=None, until=None) -> Path:
        result = _build_report(self.store, since=since, until=until, out=out,
                               settings=self.settings)
        return Path(result)

    # --- learning ----------------------------------------------------------------------------

    def learning(self, theme: str) -> LearningSummary:
        return self.summariser.summarise(theme)

    @staticmethod
    def learning_docx(summary: LearningSummary, path: Path) -> Path:
        return Path(to_docx(summary, path))


__all__ = ["Assistant", "Conversation", "Reply", "WORRIED_ABOUT_A_CHILD"]
