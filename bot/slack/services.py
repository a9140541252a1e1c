"""The one place the Slack adapter touches capabilities other modules provide.

Feedback store (issue 4), learning summaries (issue 5) and the health report are imported lazily
here, so the bot still answers questions if one of them is missing or broken, and the wiring
is easy to adjust when those APIs change.
"""

from __future__ import annotations

import importlib
import logging
import threading
from pathlib import Path
from typing import Any

from knowledge.errors import FeedbackError, SgbotError

log = logging.getLogger(__name__)


def _optional(module: str):
    """Import `module`, or None when that capability is not part of this build."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            return None
        raise


class Feedback:
    """Lazy front for `knowledge.feedback.FeedbackStore`, opened on first use."""

    def __init__(self, settings, store: Any = None) -> None:
        self.settings = settings
        self._store = store
        self._lock = threading.Lock()

    @property
    def store(self):
        if self._store is None:
            with self._lock:
                if self._store is None:
                    module = _optional("knowledge.feedback")
                    if module is None or not hasattr(module, "FeedbackStore"):
                        raise FeedbackError("the feedback store is not available in this build")
                    self._store = module.FeedbackStore.open(self.settings)
        return self._store

    def kinds(self) -> list[tuple[str, str]]:
        module = _optional("knowledge.feedback")
        if module is not None and hasattr(module, "KINDS"):
            labels = getattr(module, "KIND_LABELS", {})
            return [(kind, labels.get(kind, kind)) for kind in module.KINDS]
        return [("working_well", "What's working well"),
                ("getting_in_the_way", "What gets in the way"), ("idea", "An idea")]

    def agencies(self) -> tuple[str, ...]:
        module = _optional("knowledge.feedback")
        return tuple(getattr(module, "AGENCY_SUGGESTIONS", ())) if module else ()

    def record_question(self, question: str, answer, user_id: str) -> str | None:
        """Store the question and outcome (abstentions become knowledge gaps); None on failure.

        A failure here must not stop the user getting the answer, so it is logged, not raised.
        """
        try:
            return str(self.store.record_question(question=question, answer=answer,
                                                  user_id=user_id, channel="slack"))
        except Exception as exc:  # logged in full; the asker still gets the answer
            log.error("feedback record_question failed: %s", type(exc).__name__,
                      exc_info=not isinstance(exc, SgbotError))
            return None

    def record_answer_feedback(self, answer_id: str, helpful: bool, user_id: str,
                               comment: str | None = None) -> None:
        self.store.record_answer_feedback(answer_id=answer_id, helpful=helpful, user_id=user_id,
                                          comment=comment or None)

    def add_submission(self, **fields: Any):
        return self.store.add_submission(channel="slack", **fields)

    def admin_counts(self) -> dict[str, int] | None:
        try:
            return dict(self.store.admin_counts())
        except SgbotError as exc:
            log.error("feedback admin_counts failed: %s", type(exc).__name__)
            return None

    def build_report(self, out: Path, since=None, until=None) -> Path:
        module = _optional("knowledge.feedback")
        if module is None or not hasattr(module, "build_report"):
            raise FeedbackError("the feedback report is not available in this build")
        result = module.build_report(self.store, since=since, until=until, out=out,
                                     settings=self.settings)
        return Path(result) if isinstance(result, str | Path) else out


def learning_summariser(kb):
    """A `LearningSummariser` for `kb`, or None when learning summaries are not in this build."""
    module = _optional("knowledge.learning")
    if module is None or not hasattr(module, "LearningSummariser"):
        return None
    return module.LearningSummariser(kb)


def learning_to_docx(summary, path: Path) -> Path:
    """Write the summary's DOCX briefing (`knowledge.reports.briefing.to_docx`) to `path`."""
    for name in ("knowledge.reports.briefing", "knowledge.learning"):
        module = _optional(name)
        if module is not None and hasattr(module, "to_docx"):
            result = module.to_docx(summary, path)
            return Path(result) if isinstance(result, str | Path) else path
    raise SgbotError("DOCX briefings are not available in this build")


def health(settings, kb) -> tuple[int, dict]:
    """(HTTP status, report) for `GET /healthz`; a minimal report when bot.health is absent."""
    module = _optional("bot.health")
    if module is None or not hasattr(module, "health_report"):
        return 200, {"status": "ok"}
    report = module.health_report(settings, kb)
    if hasattr(module, "health_status_code"):
        return int(module.health_status_code(report)), report
    return (503 if report.get("status") == "error" else 200), report
