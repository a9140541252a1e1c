"""Document registry and lexical index on PostgreSQL full-text search, for scale-out.

Several bot processes (and an ingest job) share one index through the database instead of a
local SQLite file each. Same contract as `knowledge.index.SqliteIndex`: a document's passages
become visible in one transaction, and the registry decides what dense hits are visible.

Ranking is BM25-like: each query term contributes `idf(term) * ts_rank(tsv, term)`, with the
text, section and title weighted A/B/C in one stored, GIN-indexed `tsvector` column. Tables are
prefixed `kb_` so they can share a database with the feedback store; a `schema=NAME` URL query
parameter (or the `schema` argument) isolates deployments and test runs.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from knowledge.errors import InvalidArgument, StoreError, StoreUnavailable
from knowledge.types import DocumentInfo, Passage

_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
#: ts_rank weights for {D, C, B, A}: title (C) 0.3, section (B) 0.6, text (A) 1.0 — as FTS5 bm25.
_WEIGHTS = "{0.1, 0.3, 0.6, 1.0}"
_LOCK_SCHEMA = 74_220_001  # advisory lock key serialising schema creation across processes

_DDL = [
    """CREATE TABLE IF NOT EXISTS kb_documents (
        doc_id TEXT PRIMARY KEY, source TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
        partnership TEXT NOT NULL, doc_type TEXT NOT NULL, year TEXT, url TEXT,
        content_hash TEXT NOT NULL, passages INTEGER NOT NULL, ingested_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS kb_passages (
        rowid BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL REFERENCES kb_documents(doc_id) ON DELETE CASCADE,
        position INTEGER NOT NULL, section TEXT, page INTEGER, text TEXT NOT NULL,
        title TEXT NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english'::regconfig, text), 'A') ||
            setweight(to_tsvector('english'::regconfig, coalesce(section, '')), 'B') ||
            setweight(to_tsvector('english'::regconfig, title), 'C')) STORED)""",
    "CREATE INDEX IF NOT EXISTS kb_passages_doc ON kb_passages(doc_id)",
    "CREATE INDEX IF NOT EXISTS kb_passages_tsv ON kb_passages USING GIN (tsv)",
    """CREATE TABLE IF NOT EXISTS kb_glossary (
        doc_id TEXT NOT NULL REFERENCES kb_documents(doc_id) ON DELETE CASCADE,
        acronym TEXT NOT NULL, expansion TEXT NOT NULL, PRIMARY KEY (doc_id, acronym))""",
    "CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL)",
]

_DOC_COLUMNS = ("doc_id, source, title, partnership, doc_type, content_hash, year, url, passages,"
                " ingested_at")
_PASSAGE_SELECT = ("SELECT p.id, p.doc_id, p.text, p.position, p.section, p.page, d.title,"
                   " d.source, d.partnership, d.doc_type, d.year, d.url FROM kb_passages p"
                   " JOIN kb_documents d ON d.doc_id = p.doc_id")


def websearch_term(term: str) -> str:
    """One term as `websearch_to_tsquery` input: word characters only, quoted as a phrase."""
    cleaned = re.sub(r"[^\w]+", " ", term).strip()
    return f'"{cleaned}"' if cleaned else ""


def split_url(url: str, schema: str | None = None) -> tuple[str, str | None]:
    """A libpq connection URL (driver suffix and our `schema=` parameter removed) and the schema."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0]
    if scheme not in {"postgresql", "postgres"}:
        raise InvalidArgument(f"not a PostgreSQL URL: scheme {parts.scheme!r}")
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "schema":
            schema = schema or value
        else:
            query.append((key, value))
    if schema is not None and not _SCHEMA_NAME.fullmatch(schema):
        raise InvalidArgument(f"schema {schema!r} must be lower-case letters, digits and _")
    return urlunsplit(("postgresql", parts.netloc, parts.path, urlencode(query), "")), schema


class PostgresIndex:
    """Registry + full-text index in PostgreSQL, shared by every process pointed at it."""

    def __init__(self, url: str, *, schema: str | None = None) -> None:
        self.url, self.schema = split_url(url, schema)
        self._lock = threading.RLock()
        self._conn = None
        self._connect()
        self._setup()

    # --- connection --------------------------------------------------------------------------

    def _connect(self) -> None:
        import psycopg

        try:
            self._conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            where = urlsplit(self.url).hostname or "localhost"
            raise StoreUnavailable(f"cannot connect to the PostgreSQL index on {where}: "
                                   f"{type(exc).__name__}",
                                   hint="check SGBOT_INDEX_URL and that PostgreSQL is up") from exc
        if self.schema:
            try:
                self._conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
            except (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateSchema):
                pass  # another process created it at the same moment
            self._conn.execute(f'SET search_path TO "{self.schema}"')

    def _setup(self) -> None:
        with self._transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_SCHEMA,))
            for statement in _DDL:
                conn.execute(statement)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()

    def _live(self):
        """The connection, reopened once if the server dropped it (restart, idle timeout)."""
        if self._conn is None or self._conn.broken or self._conn.closed:
            self._connect()
        return self._conn

    def _rows(self, sql: str, params: Sequence | dict = ()) -> list[tuple]:
        import psycopg

        try:
            with self._lock:
                return self._live().execute(sql, params).fetchall()
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"index query failed: {type(exc).__name__}: {exc}") from exc
        except psycopg.Error as exc:
            raise StoreError(f"index query failed: {type(exc).__name__}: {exc}") from exc

    class _Tx:
        def __init__(self, index: PostgresIndex) -> None:
            self.index = index

        def __enter__(self):
            self.index._lock.acquire()
            try:
                conn = self.index._live()
                self.tx = conn.transaction()
                self.tx.__enter__()
            except BaseException:
                self.index._lock.release()
                raise
            return conn

        def __exit__(self, *exc_info) -> bool:
            import psycopg

            try:
                self.tx.__exit__(*exc_info)
            except psycopg.Error as exc:
                raise StoreError(f"index transaction failed: {type(exc).__name__}: {exc}") from exc
            finally:
                self.index._lock.release()
            if isinstance(exc_info[1], psycopg.Error):
                raise StoreError(f"index write failed: {type(exc_info[1]).__name__}: "
                                 f"{exc_info[1]}") from exc_info[1]
            return False

    def _transaction(self) -> PostgresIndex._Tx:
        return PostgresIndex._Tx(self)

    # --- writes ------------------------------------------------------------------------------

    def replace_document(self, doc: DocumentInfo, passages: Sequence[Passage],
                         glossary: dict[str, str]) -> None:
        now = doc.ingested_at or datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (doc.doc_id,))
            conn.execute("DELETE FROM kb_documents WHERE doc_id = %s OR source = %s",
                         (doc.doc_id, doc.source))
            conn.execute(f"INSERT INTO kb_documents ({_DOC_COLUMNS}) VALUES "
                         "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                         (doc.doc_id, doc.source, doc.title, doc.partnership, doc.doc_type,
                          doc.content_hash, doc.year, doc.url, len(passages), now))
            with conn.cursor() as cur:
                with cur.copy("COPY kb_passages (id, doc_id, position, section, page, text, title)"
                              " FROM STDIN") as copy:
                    for p in passages:
                        copy.write_row((p.id, doc.doc_id, p.position, p.section, p.page, p.text,
                                        doc.title))
                cur.executemany("INSERT INTO kb_glossary VALUES (%s,%s,%s)",
                                [(doc.doc_id, a, e) for a, e in glossary.items()])
            self._bump(conn)

    def delete_document(self, doc_id: str) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM kb_documents WHERE doc_id = %s", (doc_id,))
            self._bump(conn)

    @staticmethod
    def _bump(conn) -> None:
        conn.execute("INSERT INTO kb_meta VALUES ('generation', 1) ON CONFLICT (key) DO UPDATE "
                     "SET value = kb_meta.value + 1")

    # --- reads -------------------------------------------------------------------------------

    def generation(self) -> int:
        rows = self._rows("SELECT value FROM kb_meta WHERE key = 'generation'")
        return int(rows[0][0]) if rows else 0

    def documents(self) -> list[DocumentInfo]:
        rows = self._rows(f"SELECT {_DOC_COLUMNS} FROM kb_documents ORDER BY title")
        return [DocumentInfo(*row) for row in rows]

    def document_by_source(self, source: str) -> DocumentInfo | None:
        rows = self._rows(f"SELECT {_DOC_COLUMNS} FROM kb_documents WHERE source = %s", (source,))
        return DocumentInfo(*rows[0]) if rows else None

    def passages(self, ids: Sequence[str]) -> dict[str, Passage]:
        rows = self._rows(f"{_PASSAGE_SELECT} WHERE p.id = ANY(%s)", (list(ids),))
        return {row[0]: Passage(*row) for row in rows}

    def iter_passages(self, batch: int = 1000) -> Iterable[Passage]:
        last = 0
        while True:
            rows = self._rows(f"{_PASSAGE_SELECT.replace('SELECT ', 'SELECT p.rowid, ', 1)}"
                              " WHERE p.rowid > %s ORDER BY p.rowid LIMIT %s", (last, batch))
            if not rows:
                return
            for row in rows:
                yield Passage(*row[1:])
            last = rows[-1][0]

    def passage_ids(self, doc_id: str | None = None) -> list[str]:
        if doc_id is None:
            return [r[0] for r in self._rows("SELECT id FROM kb_passages")]
        return [r[0] for r in self._rows("SELECT id FROM kb_passages WHERE doc_id = %s",
                                         (doc_id,))]

    def passage_count(self) -> int:
        return int(self._rows("SELECT count(*) FROM kb_passages")[0][0])

    def search(self, terms: Sequence[str], k: int, partnership: str | None = None,
               doc_types: Sequence[str] | None = None) -> list[tuple[str, float]]:
        queries = [q for q in dict.fromkeys(websearch_term(t) for t in terms) if q]
        if not queries:
            return []
        freq = self._term_counts(queries)
        total = max(self.passage_count(), 1)
        # Terms that are all stopwords (empty tsquery) or match nothing add nothing.
        used = [q for q in queries if freq.get(q)]
        if not used:
            return []
        score_parts, params = [], []
        for q in used:
            idf = math.log(1.0 + (total - freq[q] + 0.5) / (freq[q] + 0.5))
            score_parts.append(f"%s * ts_rank('{_WEIGHTS}', p.tsv, websearch_to_tsquery("
                               "'english', %s), 1)")
            params.extend([idf, q])
        match = " || ".join(["websearch_to_tsquery('english', %s)"] * len(used))
        params.extend(used)
        where = [f"p.tsv @@ ({match})"]
        sql = f"SELECT p.id, {' + '.join(score_parts)} AS score FROM kb_passages p"
        if partnership or doc_types:
            sql += " JOIN kb_documents d ON d.doc_id = p.doc_id"
            if partnership:
                where.append("lower(d.partnership) = lower(%s)")
                params.append(partnership)
            if doc_types:
                where.append("d.doc_type = ANY(%s)")
                params.append(list(doc_types))
        sql += " WHERE " + " AND ".join(where) + " ORDER BY score DESC, p.rowid LIMIT %s"
        params.append(k)
        return [(row[0], float(row[1])) for row in self._rows(sql, params)]

    def _term_counts(self, queries: Sequence[str]) -> dict[str, int]:
        """Passages matching each websearch query, counted in one pass over the GIN matches."""
        if not queries:
            return {}
        counts = ", ".join(["count(*) FILTER (WHERE tsv @@ websearch_to_tsquery('english', %s))"]
                           * len(queries))
        match = " || ".join(["websearch_to_tsquery('english', %s)"] * len(queries))
        row = self._rows(f"SELECT {counts} FROM kb_passages WHERE tsv @@ ({match})",
                         [*queries, *queries])[0]
        return {q: int(n) for q, n in zip(queries, row, strict=True)}

    def doc_freq(self, terms: Sequence[str]) -> dict[str, int]:
        terms = list(dict.fromkeys(terms))
        queries = {t: websearch_term(t) for t in terms}
        distinct = [q for q in dict.fromkeys(queries.values()) if q]
        counts = self._term_counts(distinct)
        if distinct:  # stopwords have no lexemes: report them as in every passage (idf ~ 0)
            marks = ", ".join(["numnode(websearch_to_tsquery('english', %s))"] * len(distinct))
            nodes = self._rows(f"SELECT {marks}", distinct)[0]
            everywhere = self.passage_count()
            for q, n in zip(distinct, nodes, strict=True):
                if n == 0:
                    counts[q] = everywhere
        return {t: counts.get(queries[t], 0) for t in terms}

    def glossary(self) -> dict[str, str]:
        counts: dict[str, dict[str, int]] = {}
        for acronym, expansion in self._rows("SELECT acronym, expansion FROM kb_glossary"):
            counts.setdefault(acronym, {}).setdefault(expansion, 0)
            counts[acronym][expansion] += 1
        return {a: max(e, key=e.__getitem__) for a, e in counts.items()}
