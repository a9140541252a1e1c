"""The dense search gives every process the same, exact neighbours: Chroma rebuilds its graph of
recent vectors with several threads on each start, so an approximate search could find a passage
in one run and miss it in the next."""

from __future__ import annotations

import logging
import subprocess
import sys

import numpy as np
import pytest
from chromadb.errors import InvalidArgumentError

from knowledge.search.vectors import SEARCH_EF, ChromaVectorStore
from knowledge.types import Passage
from tests.conftest import make_settings

#: Passages and queries: enough that the default search list (100) misses neighbours.
PASSAGES, QUERIES, K = 900, 200, 40


def clustered(n: int, seed: int) -> np.ndarray:
    """Unit vectors in tight clusters: close calls, like passages of one partnership."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(12, 64)).astype(np.float32)
    out = centres[rng.integers(0, len(centres), n)] + 0.35 * rng.normal(size=(n, 64))
    return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


def build(data_dir) -> tuple[ChromaVectorStore, list[str], np.ndarray]:
    vectors = clustered(PASSAGES, 0)
    passages = [Passage(id=f"p{n:04d}", doc_id=f"d{n % 7}", text="x", position=n)
                for n in range(PASSAGES)]
    store = ChromaVectorStore(make_settings(data_dir))
    store.add(passages, vectors)
    return store, [p.id for p in passages], vectors


def test_dense_search_is_exact_with_ties_by_passage_id(tmp_path):
    store, ids, vectors = build(tmp_path / "data")
    queries = clustered(QUERIES, 1)
    for query in queries:
        got = store.query(query, K)
        sims = vectors @ query
        exact = sorted(range(len(ids)), key=lambda i: (-sims[i], ids[i]))[:K]
        assert [pid for pid, _ in got] == [ids[i] for i in exact]
    reopened = ChromaVectorStore(make_settings(tmp_path / "data"))
    assert reopened._collection.configuration["hnsw"]["ef_search"] >= SEARCH_EF


def test_an_existing_collection_is_searched_alike_in_every_process(tmp_path):
    data_dir = tmp_path / "data"
    build(data_dir)
    code = ("import sys, json; import numpy as np; sys.path.insert(0, '.');"
            "from tests.knowledge.test_vector_search_determinism import clustered;"
            "from tests.conftest import make_settings;"
            "from knowledge.search.vectors import ChromaVectorStore;"
            f"s = ChromaVectorStore(make_settings(__import__('pathlib').Path({str(data_dir)!r})));"
            f"print(json.dumps([[p for p, _ in s.query(q, {K})] for q in clustered(60, 2)]))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, timeout=120).stdout for _ in range(2)}
    assert len(runs) == 1


class _Refusing:
    """A collection whose server refuses configuration changes with `error`."""

    configuration = {"hnsw": {"ef_search": 100}}

    def __init__(self, error: Exception) -> None:
        self.error = error

    def modify(self, **_):
        raise self.error


def _store_with(collection) -> ChromaVectorStore:
    store = ChromaVectorStore.__new__(ChromaVectorStore)
    store._collection = collection
    return store


@pytest.mark.parametrize("error", [InvalidArgumentError("refused ef_search=2000"),
                                   ValueError("bad config"),
                                   Exception("500 from an older server")])
def test_a_server_refusing_the_search_list_leaves_search_as_it_was(error, caplog):
    with caplog.at_level(logging.WARNING, logger="knowledge.search.vectors"):
        _store_with(_Refusing(error))._exact_up_to(SEARCH_EF)
    assert "could not raise the vector search list" in caplog.text
    assert str(error) not in caplog.text  # the server's text may echo data: type only


@pytest.mark.parametrize("error", [TypeError("a bug of ours"), KeyError("configuration")])
def test_a_fault_of_ours_while_raising_the_search_list_is_not_hidden(error):
    with pytest.raises(type(error)):
        _store_with(_Refusing(error))._exact_up_to(SEARCH_EF)
