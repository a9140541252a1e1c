"""Document registry and lexical index on PostgreSQL full-text search, for scale-out.

Several bot processes (and an ingest job) share one index through the database instead of a
local SQLite file each. Same contract as `knowledge.search.index.SqliteIndex`: a document's passages
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
from contextlib import contextmanager
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from knowledge.errors import InvalidArgument, StoreError, StoreUnavailable
from knowledge.search.lexical import COMMON_SHARE, FIELD_WEIGHTS, passages_in_batches
from knowledge.types import DocumentInfo, Passage

_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
#: ts_rank weights for {D, C, B, A}: title (C) 0.3, section (B) 0.6, text (A) 1.0 — as FTS5 bm25.
#: ts_rank weights {D, C, B, A}: text is weighted A, section B, title C (see the DDL); D unused.
_WEIGHTS = "{{0.1, {title}, {section}, {text}}}".format(**FIELD_WEIGHTS)
_LOCK_SCHEMA = 74_220_001  # advisory lock key serialising schema creation across processes
_LOCK_WRITE = 74_220_002  # one index writer at a time: counts stay exact, no deadlocks

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
    # Passages containing each lexeme, kept in step by every write: exact idf without counting.
    "CREATE TABLE IF NOT EXISTS kb_terms (word TEXT PRIMARY KEY, df BIGINT NOT NULL)",
    # Embeddings by hash of (model, text): every bot process reads the sentence vectors the
    # ingest job computed instead of running the model.
    "CREATE TABLE IF NOT EXISTS kb_vector_cache (key BYTEA PRIMARY KEY, vec BYTEA NOT NULL)",
]
_LEXEMES = ("SELECT lex, count(*) FROM kb_passages p, unnest(tsvector_to_array(p.tsv)) lex"
            " WHERE p.doc_id = %s GROUP BY lex ORDER BY lex")
_ADD_TERMS = ("INSERT INTO kb_terms (word, df) {select} ON CONFLICT (word) DO UPDATE"
              " SET df = kb_terms.df + EXCLUDED.df")

_DOC_COLUMNS = ("doc_id, source, title, partnership, doc_type, content_hash, year, url, passages,"
                " ingested_at")
_PASSAGE_SELECT = ("SELECT p.id, p.doc_id, p.text, p.position, p.section, p.page, d.title,"
                   " d.source, d.partnership, d.doc_type, d.year, d.url FROM kb_passages p"
                   " JOIN kb_documents d ON d.doc_id = p.doc_id")


def clean_term(term: str) -> str:
    """Word characters only: user text never becomes query syntax."""
    return re.sub(r"[^\w]+", " ", term).strip()


def websearch_term(term: str) -> str:
    """One term as `websearch_to_tsquery` input, quoted as a phrase."""
    cleaned = clean_term(term)
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
            if conn.execute("SELECT count(*) FROM kb_meta WHERE key = 'passages'").fetchone()[0] \
                    == 0:  # new schema, or one from before the counters: derive them once
                conn.execute("DELETE FROM kb_terms")
                conn.execute("INSERT INTO kb_terms SELECT lex, count(*) FROM kb_passages p,"
                             " unnest(tsvector_to_array(p.tsv)) lex GROUP BY lex")
                conn.execute("INSERT INTO kb_meta SELECT 'passages', count(*) FROM kb_passages")

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

    @contextmanager
    def _transaction(self):
        """One transaction on the connection; psycopg errors become `StoreError`."""
        import psycopg

        with self._lock:
            try:
                conn = self._live()
                with conn.transaction():
                    yield conn
            except psycopg.Error as exc:
                raise StoreError(f"index write failed: {type(exc).__name__}: {exc}") from exc

    # --- writes ------------------------------------------------------------------------------

    def replace_document(self, doc: DocumentInfo, passages: Sequence[Passage],
                         glossary: dict[str, str]) -> None:
        now = doc.ingested_at or datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_WRITE,))
            for (old_id,) in conn.execute("SELECT doc_id FROM kb_documents WHERE doc_id = %s OR"
                                          " source = %s", (doc.doc_id, doc.source)).fetchall():
                self._remove(conn, old_id)
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
            conn.execute(_ADD_TERMS.format(select=_LEXEMES), (doc.doc_id,))
            self._count(conn, "passages", len(passages))
            self._count(conn, "generation", 1)

    def delete_document(self, doc_id: str) -> None:
        with self._transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_WRITE,))
            self._remove(conn, doc_id)
            conn.execute("DELETE FROM kb_terms WHERE df <= 0")
            self._count(conn, "generation", 1)

    def _remove(self, conn, doc_id: str) -> None:
        """Take a document's lexemes and passages out of the counters, then delete it."""
        conn.execute(_ADD_TERMS.format(select=_LEXEMES.replace("count(*)", "-count(*)")),
                     (doc_id,))
        removed = conn.execute("DELETE FROM kb_passages WHERE doc_id = %s", (doc_id,)).rowcount
        conn.execute("DELETE FROM kb_documents WHERE doc_id = %s", (doc_id,))
        self._count(conn, "passages", -removed)

    @staticmethod
    def _count(conn, key: str, delta: int) -> None:
        conn.execute("INSERT INTO kb_meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE "
                     "SET value = kb_meta.value + EXCLUDED.value", (key, delta))

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
        select = _PASSAGE_SELECT.replace("SELECT ", "SELECT p.rowid, ", 1)
        return passages_in_batches(lambda last, n: self._rows(
            f"{select} WHERE p.rowid > %s ORDER BY p.rowid LIMIT %s", (last, n)), batch)

    def passage_ids(self, doc_id: str | None = None) -> list[str]:
        if doc_id is None:
            return [r[0] for r in self._rows("SELECT id FROM kb_passages")]
        return [r[0] for r in self._rows("SELECT id FROM kb_passages WHERE doc_id = %s",
                                         (doc_id,))]

    def passage_count(self) -> int:
        rows = self._rows("SELECT value FROM kb_meta WHERE key = 'passages'")
        return int(rows[0][0]) if rows else 0

    def search(self, terms: Sequence[str], k: int, partnership: str | None = None,
               doc_types: Sequence[str] | None = None) -> list[tuple[str, float]]:
        cleaned = [t for t in dict.fromkeys(clean_term(t) for t in terms) if t]
        freq, stopwords = self._term_stats(cleaned)
        used = [t for t in cleaned if t not in stopwords and freq.get(t)]
        if not used:
            return []
        total = max(self.passage_count(), 1)
        # Like a "common terms" query: very common words still score, but only rarer words pick
        # the candidates, so a question never ranks half the corpus.
        rare = [t for t in used if freq[t] <= COMMON_SHARE * total]
        if rare and len(rare) < len(used) and sum(freq[t] for t in rare) >= k:
            hits = self._ranked(used, rare, freq, total, k, partnership, doc_types)
            if len(hits) >= k:
                return hits
        return self._ranked(used, used, freq, total, k, partnership, doc_types)

    def _ranked(self, scored: list[str], matching: list[str], freq: dict[str, int], total: int,
                k: int, partnership: str | None,
                doc_types: Sequence[str] | None) -> list[tuple[str, float]]:
        score_parts, params = [], []
        for term in scored:
            idf = math.log(1.0 + (total - freq[term] + 0.5) / (freq[term] + 0.5))
            score_parts.append(f"%s * ts_rank('{_WEIGHTS}', p.tsv, websearch_to_tsquery("
                               "'english', %s), 1)")
            params.extend([idf, websearch_term(term)])
        match = " || ".join(["websearch_to_tsquery('english', %s)"] * len(matching))
        params.extend(websearch_term(t) for t in matching)
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
        sql += " WHERE " + " AND ".join(where) + " ORDER BY score DESC, p.id LIMIT %s"
        params.append(k)
        return [(row[0], float(row[1])) for row in self._rows(sql, params)]

    def _term_stats(self, cleaned: Sequence[str]) -> tuple[dict[str, int], set[str]]:
        """Passages matching each cleaned term, and which terms are only stopwords.

        Single words come from the `kb_terms` counters; phrases (several lexemes) are counted
        through the GIN index; stopwords count as being in every passage (idf ~ 0)."""
        if not cleaned:
            return {}, set()
        rows = self._rows(
            "SELECT u.term, cardinality(l.lex), coalesce(t.df, 0) FROM unnest(%s::text[]) AS"
            " u(term) CROSS JOIN LATERAL (SELECT tsvector_to_array(to_tsvector('english',"
            " u.term)) AS lex) l LEFT JOIN kb_terms t ON cardinality(l.lex) = 1 AND"
            " t.word = l.lex[1]", (list(cleaned),))
        counts: dict[str, int] = {}
        stopwords: set[str] = set()
        for term, lexemes, df in rows:
            if lexemes == 0:
                stopwords.add(term)
            elif lexemes == 1:
                counts[term] = int(df)
            else:
                counts[term] = int(self._rows(
                    "SELECT count(*) FROM kb_passages WHERE tsv @@ websearch_to_tsquery("
                    "'english', %s)", (websearch_term(term),))[0][0])
        if stopwords:
            everywhere = self.passage_count()
            counts.update({term: everywhere for term in stopwords})
        return counts, stopwords

    def doc_freq(self, terms: Sequence[str]) -> dict[str, int]:
        terms = list(dict.fromkeys(terms))
        cleaned = {t: clean_term(t) for t in terms}
        counts, _ = self._term_stats([c for c in dict.fromkeys(cleaned.values()) if c])
        return {t: counts.get(cleaned[t], 0) for t in terms}

    def vector_cache(self) -> PostgresVectorCache:
        """The shared embedding cache (same interface as `vectors.SqliteVectorCache`)."""
        return PostgresVectorCache(self)

    def glossary(self) -> dict[str, str]:
        counts: dict[str, dict[str, int]] = {}
        for acronym, expansion in self._rows("SELECT acronym, expansion FROM kb_glossary"
                                                " ORDER BY acronym, expansion"):
            counts.setdefault(acronym, {}).setdefault(expansion, 0)
            counts[acronym][expansion] += 1
        return {a: max(e, key=e.__getitem__) for a, e in counts.items()}


class PostgresVectorCache:
    """Embeddings by key in `kb_vector_cache`, shared by every process using the index."""

    def __init__(self, index: PostgresIndex) -> None:
        self.index = index

    def get(self, keys: Sequence[bytes]):
        import numpy as np

        rows = self.index._rows("SELECT key, vec FROM kb_vector_cache WHERE key = ANY(%s)",
                                (list(keys),))
        return {bytes(k): np.frombuffer(bytes(v), dtype=np.float32) for k, v in rows}

    def put(self, items) -> None:
        import numpy as np

        if not items:
            return
        with self.index._transaction() as conn, conn.cursor() as cur:
            cur.executemany("INSERT INTO kb_vector_cache VALUES (%s, %s) ON CONFLICT (key) DO "
                            "NOTHING", [(k, np.asarray(v, dtype=np.float32).tobytes())
                                        for k, v in sorted(items.items())])
