"""Exact dense search over a small collection's vectors held in memory.

Chroma's HNSW search is approximate and its graph differs between processes and builds (recent
vectors are re-inserted by several threads on every start): the same question could find a
passage in one run and miss it in the next, even with a search list longer than the collection.
Up to `EXACT_SEARCH_LIMIT` passages every vector is scored instead, with ties by passage id, so
any index of the same documents answers alike; larger collections use the store's own search.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

#: Passages scored exhaustively in memory: 20,000 x 384 float32 is 30 MB and one matrix product
#: of a few milliseconds; a partnership's documents are a few thousand passages.
EXACT_SEARCH_LIMIT = 20_000


class _Snapshot:
    """Every vector of the store with the metadata the filters need."""

    def __init__(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict]) -> None:
        self.ids = np.array(ids, dtype=object)
        self.vectors = np.asarray(vectors, dtype=np.float32).reshape(len(ids), -1) if ids \
            else np.zeros((0, 1), dtype=np.float32)
        self.partnerships = np.array([(m or {}).get("partnership", "") for m in metadatas],
                                     dtype=object)
        self.doc_types = np.array([(m or {}).get("doc_type", "") for m in metadatas],
                                  dtype=object)

    def query(self, vector: np.ndarray, k: int, partnership: str | None,
              doc_types: Sequence[str] | None) -> list[tuple[str, float]]:
        if not len(self.ids):
            return []
        norm = float(np.linalg.norm(vector)) or 1.0
        # einsum, not `@`: BLAS's threads keep spinning after the product and took the cores
        # from the embedding model (question time 53 -> 94 ms at 10k passages); 0.4 ms alone
        sims = np.einsum("ij,j->i", self.vectors, np.asarray(vector, dtype=np.float32) / norm)
        keep = np.ones(len(self.ids), dtype=bool)
        if partnership:
            keep &= self.partnerships == partnership.lower()
        if doc_types:
            keep &= np.isin(self.doc_types, list(doc_types))
        rows = np.flatnonzero(keep)
        if len(rows) > k > 0:  # the k best and every row tied with the k-th, then sorted
            kth = np.partition(sims[rows], len(rows) - k)[len(rows) - k]
            rows = rows[sims[rows] >= kth]
        order = sorted(rows, key=lambda r: (-sims[r], self.ids[r]))[:k]
        return [(str(self.ids[r]), float(sims[r])) for r in order]


class ExactVectors:
    """A vector store whose `query` is exact while the collection is small.

    The snapshot is reloaded when `generation()` (the registry's change counter, shared by every
    process) moves or this process writes vectors; everything else is the store's.
    """

    def __init__(self, store, generation: Callable[[], int], *,
                 limit: int = EXACT_SEARCH_LIMIT) -> None:
        self.store = store
        self.generation = generation
        self.limit = limit
        self._snapshot: tuple[int, _Snapshot | None] | None = None

    def __getattr__(self, name: str):
        return getattr(self.store, name)

    def add(self, passages, vectors) -> None:
        self._snapshot = None
        self.store.add(passages, vectors)

    def delete(self, ids) -> None:
        self._snapshot = None
        self.store.delete(ids)

    def _current(self) -> _Snapshot | None:
        generation = self.generation()
        if self._snapshot is None or self._snapshot[0] != generation:
            snapshot = None
            if self.store.count() <= self.limit:
                snapshot = _Snapshot(*self.store.all_vectors())
            self._snapshot = (generation, snapshot)
        return self._snapshot[1]

    def query(self, vector: np.ndarray, k: int, partnership: str | None = None,
              doc_types: Sequence[str] | None = None) -> list[tuple[str, float]]:
        snapshot = self._current()
        if snapshot is None:
            return self.store.query(vector, k, partnership, doc_types)
        return snapshot.query(vector, k, partnership, doc_types)
