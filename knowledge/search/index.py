"""Document registry and lexical (BM25) index in one SQL database.

The registry is the source of truth for what is visible: a document's passages become visible in
one transaction, so a half-indexed document is never seen. Dense hits from the vector store are
resolved through this registry, which also makes stale vectors (from a crashed run) invisible.

SQLite (FTS5, real BM25) is the default; `knowledge.search.index_pg` provides PostgreSQL full-text
search for scale-out, so several bot processes share one index.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from knowledge.errors import StoreError, StoreUnavailable
from knowledge.search.lexical import FIELD_WEIGHTS, LexicalIndex, passages_in_batches
from knowledge.types import DocumentInfo, Passage

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS documents (
        doc_id TEXT PRIMARY KEY, source TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
        partnership TEXT NOT NULL, doc_type TEXT NOT NULL, year TEXT, url TEXT,
        content_hash TEXT NOT NULL, passages INTEGER NOT NULL, ingested_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS passages (
        rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL,
        position INTEGER NOT NULL, section TEXT, page INTEGER, text TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id)",
    """CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
        text, section, title, tokenize = 'porter unicode61')""",
    """CREATE TABLE IF NOT EXISTS glossary (
        doc_id TEXT NOT NULL, acronym TEXT NOT NULL, expansion TEXT NOT NULL,
        PRIMARY KEY (doc_id, acronym))""",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]


#: FTS5's bm25() with the shared field weights, in the passages_fts column order.
_BM25 = "bm25(passages_fts, {text}, {section}, {title})".format(**FIELD_WEIGHTS)
#: Extra rows FTS5 hands over before the cut to k, so passages tied at the cut (the same
#: paragraph in two documents) are chosen by passage id, not by the order they were stored in.
TIE_ROOM = 10


def fts_query(terms: Sequence[str]) -> str:
    """An FTS5 OR-query of quoted terms (quotes keep user text from being FTS syntax)."""
    cleaned = []
    for term in terms:
        term = re.sub(r"[^\w]", " ", term).strip()
        if term:
            cleaned.append('"' + term.replace('"', "") + '"')
    return " OR ".join(dict.fromkeys(cleaned))


def connect_wal(path: Path):
    """A SQLite connection shared across threads, in WAL mode so readers never wait for a
    writer; autocommit, callers open their own transactions."""
    import sqlite3

    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, check_same_thread=False, timeout=30, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


class SqliteIndex:
    """Registry + FTS5 BM25 index in one SQLite file (WAL, so readers never block on ingest).

    Implements `knowledge.search.lexical.LexicalIndex`."""

    def __init__(self, path: Path) -> None:
        import sqlite3

        self.path = Path(path)
        try:
            self._conn = connect_wal(self.path)
            for statement in _SCHEMA:
                self._conn.execute(statement)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot open the index at {self.path}: {exc}",
                                   hint="check SGBOT_DATA_DIR is writable") from exc
        self._lock = threading.RLock()

    def close(self) -> None:
        self._conn.close()

    def _rows(self, sql: str, params: Sequence | dict = ()) -> list[tuple]:
        import sqlite3

        try:
            with self._lock:
                return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"index query failed: {exc}") from exc

    # --- writes ------------------------------------------------------------------------------

    def replace_document(self, doc: DocumentInfo, passages: Sequence[Passage],
                         glossary: dict[str, str]) -> None:
        import sqlite3

        now = doc.ingested_at or datetime.now(UTC).isoformat(timespec="seconds")
        try:
            with self._lock:
                cur = self._conn.cursor()
                cur.execute("BEGIN IMMEDIATE")
                try:
                    self._delete(cur, doc.doc_id)
                    cur.execute(
                        "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
                        (doc.doc_id, doc.source, doc.title, doc.partnership, doc.doc_type,
                         doc.year, doc.url, doc.content_hash, len(passages), now),
                    )
                    for p in passages:
                        cur.execute(
                            "INSERT INTO passages (id, doc_id, position, section, page, text)"
                            " VALUES (?,?,?,?,?,?)",
                            (p.id, doc.doc_id, p.position, p.section, p.page, p.text),
                        )
                        cur.execute(
                            "INSERT INTO passages_fts (rowid, text, section, title)"
                            " VALUES (?,?,?,?)",
                            (cur.lastrowid, p.text, p.section or "", doc.title),
                        )
                    cur.executemany(
                        "INSERT INTO glossary VALUES (?,?,?)",
                        [(doc.doc_id, a, e) for a, e in glossary.items()],
                    )
                    self._bump(cur)
                    cur.execute("COMMIT")
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:
            raise StoreError(f"could not index {doc.source}: {exc}") from exc

    def _delete(self, cur, doc_id: str) -> None:
        cur.execute("DELETE FROM passages_fts WHERE rowid IN "
                    "(SELECT rowid FROM passages WHERE doc_id = ?)", (doc_id,))
        cur.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
        cur.execute("DELETE FROM glossary WHERE doc_id = ?", (doc_id,))
        cur.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def _bump(self, cur) -> None:
        cur.execute("INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE "
                    "SET value = CAST(value AS INTEGER) + 1")

    def delete_document(self, doc_id: str) -> None:
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                self._delete(cur, doc_id)
                self._bump(cur)
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise

    # --- reads -------------------------------------------------------------------------------

    def generation(self) -> int:
        rows = self._rows("SELECT value FROM meta WHERE key = 'generation'")
        return int(rows[0][0]) if rows else 0

    def documents(self) -> list[DocumentInfo]:
        rows = self._rows("SELECT doc_id, source, title, partnership, doc_type, content_hash, year,"
                          " url, passages, ingested_at FROM documents ORDER BY title")
        return [DocumentInfo(*row) for row in rows]

    def document_by_source(self, source: str) -> DocumentInfo | None:
        rows = self._rows("SELECT doc_id, source, title, partnership, doc_type, content_hash, year,"
                          " url, passages, ingested_at FROM documents WHERE source = ?", (source,))
        return DocumentInfo(*rows[0]) if rows else None

    _PASSAGE_SELECT = ("SELECT p.id, p.doc_id, p.text, p.position, p.section, p.page, d.title,"
                       " d.source, d.partnership, d.doc_type, d.year, d.url FROM passages p"
                       " JOIN documents d ON d.doc_id = p.doc_id")

    def passages(self, ids: Sequence[str]) -> dict[str, Passage]:
        out: dict[str, Passage] = {}
        ids = list(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._rows(f"{self._PASSAGE_SELECT} WHERE p.id IN ({marks})", chunk):
                out[row[0]] = Passage(*row)
        return out

    def iter_passages(self, batch: int = 1000) -> Iterable[Passage]:
        select = self._PASSAGE_SELECT.replace("SELECT ", "SELECT p.rowid, ", 1)
        return passages_in_batches(lambda last, n: self._rows(
            f"{select} WHERE p.rowid > ? ORDER BY p.rowid LIMIT ?", (last, n)), batch)

    def passage_ids(self, doc_id: str | None = None) -> list[str]:
        if doc_id is None:
            return [r[0] for r in self._rows("SELECT id FROM passages")]
        return [r[0] for r in self._rows("SELECT id FROM passages WHERE doc_id = ?", (doc_id,))]

    def passage_count(self) -> int:
        return int(self._rows("SELECT count(*) FROM passages")[0][0])

    def search(self, terms: Sequence[str], k: int, partnership: str | None = None,
               doc_types: Sequence[str] | None = None) -> list[tuple[str, float]]:
        query = fts_query(terms)
        if not query:
            return []
        if not partnership and not doc_types:
            # Rank inside FTS5 and cut (with room for ties) before touching the passages table.
            sql = (f"SELECT p.id, s.score FROM (SELECT rowid, {_BM25}"
                   " AS score FROM passages_fts WHERE passages_fts MATCH ? ORDER BY score, rowid"
                   " LIMIT ?) s JOIN passages p ON p.rowid = s.rowid ORDER BY s.score, p.id"
                   " LIMIT ?")
            return [(row[0], -float(row[1]))
                    for row in self._rows(sql, (query, k + TIE_ROOM, k))]
        sql = (f"SELECT p.id, {_BM25} AS score FROM passages_fts"
               " JOIN passages p ON p.rowid = passages_fts.rowid")
        params: list = [query]
        where = ["passages_fts MATCH ?"]
        if partnership or doc_types:
            sql += " JOIN documents d ON d.doc_id = p.doc_id"
            if partnership:
                where.append("lower(d.partnership) = lower(?)")
                params.append(partnership)
            if doc_types:
                where.append(f"d.doc_type IN ({','.join('?' * len(doc_types))})")
                params.extend(doc_types)
        sql += " WHERE " + " AND ".join(where) + " ORDER BY score, p.id LIMIT ?"
        params.append(k)
        return [(row[0], -float(row[1])) for row in self._rows(sql, params)]

    def doc_freq(self, terms: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for term in dict.fromkeys(terms):
            query = fts_query([term])
            if not query:
                out[term] = 0
                continue
            rows = self._rows("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?",
                              (query,))
            out[term] = int(rows[0][0])
        return out

    def glossary(self) -> dict[str, str]:
        counts: dict[str, dict[str, int]] = {}
        for acronym, expansion in self._rows("SELECT acronym, expansion FROM glossary"
                                                " ORDER BY acronym, expansion"):
            counts.setdefault(acronym, {}).setdefault(expansion, 0)
            counts[acronym][expansion] += 1
        return {a: max(e, key=e.__getitem__) for a, e in counts.items()}


def open_index(settings) -> LexicalIndex:
    """The index backend named by `settings.resolved_index_url`."""
    url = settings.resolved_index_url
    if url.startswith("sqlite:///"):
        return SqliteIndex(Path(url[len("sqlite:///"):]))
    if url.startswith(("postgresql", "postgres")):
        from knowledge.search.index_pg import PostgresIndex

        return PostgresIndex(url)
    raise StoreUnavailable(f"unsupported index URL {url!r}",
                           hint="use sqlite:///PATH or postgresql://...")
