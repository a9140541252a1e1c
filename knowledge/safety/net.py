"""`SafetyNet`: patterns for the unmistakable, the fitted model for the rest.

Recall beats precision here: a false alarm costs the reader one extra paragraph of routes, a
miss could cost a child. The verdict's `reason` names the pattern family or "model", never the
text, so it can be logged.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from knowledge.errors import ModelError
from knowledge.safety.model import SafetyModel, load_model
from knowledge.safety.patterns import pattern_family

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SafetyVerdict:
    """Whether to show the urgent routes first, and why (never the message itself)."""

    urgent: bool
    score: float  # 1.0 for a pattern hit, else the model's probability (0.0 without a model)
    reason: str  # "pattern:<family>", "model", or "patterns only: <why the model is off>"


class SafetyNet:
    """`SafetyNet(settings, embedder_or_kb).check(text) -> SafetyVerdict`.

    `embedder` may be an embedder, anything holding one as `.embedder` (a KnowledgeBase, so
    the loaded model is shared), or None to build the configured one on first use. The model
    is used only when the embedder is the one it was fitted for; otherwise the patterns alone
    decide and every verdict says so.
    """

    def __init__(self, settings, embedder=None, *, model: SafetyModel | None = None) -> None:
        self.settings = settings
        self._source = embedder
        self._model = model
        self._embedder = None
        self._off_reason: str | None = None
        self._lock = threading.Lock()

    def _resolve(self):
        """(model, embedder) when the model applies, else (None, None) with `_off_reason` set."""
        if self._embedder is None and self._off_reason is None:
            with self._lock:
                if self._embedder is None and self._off_reason is None:
                    self._choose()
        return (self._model, self._embedder) if self._embedder is not None else (None, None)

    def _choose(self) -> None:
        source = self._source
        if source is None:
            from knowledge.search.embedder import make_embedder

            source = make_embedder(self.settings)
        embedder = source if hasattr(source, "embed_query") else source.embedder
        model = self._model or load_model()
        if model.fits(embedder.name):
            self._model, self._embedder = model, embedder
            return
        self._off_reason = (f"patterns only: embedder {embedder.name!r} is not the one the "
                            f"model was fitted for ({model.embedders[0]})")
        log.warning("safety net: %s", self._off_reason)

    @property
    def uses_model(self) -> bool:
        """True when checks combine patterns and the model (resolves the embedder)."""
        return self._resolve()[0] is not None

    def check(self, text: str) -> SafetyVerdict:
        text = " ".join((text or "").split())
        if not text:
            return SafetyVerdict(False, 0.0, "empty")
        family = pattern_family(text)
        if family is not None:
            return SafetyVerdict(True, 1.0, f"pattern:{family}")
        model, embedder = self._resolve()
        if model is None:
            return SafetyVerdict(False, 0.0, self._off_reason or "patterns only")
        try:
            vector = embedder.embed_query(text)
        except ModelError as exc:  # routes must not depend on the model loading
            log.error("safety net model unavailable, patterns only (%s)", type(exc).__name__)
            return SafetyVerdict(False, 0.0, "patterns only: the embedding model failed")
        score = float(model.scores(vector[None, :], [text])[0])
        return SafetyVerdict(score >= model.threshold, score, "model")
