"""Extractive answering: pick the sentence(s) that answer the question, quote them verbatim.

No text is generated. Every sentence of the retrieved passages is featurised
(`features.py`), scored by a model fitted on labelled questions (`model.py`), checked
(`verify.py`: right entity, right kind of answer, not a heading) and completed
(`complete.py`: its list, its antecedent). The confidence is the calibrated probability that
the quote is right; below `min_confidence` the answerer abstains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.answering.complete import Unit, evidence_text, passage_units
from knowledge.answering.features import FEATURES, Candidates, TermWeights, build_candidates
from knowledge.answering.model import AnswerModel, load_model
from knowledge.errors import InvalidArgument
from knowledge.types import Answer, Citation, ScoredPassage

__all__ = ["Decision", "ExtractiveAnswerer", "TermWeights", "Unit", "decide", "evidence_text",
           "passage_units", "scoring_texts"]

#: Sentence embeddings kept in memory before the cache is emptied (~1.5 KB each).
VECTOR_CACHE_LIMIT = 50000
_COVERAGE = FEATURES.index("coverage")
_DENSE = FEATURES.index("dense")
_EMBEDDED = FEATURES.index("embedded")


def scoring_texts(passage_text: str) -> list[str]:
    """Every text the answerer embeds for a passage (so ingestion can embed them ahead)."""
    units = passage_units(passage_text)
    return [evidence_text(units, i) for i in range(len(units))]


@dataclass(frozen=True)
class Decision:
    """Which sentence to quote (None: abstain), how sure, and the passages in citation order."""

    row: int | None
    confidence: float
    order: list[int]
    passage_scores: dict[int, float]
    best: int | None = None  # the sentence quoted were there no threshold


def decide(candidates: Candidates, model: AnswerModel, min_confidence: float,
           topic_floor: float | None = None) -> Decision:
    """The best-scoring sentence that passes verification, or none. Shared with the bench, so
    the figures measured there are those of this code. `topic_floor`: the embedder's similarity
    below which a quote is not about the question (`Embedder.topic_floor`)."""
    scores = model.scores(candidates.matrix)
    passage_scores: dict[int, float] = {}
    for unit, score in zip(candidates.units, scores, strict=True):
        passage_scores[unit.passage_index] = max(passage_scores.get(unit.passage_index, -1e9),
                                                 float(score))
    order = sorted(passage_scores, key=passage_scores.__getitem__, reverse=True)
    verified = np.flatnonzero(candidates.verified)
    if candidates.asks_unknown_name:
        verified = verified[:0]  # names something no indexed document mentions (another place)
    if not len(verified):
        return Decision(None, 0.0, order, passage_scores)
    row = int(verified[np.argmax(scores[verified])])
    confidence = round(model.confidence(scores, candidates, row), 4)
    passage = candidates.units[row].passage_index
    order = [passage] + [p for p in order if p != passage]
    # a quote sharing no term with the question, even in its headings, is not about it
    # (with a poor embedder the ranker may still prefer it); a low share is left to the
    # confidence: right quotes of paraphrased questions share as little as 0.18 (RESULTS.md)
    # nor is one far from it in meaning, however well its words match ("who won the league
    # in 2023?" -> "Meeting date: 26 October 2023.")
    about = candidates.matrix[row, _COVERAGE] > 0.0 and not (
        topic_floor is not None and candidates.matrix[row, _EMBEDDED] > 0.0
        and candidates.matrix[row, _DENSE] < topic_floor)
    if not about:  # no quote is about the question: nothing to be confident in
        return Decision(None, 0.0, order, passage_scores, row)
    return Decision(row if confidence >= min_confidence else None, confidence, order,
                    passage_scores, row)


class ExtractiveAnswerer:
    def __init__(self, embedder, *, min_confidence: float | None = None, max_citations: int = 3,
                 max_answer_chars: int = 600, model: AnswerModel | None = None) -> None:
        """`min_confidence` None: the threshold fitted with the model (answer_model.json)."""
        if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
            raise InvalidArgument(f"min_confidence must be within 0..1, got {min_confidence}")
        if max_citations < 1:
            raise InvalidArgument(f"max_citations must be >= 1, got {max_citations}")
        if max_answer_chars < 80:
            raise InvalidArgument(f"max_answer_chars must be >= 80, got {max_answer_chars}")
        self.embedder = embedder
        self.model = model or load_model()
        self.min_confidence = self.model.threshold if min_confidence is None else min_confidence
        self.max_citations = max_citations
        self.max_answer_chars = max_answer_chars
        self._vectors_cache: dict[str, np.ndarray] = {}
        #: every sentence of this many top passages is embedded...
        self.dense_passages = 3
        #: ...and the lexically promising ones of the rest, up to this many in all
        self.max_dense_units = 40

    def candidates(self, question: str, retrieved: Sequence[ScoredPassage], *,
                   query_vector: np.ndarray, weights: TermWeights,
                   synonyms: dict[str, list[str]] | None = None) -> Candidates:
        query = np.asarray(query_vector, dtype=np.float32)
        return build_candidates(
            question, list(retrieved), weights=weights, synonyms=synonyms or {},
            max_chars=self.max_answer_chars, dense_fn=lambda texts: self._vectors(texts) @ query,
            dense_passages=self.dense_passages, max_dense_units=self.max_dense_units)

    def answer(self, question: str, retrieved: Sequence[ScoredPassage], *,
               query_vector: np.ndarray, weights: TermWeights,
               synonyms: dict[str, list[str]] | None = None,
               suggestion: str | None = None) -> Answer:
        if not retrieved:
            return Answer(question, "", True, 0.0, (), suggestion)
        found = self.candidates(question, retrieved, query_vector=query_vector,
                                weights=weights, synonyms=synonyms)
        if not found.units:
            return Answer(question, "", True, 0.0, (), suggestion)
        decision = decide(found, self.model, self.min_confidence,
                          self.embedder.topic_floor)
        citations = tuple(
            Citation.from_passage(retrieved[i].passage, decision.passage_scores[i])
            for i in decision.order[: self.max_citations])
        if decision.row is None:
            return Answer(question, "", True, decision.confidence, citations, suggestion, None)
        return Answer(question, found.composed[decision.row], False, decision.confidence,
                      citations, suggestion, 0)

    def _vectors(self, texts: list[str]) -> np.ndarray:
        """Sentence embeddings, cached: the same passages come back for related questions."""
        cache = self._vectors_cache
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            if len(cache) + len(missing) > VECTOR_CACHE_LIMIT:
                cache.clear()
            for text, vector in zip(missing, self.embedder.embed_documents(missing), strict=True):
                cache[text] = vector
        return np.stack([cache[t] for t in texts])
