"""Dense vector store on Chroma: embedded (`PersistentClient`) or a server (`HttpClient`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from knowledge.errors import StoreError, StoreUnavailable
from knowledge.types import Passage


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
        except (ValueError, ConnectionError, OSError) as exc:
            where = (f"{settings.chroma_host}:{settings.chroma_port}" if settings.uses_chroma_server
                     else str(settings.chroma_path))
            raise StoreUnavailable(f"cannot open the vector store at {where}: {exc}",
                                   hint="check CHROMA_HOST/CHROMA_PORT or SGBOT_DATA_DIR") from exc

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

    def get(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by id (missing ids are left out): lets unchanged passages skip
        re-embedding when their document changes."""
        out: dict[str, np.ndarray] = {}
        ids = list(ids)
        for start in range(0, len(ids), 5000):
            got = self._collection.get(ids=ids[start:start + 5000], include=["embeddings"])
            for pid, vector in zip(got["ids"], got["embeddings"], strict=True):
                out[pid] = np.asarray(vector, dtype=np.float32)
        return out

    def all_ids(self) -> list[str]:
        out: list[str] = []
        offset = 0
        while True:
            got = self._collection.get(include=[], limit=10000, offset=offset)
            if not got["ids"]:
                return out
            out.extend(got["ids"])
            offset += len(got["ids"])

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
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]
