"""Do the vector store and the lexical index describe the same passages?

An interrupted ingest leaves vectors the index never registered (orphans: harmless to answers,
but they grow and skew counts) or registered passages without vectors (missing: invisible to
search by meaning). `KnowledgeBase` writes `PENDING_MARKER` before vector writes and removes it
once an ingest reconciles, so a marker left behind means an ingest is running or was cut short.
`sgbot ingest --repair PATH` fixes all three.
"""

from __future__ import annotations

from dataclasses import dataclass

#: File in SGBOT_DATA_DIR written by `KnowledgeBase._mark_pending`, removed by `reconcile`.
PENDING_MARKER = ".vectors-pending"
REPAIR_COMMAND = "sgbot ingest --repair PATH"


@dataclass(frozen=True)
class VectorConsistency:
    vectors: int
    passages: int
    orphans: int  # vectors whose passage the index does not know
    missing: int  # index passages without a vector
    interrupted: bool  # the pending marker is present

    @property
    def ok(self) -> bool:
        return not (self.orphans or self.missing or self.interrupted)

    def problems(self) -> list[str]:
        found = []
        if self.interrupted:
            found.append("an ingest is running or was interrupted (its marker "
                         f"{PENDING_MARKER} is still in the data directory)")
        if self.orphans:
            found.append(f"{self.orphans} orphan vectors (in the vector store, not in the index)")
        if self.missing:
            found.append(f"{self.missing} passages without vectors (search by meaning cannot "
                         "find them)")
        return found


def check_vector_consistency(settings) -> VectorConsistency:
    """Compare ids in the vector store with the index's passages (reads every id once)."""
    from knowledge.search.index import open_index
    from knowledge.search.vectors import ChromaVectorStore

    interrupted = (settings.data_dir / PENDING_MARKER).exists()
    index = open_index(settings)
    try:
        passage_ids = set(index.passage_ids())
    finally:
        index.close()
    store = ChromaVectorStore(settings)
    try:
        vector_ids = set(store.all_ids())
    finally:
        store.close()
    return VectorConsistency(vectors=len(vector_ids), passages=len(passage_ids),
                             orphans=len(vector_ids - passage_ids),
                             missing=len(passage_ids - vector_ids), interrupted=interrupted)
