"""Exact in-memory dense search for small collections: every vector scored, filters applied,
ties by passage id, reloaded when the registry changes."""

from __future__ import annotations

import numpy as np

from knowledge.search.exact import ExactVectors


class _Store:
    """A vector store double: what `ExactVectors` reads, plus a query that must not be used."""

    def __init__(self, ids, vectors, metadatas):
        self.data = (list(ids), np.asarray(vectors, dtype=np.float32), list(metadatas))
        self.loads = 0

    def count(self):
        return len(self.data[0])

    def all_vectors(self):
        self.loads += 1
        return self.data

    def query(self, vector, k, partnership=None, doc_types=None):
        return [("from-store", 1.0)]


META = [{"partnership": "northshire", "doc_type": "procedure"},
        {"partnership": "northshire", "doc_type": "report"},
        {"partnership": "southmoor", "doc_type": "procedure"},
        {"partnership": "northshire", "doc_type": "procedure"}]
VECTORS = [[1, 0], [0.6, 0.8], [0.6, 0.8], [0, 1]]


def test_every_vector_is_scored_with_ties_by_id_and_filters_applied():
    exact = ExactVectors(_Store(["d", "c", "b", "a"], VECTORS, META), lambda: 1)
    query = np.array([0.6, 0.8])
    assert [pid for pid, _ in exact.query(query, 3)] == ["b", "c", "a"]  # b, c tie: by id
    assert [pid for pid, _ in exact.query(query, 4, "Northshire")] == ["c", "a", "d"]
    assert [pid for pid, _ in exact.query(query, 4, None, ["procedure"])] == ["b", "a", "d"]


def test_the_snapshot_follows_the_registry_and_large_stores_search_themselves():
    store = _Store(["a"], [[1, 0]], META[:1])
    generation = [1]
    exact = ExactVectors(store, lambda: generation[0])
    exact.query(np.array([1.0, 0.0]), 1)
    exact.query(np.array([1.0, 0.0]), 1)
    assert store.loads == 1
    generation[0] = 2
    exact.query(np.array([1.0, 0.0]), 1)
    assert store.loads == 2
    assert ExactVectors(store, lambda: 1, limit=0).query(np.zeros(2), 1) == [("from-store", 1.0)]


def test_an_empty_store_finds_nothing():
    assert ExactVectors(_Store([], np.zeros((0, 0)), []), lambda: 1).query(np.ones(2), 5) == []
