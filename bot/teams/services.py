"""The parts the Teams bot borrows from other components, wired in one place.

Feedback store (`knowledge.feedback`), learning summaries (`knowledge.learning`) and the health
report (`bot.health`) are separate components; this module is the only place the Teams adapter
imports them, so a missing or renamed part shows up here and nowhere else.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger(__name__)

LEARNING_UNAVAILABLE = "Learning summaries are not available yet."


class TeamsServices:
    """Lazily opened feedback store, learning summariser and health report for one process."""

    def __init__(self, settings, kb, *, store=None, summariser=None) -> None:
        self.settings = settings
        self.kb = kb
        self._store = store
        self._summariser = summariser
        self._lock = threading.Lock()

    # --- feedback store ----------------------------------------------------------------------

    @property
    def store(self):
        """The shared feedback store (the same database Slack writes to)."""
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from knowledge.feedback.store import FeedbackStore

                    self._store = FeedbackStore.open(self.settings)
        return self._store

    @staticmethod
    def kind_labels() -> dict[str, str]:
        from knowledge.feedback.models import KIND_LABELS, KINDS

        return {kind: KIND_LABELS[kind] for kind in KINDS}

    def record_question(self, question: str, answer, user_id: str | None) -> str:
        return self.store.record_question(question=question, answer=answer, user_id=user_id,
                                          channel="teams")

    def rate(self, answer_id: str, helpful: bool, user_id: str | None,
             comment: str | None = None) -> None:
        self.store.record_answer_feedback(answer_id=answer_id, helpful=helpful, user_id=user_id,
                                          comment=comment)

    def submit(self, values: dict[str, Any], user_id: str | None):
        """Store a feedback-form submission (redacted by the store); returns the record."""
        return self.store.add_submission(
            kind=str(values.get("kind") or ""), theme=str(values.get("theme") or ""),
            agency=str(values.get("agency") or ""), locality=str(values.get("locality") or ""),
            text=str(values.get("text") or ""),
            consent_to_quote=_truthy(values.get("consent")),
            may_contact=_truthy(values.get("may_contact")),
            submitter_id=user_id, channel="teams",
        )

    def admin_counts(self) -> dict[str, int]:
        return self.store.admin_counts()

    # --- learning summaries ------------------------------------------------------------------

    def summariser(self):
        """The learning summariser, or None while that component is not installed."""
        if self._summariser is None:
            try:
                from knowledge.learning import LearningSummariser
            except ImportError:
                log.info("learning summaries not available (knowledge.learning not importable)")
                return None
            self._summariser = LearningSummariser(self.kb)
        return self._summariser

    # --- health ------------------------------------------------------------------------------

    def health(self) -> tuple[int, dict]:
        """`GET /healthz` status and body; a minimal report when bot.health is absent."""
        try:
            from bot.health import health_report, health_status_code
        except ImportError:
            return 200, {"status": "ok"}
        report = health_report(self.settings, self.kb)
        return health_status_code(report), report


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"true", "1", "yes", "on"}
