"""`KnowledgeBase`: the transport-free core every adapter calls.

Adapters build one per process with `KnowledgeBase(settings)` and call `ask`, `search`,
`documents`. Stores and the model open lazily, so constructing it costs nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from knowledge.answering.abstention import abstention_message, shape_abstention
from knowledge.answering.answerer import ExtractiveAnswerer, TermWeights
from knowledge.answering.follow_up import follow_up_query  # noqa: F401 - re-exported API
from knowledge.errors import InvalidArgument
from knowledge.search.glossary import document_query, expand_query, with_national
from knowledge.search.lexical import LexicalIndex
from knowledge.search.retriever import HybridRetriever
from knowledge.search.scope import PartnershipScope
from knowledge.text import words
from knowledge.types import Answer, DocumentInfo, Passage, ScoredPassage

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
#: Passages handed to the answerer, whose sentence scores (a better judge than the fusion)
#: reorder them for citation. Chosen among 8/12/16 on the team-written questions once the
#: round-5 features were in: 8 did best there (training CV answer@1 0.634 vs 0.628/0.622;
#: bench/RESULTS.md "Answer depth"), deeper lists gave near-miss sentences more chances.
ANSWER_PASSAGES = 8


@dataclass(frozen=True)
class _SearchQuery:
    glossary: dict[str, str]
    expanded: str  # the scoped question plus acronym expansions and document wording
    doc_freq: dict[str, int]  # passages holding each of the question's words
    searched: str  # the scoped question, words no passage holds in the documents' wording


def embedding_text(passage: Passage) -> str:
    """What is embedded for a passage: its section heading gives short passages context."""
    return f"{passage.section}: {passage.text}" if passage.section else passage.text


def sentence_texts(passage: Passage) -> list[str]:
    """The sentences the answerer scores for a passage (embedded ahead at ingest)."""
    from knowledge.answering.answerer import scoring_texts

    return scoring_texts(passage.text)


@dataclass(frozen=True)
class DocumentVersion:
    """A parsed document ready to store; `previous_ids` are the passages it replaces."""

    doc: DocumentInfo
    passages: list[Passage]
    glossary: dict[str, str]
    previous_ids: tuple[str, ...] = ()


class KnowledgeBase:
    def __init__(self, settings, *, embedder=None, index: LexicalIndex | None = None,
                 vectors=None, sentence_vectors: bool | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._index = index
        self._vectors = vectors
        #: Keep embeddings by text (passages and every sentence, embedded at ingest), so
        #: answering never runs the model on sentences (~300 ms a question on 2 cores) and an
        #: edited document only embeds its new text. Pointless for the fake embedder.
        self.sentence_vectors = (settings.sentence_vectors and settings.embed_backend != "fake"
                                 if sentence_vectors is None else sentence_vectors)
        self._cached_embedder = None
        self._lock = threading.RLock()
        self._glossary: tuple[int, dict[str, str]] | None = None
        self._scope: tuple[int, PartnershipScope] | None = None
        self._answerer: ExtractiveAnswerer | None = None

    # --- lazily opened parts -----------------------------------------------------------------

    @property
    def embedder(self):
        if self._embedder is None:
            with self._lock:
                if self._embedder is None:
                    from knowledge.search.embedder import make_embedder

                    self._embedder = make_embedder(self.settings)
        return self._embedder

    @property
    def index(self) -> LexicalIndex:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    from knowledge.search.index import open_index

                    self._index = open_index(self.settings)
        return self._index

    @property
    def vectors(self):
        if self._vectors is None:
            with self._lock:
                if self._vectors is None:
                    from knowledge.search.exact import ExactVectors
                    from knowledge.search.vectors import ChromaVectorStore

                    self._vectors = ExactVectors(ChromaVectorStore(self.settings),
                                                 self.index.generation)
        return self._vectors

    @property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.index, self.vectors, self.embedder)

    @property
    def cached_embedder(self):
        """The embedder for passages and sentences: backed by the cache when it is kept."""
        if not self.sentence_vectors:
            return self.embedder
        if self._cached_embedder is None:
            with self._lock:
                if self._cached_embedder is None:
                    from knowledge.search.vectors import CachingEmbedder, SqliteVectorCache

                    shared = getattr(self.index, "vector_cache", None)  # PostgreSQL: shared
                    cache = shared() if shared else SqliteVectorCache(
                        self.settings.data_dir / "sentence-vectors.sqlite")
                    self._cached_embedder = CachingEmbedder(self.embedder, cache)
        return self._cached_embedder

    @property
    def answerer(self) -> ExtractiveAnswerer:
        if self._answerer is None:
            self._answerer = ExtractiveAnswerer(self.cached_embedder,
                                                min_confidence=self.settings.min_confidence)
            if not self.sentence_vectors:
                # sentences are embedded at question time: fewer, to keep answers near 100 ms
                self._answerer.max_dense_units = 20
        return self._answerer

    def glossary(self) -> dict[str, str]:
        generation = self.index.generation()
        if self._glossary is None or self._glossary[0] != generation:
            self._glossary = (generation, with_national(self.index.glossary()))
        return self._glossary[1]

    def partnership_scope(self) -> PartnershipScope:
        """Names, places and acronyms of the indexed partnerships (rebuilt when the index
        changes): `resolve` a name given by a user or setting, `detect` one in a question."""
        generation = self.index.generation()
        if self._scope is None or self._scope[0] != generation:
            self._scope = (generation, PartnershipScope.from_kb(self))
        return self._scope[1]

    def resolve_partnership(self, name: str | None) -> str | None:
        """The indexed partnership `name` means ("nscp", "Northshire", the full name), or None
        for None; raises `UnknownPartnership` (listing the indexed ones) if it means none."""
        return self.partnership_scope().resolve(name) if name else None

    # --- questions ---------------------------------------------------------------------------

    def _search_query(self, scoped: str, query: str) -> _SearchQuery:
        """What `search` and `ask` both search with: the scoped question in the documents'
        wording, its glossary expansion, and the document counts of the question's words."""
        glossary = self.glossary()
        doc_freq = self.index.doc_freq(words(query))
        return _SearchQuery(glossary, expand_query(scoped, glossary), doc_freq,
                            document_query(scoped, glossary, doc_freq))

    def search(self, query: str, k: int = 10, *, partnership: str | None = None,
               doc_types: Sequence[str] | None = None) -> list[ScoredPassage]:
        scope = self.partnership_scope().decide(query, explicit=partnership)
        search = self._search_query(scope.query, query)
        return self.retriever.retrieve(search.searched, k, partnership=scope.partnership,
                                       doc_types=doc_types, expansion=search.expanded)

    def ask(self, question: str, *, partnership: str | None = None,
            doc_types: Sequence[str] | None = None, previous: str | None = None,
            previous_answer: str | None = None, default_partnership: str | None = None) -> Answer:
        """Answer with verbatim quotes and citations, or abstain with a suggestion.

        `previous`/`previous_answer`: the conversation's earlier question and the answer it got,
        which short follow-ups ("who chairs it?") are read against.
        Searches `partnership` if given (any of its names; `UnknownPartnership` if none
        matches), else the partnership the question names, else `default_partnership` (a
        channel's: `knowledge.search.scope.default_partnership`), else every partnership."""
        question = (question or "").strip()
        if not question:
            raise InvalidArgument("the question is empty", hint="ask something, e.g. 'who chairs "
                                  "the partnership?'")
        if len(question) > MAX_QUESTION_CHARS:
            raise InvalidArgument(f"the question is {len(question)} characters long; the limit "
                                  f"is {MAX_QUESTION_CHARS}")
        started = time.perf_counter()
        query = follow_up_query(question, previous, previous_answer)
        scope = self.partnership_scope().decide(query, explicit=partnership,
                                                default=default_partnership)
        partnership = scope.partnership
        # Search without the partnership's own names (they match all its passages); the
        # answerer still reads the whole question (measured better: bench/RESULTS.md).
        search = self._search_query(scope.query, query)
        glossary, doc_freq = search.glossary, search.doc_freq
        query_vector = self.embedder.embed_query(query)
        total = self.index.passage_count()
        search_vector = (query_vector if search.searched == query
                         else self.embedder.embed_query(search.searched))
        retrieved = self.retriever.retrieve(search.searched, ANSWER_PASSAGES,
                                            partnership=partnership, doc_types=doc_types,
                                            query_vector=search_vector, expansion=search.expanded,
                                            doc_freq=doc_freq, total=total)
        weights = TermWeights(doc_freq, total)
        synonyms = {acronym: [expansion] for acronym, expansion in glossary.items()}
        for acronym, expansion in glossary.items():
            synonyms.setdefault(expansion, []).append(acronym)
        answer = self.answerer.answer(query, retrieved, query_vector=query_vector,
                                      weights=weights, synonyms=synonyms,
                                      suggestion=self.abstain_suggestion())
        answer = shape_abstention(answer, query, doc_freq, total, synonyms=synonyms,
                                  help_contact=self.settings.help_contact)
        answer = replace(answer, question=question, partnership=partnership)
        log.info("ask done abstained=%s confidence=%.3f citations=%d scope=%s ms=%.0f",
                 answer.abstained, answer.confidence, len(answer.citations), scope.how,
                 1000 * (time.perf_counter() - started))
        return answer

    def abstain_suggestion(self) -> str:
        return abstention_message(self.settings.help_contact, useful=False)

    # --- documents ---------------------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        return self.index.documents()

    def store_document(self, doc: DocumentInfo, passages: Sequence[Passage],
                       glossary: dict[str, str], previous_ids: Sequence[str] = ()) -> None:
        """Vectors first, then one registry transaction makes the new version visible, then the
        old vectors go: readers see the old document or the new one, never a mix."""
        self.store_documents([DocumentVersion(doc, list(passages), glossary,
                                              tuple(previous_ids))])

    def store_documents(self, versions: Sequence[DocumentVersion]) -> None:
        """Store several documents with one embedding pass (the embedder length-sorts across
        files); with the cache, text embedded before (an unchanged passage or sentence of an
        edited document) is not embedded again."""
        passages = [p for v in versions for p in v.passages]
        texts = [embedding_text(p) for p in passages]
        if self.sentence_vectors:  # one pass: sentences share the length-sorted batches
            texts += list(dict.fromkeys(u for p in passages for u in sentence_texts(p)))
        vectors = self.cached_embedder.embed_documents(texts)[:len(passages)]
        self._mark_pending()
        self.vectors.add(passages, vectors)
        for version in versions:
            self.index.replace_document(version.doc, version.passages, version.glossary)
            stale = set(version.previous_ids) - {p.id for p in version.passages}
            if stale:
                self.vectors.delete(sorted(stale))

    def remove_document(self, doc_id: str) -> None:
        ids = self.index.passage_ids(doc_id)
        self._mark_pending()
        self.index.delete_document(doc_id)
        self.vectors.delete(ids)

    @property
    def _pending_marker(self):
        return self.settings.data_dir / ".vectors-pending"

    def _mark_pending(self) -> None:
        """Note that vector writes are under way; `reconcile` clears it once stores agree."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self._pending_marker.touch()

    def reconcile(self, *, force: bool = False) -> int:
        """Delete vectors the registry does not know (left by an interrupted run).

        Opens the vector store only if this process already has, or vector writes may have
        been interrupted (marker left) — so re-ingesting an unchanged folder never loads Chroma.
        `force` checks anyway (repair: orphans can outlive a lost marker).
        """
        marker = self._pending_marker
        if not force and self._vectors is None and not marker.exists():
            return 0
        orphans: set[str] = set()
        if self.vectors.count() != self.index.passage_count():
            stored = set(self.vectors.all_ids())
            orphans = stored - set(self.index.passage_ids())
            if orphans:
                self.vectors.delete(sorted(orphans))
        marker.unlink(missing_ok=True)
        return len(orphans)

    def repair_vectors(self) -> int:
        """Re-embed registry passages whose vectors are missing (e.g. a vector store restored
        from an older backup), so every visible passage can be found by meaning again."""
        self.reconcile(force=True)
        missing = sorted(set(self.index.passage_ids()) - set(self.vectors.all_ids()))
        for start in range(0, len(missing), 512):
            passages = list(self.index.passages(missing[start:start + 512]).values())
            vectors = self.embedder.embed_documents([embedding_text(p) for p in passages])
            self.vectors.add(passages, vectors)
        if missing:
            log.info("repaired vectors=%d", len(missing))
        return len(missing)

