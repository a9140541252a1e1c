"""Dense vector store on Chroma: embedded (`PersistentClient`) or a server (`HttpClient`)."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.errors import StoreError, StoreUnavailable
from knowledge.types import Passage

log = logging.getLogger(__name__)


#: HNSW candidate list per query. Chroma rebuilds the graph of vectors not yet persisted (under
#: 1000 of them) with two threads in every process, so at its default (100) a process can miss a
#: true neighbour another finds (recall 0.999: one passage in about 1000 comes and goes between
#: runs). A list at least as long as the collection makes the search exact, so the same question
#: gets the same passages in every process; beyond this size search is approximate again, with a
#: longer list than the default.
SEARCH_EF = 2000


#: Vectors read per page when loading a collection for exact search: 1000 halves the peak
#: memory of reading 10k passages at once (+70 MB instead of +170 MB), at the same speed.
VECTOR_PAGE = 1000


class ChromaVectorStore:
    """Stores one vector per passage id with the metadata needed for filtering."""

    def __init__(self, settings, *, dimension: int | None = None) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if settings.uses_chroma_server:
                self._client = chromadb.HttpClient(
                    host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
                )
            else:
                settings.chroma_path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(
                    path=str(settings.chroma_path), settings=chroma_settings
                )
            self._collection = self._client.get_or_create_collection(
                settings.collection,
                metadata={"hnsw:space": "cosine"},
                embedding_function=None,
            )
            self._exact_up_to(SEARCH_EF)
        except (ValueError, ConnectionError, OSError) as exc:
            where = (f"{settings.chroma_host}:{settings.chroma_port}" if settings.uses_chroma_server
                     else str(settings.chroma_path))
            raise StoreUnavailable(f"cannot open the vector store at {where}: {exc}",
                                   hint="check CHROMA_HOST/CHROMA_PORT or SGBOT_DATA_DIR") from exc

    def _exact_up_to(self, ef: int) -> None:
        """Raise the collection's HNSW search list to `ef` (existing collections too)."""
        try:
            hnsw = (self._collection.configuration or {}).get("hnsw") or {}
        except ValueError:  # a configuration chromadb itself cannot read back: set it anew
            hnsw = {}
        if int(hnsw.get("ef_search") or 0) >= ef:
            return
        from chromadb.errors import ChromaError

        try:
            self._collection.modify(configuration={"hnsw": {"ef_search": ef}})
        except Exception as exc:
            # a server's refusal: Chroma's own errors, a configuration it rejects, or the bare
            # Exception its HTTP client raises for an error status it has no type for (an older
            # server); any other type is a fault of ours and propagates
            if not isinstance(exc, (ChromaError, ValueError)) and type(exc) is not Exception:
                raise
            # search still works with the collection's own list, approximate beyond ~1000
            log.warning("could not raise the vector search list to %d (%s): search stays as it"
                        " was", ef, type(exc).__name__)

    def close(self) -> None:
        """Release the client (HTTP connections to a Chroma server, file handles embedded)."""
        self._client.close()

    def add(self, passages: Sequence[Passage], vectors: np.ndarray) -> None:
        if not passages:
            return
        try:
            for start in range(0, len(passages), 2000):
                batch = passages[start:start + 2000]
                self._collection.upsert(
                    ids=[p.id for p in batch],
                    embeddings=vectors[start:start + len(batch)],
                    metadatas=[{"doc_id": p.doc_id, "partnership": p.partnership.lower(),
                                "doc_type": p.doc_type} for p in batch],
                )
        except Exception as exc:  # chromadb raises many unrelated types; re-raise as ours
            raise StoreError(f"could not write vectors: {exc}") from exc

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for start in range(0, len(ids), 5000):
            self._collection.delete(ids=ids[start:start + 5000])

    def _pages(self, include: list[str], limit: int):
        """The collection's records, `limit` at a time (one huge `get` would hold them all)."""
        offset = 0
        while True:
            got = self._collection.get(include=include, limit=limit, offset=offset)
            if not got["ids"]:
                return
            yield got
            offset += len(got["ids"])

    def all_ids(self) -> list[str]:
        return [pid for got in self._pages([], 10000) for pid in got["ids"]]

    def all_vectors(self) -> tuple[list[str], np.ndarray, list[dict]]:
        """Every (id, vector, metadata), for exact search over a small collection."""
        ids: list[str] = []
        vectors: list[np.ndarray] = []
        metadatas: list[dict] = []
        for got in self._pages(["embeddings", "metadatas"], VECTOR_PAGE):
            ids.extend(got["ids"])
            vectors.append(np.asarray(got["embeddings"], dtype=np.float32))
            metadatas.extend(got["metadatas"] or [{}] * len(got["ids"]))
        return ids, (np.concatenate(vectors) if vectors else np.zeros((0, 0), np.float32)), \
            metadatas

    def count(self) -> int:
        return int(self._collection.count())

    def query(self, vector: np.ndarray, k: int, partnership: str | None = None,
              doc_types: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """Nearest passages as (id, cosine similarity)."""
        clauses = []
        if partnership:
            clauses.append({"partnership": partnership.lower()})
        if doc_types:
            clauses.append({"doc_type": {"$in": list(doc_types)}})
        where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
        try:  # Chroma returns fewer than k when the collection is smaller: no count() round trip
            result = self._collection.query(
                query_embeddings=[np.asarray(vector, dtype=np.float32)],
                n_results=k, where=where, include=["distances"],
            )
        except Exception as exc:  # noqa: BLE001 - translated, not hidden
            raise StoreError(f"vector search failed: {exc}") from exc
        ids = result["ids"][0]
        distances = result["distances"][0]
        # equal distances: by passage id, not by the graph's visiting order
        return sorted(((i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)),
                      key=lambda pair: (-pair[1], pair[0]))


def _cache_key(model: str, text: str) -> bytes:
    return hashlib.blake2b(f"{model}\0{text}".encode(), digest_size=16).digest()


class SqliteVectorCache:
    """Embeddings by (model, text) in one SQLite file beside the index.

    Sentences are embedded once (at ingest, or the first time a question needs them) and read
    here afterwards instead of running the model again. Keyed by a hash, so no text is stored.
    """

    def __init__(self, path: Path) -> None:
        import sqlite3

        from knowledge.search.index import connect_wal

        self.path = Path(path)
        try:
            self._conn = connect_wal(self.path)
            self._conn.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY,"
                               " vec BLOB NOT NULL) WITHOUT ROWID")
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot open the vector cache at {self.path}: {exc}") from exc
        self._lock = threading.Lock()

    def get(self, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        out: dict[bytes, np.ndarray] = {}
        keys = list(keys)
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows = self._conn.execute(
                    f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk).fetchall()
                out.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        return out

    def put(self, items: dict[bytes, np.ndarray]) -> None:
        with self._lock:
            self._conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                                   [(k, np.asarray(v, dtype=np.float32).tobytes())
                                    for k, v in items.items()])

    def close(self) -> None:
        self._conn.close()


class CachingEmbedder:
    """An embedder that reads document vectors from a cache and stores what it computes.

    Queries are never cached (they are new text each time and carry personal wording).
    """

    def __init__(self, embedder, cache) -> None:
        self.embedder = embedder
        self.cache = cache
        self.name = embedder.name
        self.topic_floor = embedder.topic_floor

    @property
    def dimension(self) -> int:
        return self.embedder.dimension

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        keys = [_cache_key(self.name, t) for t in texts]
        known = self.cache.get(list(dict.fromkeys(keys)))
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True)
                                     if k not in known))
        if missing:
            fresh = self.embedder.embed_documents(missing)
            computed = {_cache_key(self.name, t): v for t, v in zip(missing, fresh, strict=True)}
            self.cache.put(computed)
            known.update(computed)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([known[k] for k in keys])

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.embed_query(text)
