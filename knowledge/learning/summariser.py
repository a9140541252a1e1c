"""`LearningSummariser`: the key learning on a theme, as verbatim cited points.

Nothing is generated. Candidate passages come from the hybrid retriever (theme plus curated
synonyms); each sentence must carry evidence of the theme itself (a theme word or synonym in the
sentence, or in its passage together with real semantic similarity), then sentences are scored
by theme coverage, meaning, retrieval rank, document type (review learning and annual reports
first) and whether they say what must change. Near-duplicates are merged, so every point adds
something; when too few sentences qualify the summary says it is thin rather than padding.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np

from knowledge.answering.answerer import passage_units
from knowledge.errors import InvalidArgument, NotIndexed
from knowledge.learning.sentences import CUT_START, period_end, quotable, span_of, verbatim
from knowledge.learning.types import LearningPoint, LearningSummary, SourceDocument, ThemeCount
from knowledge.learning.vocabulary import TermGroup, keys, theme_groups, vocabulary_groups
from knowledge.owner import partnership_name
from knowledge.text import normalise
from knowledge.types import Citation, DocumentInfo, Passage

log = logging.getLogger(__name__)

DOC_TYPE_WEIGHTS: dict[str, float] = {"review_learning": 1.0, "annual_report": 0.85,
                                      "masa_plan": 0.7, "threshold_guidance": 0.6, "other": 0.7}
MAX_THEME_CHARS = 200
_ACTION = re.compile(r"\b(need(?:s|ed)? to|should|recommend\w*|learning|lessons?|must|"
                     r"ensur\w*|important (?:to|that)|improv\w+|requir\w+|essential|"
                     r"key (?:message|finding)s?|remind\w*|consider\w*|good practice|"
                     r"practitioners (?:can|will))\b", re.I)


@dataclass
class _Candidate:
    text: str
    passage: Passage
    first: int
    last: int
    coverage: float
    in_sentence: bool
    prior: float
    score: float = 0.0
    vector: np.ndarray | None = None


class LearningSummariser:
    """Summarise what the documents teach on a theme. Cheap to build; reads the kb lazily."""

    def __init__(self, kb, *, min_points: int = 3, max_points: int = 8, candidates: int = 60,
                 min_coverage: float = 0.5, semantic_threshold: float = 0.3,
                 duplicate_similarity: float = 0.86, duplicate_overlap: float = 0.6,
                 max_point_chars: int = 450, max_share_per_document: float = 0.6,
                 max_sentences: int = 64, document_diversity: float = 0.04,
                 doc_type_weights: Mapping[str, float] | None = None,
                 today: Callable[[], date] | None = None) -> None:
        if min_points < 1:
            raise InvalidArgument(f"min_points must be >= 1, got {min_points}")
        if max_points < min_points:
            raise InvalidArgument(f"max_points must be >= min_points ({min_points}), "
                                  f"got {max_points}")
        if max_points > 20:
            raise InvalidArgument(f"max_points must be <= 20 (one page), got {max_points}")
        if candidates < max_points:
            raise InvalidArgument(f"candidates must be >= max_points, got {candidates}")
        for name, value in (("min_coverage", min_coverage),
                            ("semantic_threshold", semantic_threshold),
                            ("duplicate_similarity", duplicate_similarity),
                            ("duplicate_overlap", duplicate_overlap),
                            ("max_share_per_document", max_share_per_document),
                            ("document_diversity", document_diversity)):
            if not 0.0 <= value <= 1.0:
                raise InvalidArgument(f"{name} must be within 0..1, got {value}")
        if max_sentences < max_points:
            raise InvalidArgument(f"max_sentences must be >= max_points, got {max_sentences}")
        if max_point_chars < 80:
            raise InvalidArgument(f"max_point_chars must be >= 80, got {max_point_chars}")
        weights = dict(DOC_TYPE_WEIGHTS)
        for doc_type, weight in (doc_type_weights or {}).items():
            if not 0.0 < weight <= 2.0:
                raise InvalidArgument(f"weight for {doc_type!r} must be within (0, 2], "
                                      f"got {weight}")
            weights[doc_type] = weight
        self.kb = kb
        self.min_points = min_points
        self.max_points = max_points
        self.candidates = candidates
        self.min_coverage = min_coverage
        self.semantic_threshold = semantic_threshold
        self.duplicate_similarity = duplicate_similarity
        self.duplicate_overlap = duplicate_overlap
        self.max_point_chars = max_point_chars
        self.max_share_per_document = max_share_per_document
        self.max_sentences = max_sentences
        self.document_diversity = document_diversity
        self.doc_type_weights = weights
        self._today = today or (lambda: datetime.now(UTC).date())
        self._vectors: dict[str, np.ndarray] = {}
        self._themes: dict[tuple[int, str | None], list[ThemeCount]] = {}
        self._vocabulary = vocabulary_groups()

    # --- public API --------------------------------------------------------------------------

    def summarise(self, theme: str, *, since: date | None = None,
                  partnership: str | None = None) -> LearningSummary:
        theme = normalise(theme or "")
        if not theme:
            raise InvalidArgument("the theme is empty", hint="name a theme, e.g. 'neglect'; run "
                                  "'sgbot learning' to list the themes the documents cover")
        if len(theme) > MAX_THEME_CHARS:
            raise InvalidArgument(f"the theme is {len(theme)} characters long; the limit is "
                                  f"{MAX_THEME_CHARS}")
        if since is not None and not isinstance(since, date):
            raise InvalidArgument(f"since must be a date, got {since!r}")
        if not keys(theme):
            raise InvalidArgument(f"the theme {theme!r} has no content words",
                                  hint="name a theme, e.g. 'neglect'")
        if self.kb.index.passage_count() == 0:
            raise NotIndexed("no documents are indexed yet", hint="run 'sgbot ingest PATH'")
        started = time.perf_counter()
        groups = theme_groups(theme, self.kb.glossary())
        documents = {d.doc_id: d for d in self.kb.documents()}
        passages = self._retrieve(theme, groups, since, partnership, documents)
        candidates = self._candidates(theme, groups, passages)
        points = self._select(candidates)
        summary = self._assemble(theme, points, since, partnership)
        log.info("learning summary done points=%d thin=%s candidates=%d ms=%.0f",
                 len(summary.points), summary.thin, len(candidates),
                 1000 * (time.perf_counter() - started))
        return summary

    def themes(self, *, partnership: str | None = None) -> list[ThemeCount]:
        """Themes the corpus covers, curated vocabulary first, then mined key phrases."""
        from knowledge.learning.themes import mine_themes

        key = (self.kb.index.generation(), partnership.lower() if partnership else None)
        if key not in self._themes:
            if len(self._themes) > 16:
                self._themes.clear()
            self._themes[key] = mine_themes(self.kb, partnership=partnership)
        return list(self._themes[key])

    # --- retrieval ---------------------------------------------------------------------------

    def _retrieve(self, theme: str, groups: list[TermGroup], since: date | None,
                  partnership: str | None, documents: dict[str, DocumentInfo]
                  ) -> list[tuple[Passage, float]]:
        """Candidate passages with a 0..1 retrieval prior, filtered by `since`."""
        synonyms = [" ".join(alt) for g in groups for alt in g.alternatives[:6]]
        query = " ".join(dict.fromkeys([theme, *synonyms]))
        k = self.candidates * (3 if since else 1)
        found: dict[str, tuple[Passage, float]] = {}
        for doc_types in (None, ("review_learning", "annual_report")):
            size = k if doc_types is None else max(k // 2, self.max_points)
            for scored in self.kb.search(query, size, partnership=partnership,
                                         doc_types=doc_types):
                pid = scored.passage.id
                if pid not in found or found[pid][1] < scored.score:
                    found[pid] = (scored.passage, scored.score)
        kept = [(p, s) for p, s in found.values() if self._recent(p, since, documents)]
        best = max((s for _p, s in kept), default=1.0) or 1.0
        return [(p, s / best) for p, s in kept]

    @staticmethod
    def _recent(passage: Passage, since: date | None, documents: dict[str, DocumentInfo]) -> bool:
        """Period end year when the document states one, else its ingestion date."""
        if since is None:
            return True
        end = period_end(passage.year)
        if end is not None:
            return end >= since.year
        doc = documents.get(passage.doc_id)
        if doc is None or not doc.ingested_at:
            return False
        try:
            ingested = datetime.fromisoformat(doc.ingested_at).date()
        except ValueError:
            return False
        return ingested >= since

    # --- sentences ---------------------------------------------------------------------------

    def _candidates(self, theme: str, groups: list[TermGroup],
                    passages: list[tuple[Passage, float]]) -> list[_Candidate]:
        needed = len(groups) if len(groups) <= 2 else len(groups) - 1
        out: list[_Candidate] = []
        for passage, prior in passages:
            context = keys(f"{passage.section or ''} {passage.title} {passage.text}")
            in_passage = [g.found_in(context) for g in groups]
            if sum(in_passage) < needed:
                continue  # the passage is not about the whole theme
            units = passage_units(passage.text)
            lines = passage.text.split("\n")
            for position in range(len(units)):
                span = span_of(units, position)
                text = verbatim(lines, span)
                tail = span[-1].order == units[-1].order
                if text is None or not quotable(text, tail=tail,
                                                          max_chars=self.max_point_chars):
                    continue
                if position == 0 and CUT_START.match(text):
                    continue  # the chunker cut this sentence; its start is in another passage
                unit_keys = keys(text)
                if sum(g.found_in(unit_keys) for g in self._vocabulary) >= 4:
                    continue  # a list of topics ("tagged with: neglect, ..."), not learning
                in_sentence = [g.found_in(unit_keys) for g in groups]
                coverage = sum(1.0 if s else 0.5 if p else 0.0
                               for s, p in zip(in_sentence, in_passage, strict=True)) / len(groups)
                if coverage < self.min_coverage:
                    continue
                out.append(_Candidate(text, passage, span[0].order, span[-1].order, coverage,
                                      any(in_sentence), prior))
        if not out:
            return []
        # embedding is the slow part on CPU: only the lexically best sentences go to the model
        out.sort(key=lambda c: -(self._weight(c) * (0.45 * c.coverage + 0.2 * c.prior)
                                 + (0.2 if _ACTION.search(c.text) else 0.0)))
        out = out[:self.max_sentences]
        theme_vector = np.asarray(self.kb.embedder.embed_query(theme), dtype=np.float32)
        vectors = self._embed([c.text for c in out])
        kept = []
        for candidate, vector in zip(out, vectors, strict=True):
            similarity = float(vector @ theme_vector)
            if not candidate.in_sentence and similarity < self.semantic_threshold:
                continue  # the theme is only in the passage around it, and the meaning is far
            semantic = min(max((similarity - 0.1) / 0.5, 0.0), 1.0)
            weight = self._weight(candidate)
            action = 0.2 if _ACTION.search(candidate.text) else 0.0
            question = 0.9 if candidate.text.rstrip().endswith("?") else 1.0
            candidate.score = question * (weight * (0.45 * candidate.coverage + 0.35 * semantic
                                                    + 0.2 * candidate.prior) + action)
            candidate.vector = vector
            kept.append(candidate)
        kept.sort(key=lambda c: c.score, reverse=True)
        return kept

    def _weight(self, candidate: _Candidate) -> float:
        return self.doc_type_weights.get(candidate.passage.doc_type,
                                         self.doc_type_weights["other"])

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors, cached per process; safe if another thread clears the cache."""
        cache = self._vectors
        found = {t: cache.get(t) for t in dict.fromkeys(texts)}
        missing = [t for t, v in found.items() if v is None]
        if missing:
            if len(cache) + len(missing) > 20000:
                cache.clear()
            for text, vector in zip(missing, self.kb.embedder.embed_documents(missing),
                                    strict=True):
                found[text] = cache[text] = np.asarray(vector, dtype=np.float32)
        return np.stack([found[t] for t in texts])

    # --- selection ---------------------------------------------------------------------------

    def _duplicate(self, a: _Candidate, b: _Candidate) -> bool:
        if a.passage.id == b.passage.id and a.first <= b.last and b.first <= a.last:
            return True  # overlapping spans of one passage
        if a.vector is not None and b.vector is not None and \
                float(a.vector @ b.vector) >= self.duplicate_similarity:
            return True
        ka, kb_ = set(keys(a.text)), set(keys(b.text))
        if not ka or not kb_:
            return False
        overlap = len(ka & kb_) / min(len(ka), len(kb_))
        return overlap >= self.duplicate_overlap and len(ka & kb_) / len(ka | kb_) >= 0.45

    def _select(self, candidates: list[_Candidate]) -> list[tuple[_Candidate, list[_Candidate]]]:
        """Greedy best-first with a small penalty per point a document already has (so the
        summary draws on several documents), near-duplicates merged as `also`, and no document
        above its share unless nothing else qualifies."""
        cap = max(2, round(self.max_points * self.max_share_per_document))
        chosen: list[tuple[_Candidate, list[_Candidate]]] = []
        per_doc: dict[str, int] = {}

        def merge_into(candidate: _Candidate) -> bool:
            for kept, merged in chosen:
                if self._duplicate(kept, candidate):
                    if kept.passage.doc_id != candidate.passage.doc_id and len(merged) < 3:
                        merged.append(candidate)
                    return True
            return False

        def effective(candidate: _Candidate) -> float:
            count = per_doc.get(candidate.passage.doc_id, 0)
            return candidate.score - self.document_diversity * count - (1.0 if count >= cap
                                                                         else 0.0)

        remaining = list(candidates)
        while remaining and len(chosen) < self.max_points:
            best = max(range(len(remaining)), key=lambda i: effective(remaining[i]))
            candidate = remaining.pop(best)
            if merge_into(candidate):
                continue
            chosen.append((candidate, []))
            per_doc[candidate.passage.doc_id] = per_doc.get(candidate.passage.doc_id, 0) + 1
        return chosen

    def _assemble(self, theme: str, chosen, since: date | None,
                  partnership: str | None) -> LearningSummary:
        best_by_doc: dict[str, float] = {}
        for candidate, _merged in chosen:
            doc_id = candidate.passage.doc_id
            best_by_doc[doc_id] = max(best_by_doc.get(doc_id, 0.0), candidate.score)
        ordered = sorted(chosen, key=lambda item: (-best_by_doc[item[0].passage.doc_id],
                                                   item[0].passage.doc_id,
                                                   item[0].passage.position, item[0].first))
        points: list[LearningPoint] = []
        sources: list[SourceDocument] = []
        for candidate, merged in ordered:
            p = candidate.passage
            citation = Citation.from_passage(p, candidate.score, text=candidate.text)
            also = tuple(Citation.from_passage(m.passage, m.score, text=m.text) for m in merged)
            points.append(LearningPoint(candidate.text, citation, round(candidate.score, 4), also))
            if not sources or sources[-1].source != p.source:
                sources.append(SourceDocument(p.title, p.source, p.doc_type, p.year, p.url,
                                              p.partnership, ()))
            last = sources[-1]
            sources[-1] = SourceDocument(last.title, last.source, last.doc_type, last.year,
                                         last.url, last.partnership,
                                         (*last.points, len(points) - 1))
        thin = len(points) < self.min_points
        suggestions: tuple[str, ...] = ()
        scope = self._scope(since, partnership)
        if not points:
            suggestions = self._suggestions(theme, partnership)
            message = (f"The documents{scope} hold no learning clearly about “{theme}”. "
                       "Nothing is shown rather than weak matches.")
        elif thin:
            suggestions = self._suggestions(theme, partnership)
            message = (f"Thin evidence: only {len(points)} point(s){scope} are clearly about "
                       f"“{theme}” (at least {self.min_points} are needed for a summary). "
                       "Treat them as leads, not a picture of the learning.")
        else:
            message = (f"{len(points)} key learning points on “{theme}” from {len(sources)} "
                       f"document(s){scope}.")
        owner = partnership or partnership_name(self.kb.settings, self.kb.documents())
        return LearningSummary(theme, tuple(points), thin, message, self._today(),
                               tuple(sources), since, owner, suggestions)

    @staticmethod
    def _scope(since: date | None, partnership: str | None) -> str:
        parts = []
        if partnership:
            parts.append(f" of {partnership}")
        if since:
            parts.append(f" since {since.isoformat()}")
        return "".join(parts)

    def _suggestions(self, theme: str, partnership: str | None) -> tuple[str, ...]:
        """Well-covered themes to try instead (the theme itself excluded)."""
        covered = [t for t in self.themes(partnership=partnership)
                   if t.kind == "vocabulary" and t.theme.lower() != theme.lower()]
        covered.sort(key=lambda t: -t.passages)
        return tuple(t.theme for t in covered[:5])
