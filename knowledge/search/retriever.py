"""Hybrid retrieval: dense (vector store) and lexical (BM25) rankings fused by reciprocal rank."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from knowledge.errors import InvalidArgument
from knowledge.search.lexical import LexicalIndex
from knowledge.text import QUESTION_WORDS, STOPWORDS, words
from knowledge.types import ScoredPassage

#: A word labelled by a single letter or a short number: "Child N", "stage 3", "Level 2", "Part
#: A". The label alone is too short to search for, so it is searched with its word as a phrase.
_LABELLED = re.compile(r"\b([A-Za-z][a-z]{2,})\s+([A-HJ-Z]|\d{1,2})\b(?![-'’.]?\w)")


def labelled_phrases(query: str) -> list[str]:
    """Phrases like "child n" or "stage 3" for the words a one-character label identifies."""
    return [f"{word.lower()} {label.lower()}" for word, label in _LABELLED.findall(query)
            if word.lower() not in STOPWORDS and word.lower() not in QUESTION_WORDS]


def lexical_terms(query: str) -> list[str]:
    """Query words worth matching lexically (the index stems them itself), plus the phrases a
    one-character label makes of its word ("Child N": the letter is what tells cases apart)."""
    return [w for w in words(query)
            if w not in STOPWORDS and w not in QUESTION_WORDS and len(w) > 1
            ] + labelled_phrases(query)


#: Constants of the fusion, checked by grouped cross-validation (`bench/fit_retrieval.py`,
#: bench/RESULTS.md "Retrieval fusion"): over an 18-setting grid the held-out choice never beat
#: these on hit@3 (0.849 vs 0.874), and a denser mix cost answer@1, so they stay as set.
#: Candidates taken from each of the dense and lexical rankings before fusion.
FUSION_CANDIDATES = 40
#: RRF's damping constant: 60 is the value from the original RRF paper; 20 and 120 did no better.
RRF_K = 60
#: Equal weight to dense and lexical ranks: 2:1 either way lowered held-out hit@3.
DENSE_WEIGHT = LEXICAL_WEIGHT = 1.0


class HybridRetriever:
    """Reciprocal-rank fusion of a dense and a lexical ranking.

    RRF needs no score calibration between the two systems, which is why it is robust across
    corpora; `dense_weight`/`lexical_weight` tilt it when one side is known to be better.
    """

    def __init__(self, index: LexicalIndex, vectors, embedder, *,
                 candidates: int = FUSION_CANDIDATES, rrf_k: int = RRF_K,
                 dense_weight: float = DENSE_WEIGHT, lexical_weight: float = LEXICAL_WEIGHT
                 ) -> None:
        if candidates < 1:
            raise InvalidArgument(f"candidates must be >= 1, got {candidates}")
        if rrf_k < 1:
            raise InvalidArgument(f"rrf_k must be >= 1, got {rrf_k}")
        if dense_weight < 0 or lexical_weight < 0 or dense_weight + lexical_weight == 0:
            raise InvalidArgument(
                "weights must be non-negative and not both zero, got "
                f"{dense_weight}, {lexical_weight}"
            )
        self.index = index
        self.vectors = vectors
        self.embedder = embedder
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.lexical_weight = lexical_weight

    @staticmethod
    def _selective(terms: list[str], doc_freq: dict[str, int] | None,
                   total: int | None, common_share: float = 0.2) -> list[str]:
        """Leave out words most passages contain when rarer ones remain: their BM25 weight is
        near zero, yet ranking every passage that has them dominates search time at scale."""
        if not doc_freq or not total or len(terms) < 2:
            return terms
        limit = common_share * total
        rare = [t for t in terms if doc_freq.get(t, 0) <= limit]
        return rare or terms

    def retrieve(self, query: str, k: int = 10, *, partnership: str | None = None,
                 doc_types: Sequence[str] | None = None,
                 query_vector: np.ndarray | None = None,
                 expansion: str | None = None,
                 expansion_vector: np.ndarray | None = None,
                 doc_freq: dict[str, int] | None = None,
                 total: int | None = None) -> list[ScoredPassage]:
        """Fuse dense and lexical rankings of the query, plus half-weight rankings of its
        expansion (e.g. acronyms spelled out), so expansions help recall without drowning the
        words the user actually typed."""
        if k < 1:
            raise InvalidArgument(f"k must be >= 1, got {k}")
        if query_vector is None:
            query_vector = self.embedder.embed_query(query)
        rankings: list[tuple[list[tuple[str, float]], float, str]] = [
            (self.vectors.query(query_vector, self.candidates, partnership, doc_types),
             self.dense_weight, "dense"),
            (self.index.search(self._selective(lexical_terms(query), doc_freq, total),
                               self.candidates, partnership, doc_types),
             self.lexical_weight, "lexical"),
        ]
        if expansion and expansion != query:
            if expansion_vector is None:
                expansion_vector = self.embedder.embed_query(expansion)
            rankings.append((self.vectors.query(expansion_vector, self.candidates, partnership,
                                                doc_types), 0.5 * self.dense_weight, "dense"))
            rankings.append((self.index.search(self._selective(lexical_terms(expansion), doc_freq,
                                                               total),
                                               self.candidates, partnership, doc_types),
                             0.5 * self.lexical_weight, "lexical"))
        fused: dict[str, float] = {}
        ranks: dict[str, dict[str, int]] = {"dense": {}, "lexical": {}}
        for ranking, weight, kind in rankings:
            for rank, (pid, _score) in enumerate(ranking, start=1):
                ranks[kind].setdefault(pid, rank)
                fused[pid] = fused.get(pid, 0.0) + weight / (self.rrf_k + rank)
        # equal fused scores keep their first appearance (the dense ranking's order, then the
        # lexical one's): a stable order, as both rankings break their own ties by passage id
        ordered = sorted(fused, key=fused.__getitem__, reverse=True)
        passages = self.index.passages(ordered[: k * 3])  # the registry decides visibility
        out = []
        for pid in ordered:
            passage = passages.get(pid)
            if passage is None:
                continue  # stale vector from an interrupted ingest: invisible by design
            out.append(ScoredPassage(passage, fused[pid], ranks["dense"].get(pid),
                                     ranks["lexical"].get(pid)))
            if len(out) == k:
                break
        return out
