"""The lexical index contract: what every registry + BM25 backend provides, and the ranking
constants they share, so SQLite (default) and PostgreSQL (scale-out) rank alike.

Both `knowledge.search.index.SqliteIndex` and `knowledge.search.index_pg.PostgresIndex`
implement `LexicalIndex`; every parameter that takes an index is typed with it, and
`tests/scale/test_index_backends.py` runs the same contract tests on both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, runtime_checkable

from knowledge.types import DocumentInfo, Passage

#: BM25 weight of a match in each field: the passage text counts most; its section heading
#: gives context; a title word matches every passage of the document, so it barely discriminates.
FIELD_WEIGHTS = {"text": 1.0, "section": 0.6, "title": 0.3}
#: A term in more than this share of passages still scores but does not pick the candidates
#: (like a "common terms" query), so one everyday word never ranks half the corpus.
COMMON_SHARE = 0.2


@runtime_checkable
class LexicalIndex(Protocol):
    """Document registry (what is visible) plus lexical search over passages."""

    def replace_document(self, doc: DocumentInfo, passages: Sequence[Passage],
                         glossary: dict[str, str]) -> None:
        """Atomically swap the document's passages and glossary entries for these."""
        ...

    def delete_document(self, doc_id: str) -> None:
        """Remove the document, its passages and its glossary entries."""
        ...

    def documents(self) -> list[DocumentInfo]: ...
    def document_by_source(self, source: str) -> DocumentInfo | None: ...
    def passages(self, ids: Sequence[str]) -> dict[str, Passage]: ...
    def passage_ids(self, doc_id: str | None = None) -> list[str]: ...

    def search(self, terms: Sequence[str], k: int, partnership: str | None = None,
               doc_types: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """Up to `k` (passage id, score) pairs, best first; scores are higher-is-better."""
        ...

    def doc_freq(self, terms: Sequence[str]) -> dict[str, int]: ...
    def passage_count(self) -> int: ...
    def glossary(self) -> dict[str, str]: ...

    def generation(self) -> int:
        """Bumped on every change, so caches (glossary, scope) know when to refresh."""
        ...

    def iter_passages(self, batch: int = 1000) -> Iterable[Passage]: ...
    def close(self) -> None: ...


def passages_in_batches(fetch: Callable[[int, int], list[tuple]],
                        batch: int) -> Iterable[Passage]:
    """Every passage, `batch` rows at a time by rowid (keyset pagination: no OFFSET scans).
    `fetch(after_rowid, batch)` returns rows of (rowid, *Passage fields) in rowid order."""
    last = 0
    while rows := fetch(last, batch):
        for row in rows:
            yield Passage(*row[1:])
        last = rows[-1][0]


__all__ = ["COMMON_SHARE", "FIELD_WEIGHTS", "LexicalIndex", "passages_in_batches"]
