"""Extractive answering: pick the sentence(s) that answer the question, quote them verbatim.

No text is generated. Each candidate sentence is scored by meaning (embedding similarity), by
how much of the question's informative vocabulary it contains (IDF-weighted), and by the
retrieval rank of its passage. Confidence comes from the same evidence, and the answerer
abstains when the documents do not clearly contain the answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.answering.question import QuestionShape
from knowledge.errors import InvalidArgument
from knowledge.text import STOPWORDS, content_terms, split_sentences, words
from knowledge.types import Answer, Citation, ScoredPassage

_PRONOUN_START = re.compile(r"^((Collectively|Together|Additionally|Also|However|In addition|"
                            r"As such|Currently|Now),?\s+)?(this|it|they|these|those|he|she|its|"
                            r"their|such)\b", re.I)

@dataclass(frozen=True)
class Unit:
    """A sentence (or list line) inside a passage, addressable for neighbours."""

    passage_index: int
    line: int
    order: int
    text: str


def passage_units(text: str, passage_index: int = 0) -> list[Unit]:
    units: list[Unit] = []
    for line_no, line in enumerate(text.split("\n")):
        for sentence in split_sentences(line):
            units.append(Unit(passage_index, line_no, len(units), sentence))
    return units


def evidence_text(units: Sequence[Unit], position: int) -> str:
    """A sentence as scored: one opening with a pronoun ("It meets every six weeks") is read
    with the sentence before it, which holds what the pronoun refers to."""
    unit = units[position]
    if position > 0 and _PRONOUN_START.match(unit.text):
        return f"{units[position - 1].text} {unit.text}"
    return unit.text


def scoring_texts(passage_text: str) -> list[str]:
    """Every text the answerer embeds for a passage (so ingestion can embed them ahead)."""
    units = passage_units(passage_text)
    return [evidence_text(units, i) for i in range(len(units))]


class TermWeights:
    """IDF weights for question terms, from the index's document frequencies."""

    def __init__(self, doc_freq: dict[str, int], total: int) -> None:
        self.total = max(total, 1)
        self.doc_freq = doc_freq

    def idf(self, word: str) -> float:
        df = self.doc_freq.get(word, 0)
        return math.log(1 + (self.total - df + 0.5) / (df + 0.5))


class ExtractiveAnswerer:
    def __init__(self, embedder, *, min_confidence: float = 0.45, max_citations: int = 3,
                 max_answer_chars: int = 600, dense_weight: float = 0.5,
                 lexical_weight: float = 0.4, prior_weight: float = 0.1) -> None:
        if not 0.0 <= min_confidence <= 1.0:
            raise InvalidArgument(f"min_confidence must be within 0..1, got {min_confidence}")
        if max_citations < 1:
            raise InvalidArgument(f"max_citations must be >= 1, got {max_citations}")
        if max_answer_chars < 80:
            raise InvalidArgument(f"max_answer_chars must be >= 80, got {max_answer_chars}")
        if min(dense_weight, lexical_weight, prior_weight) < 0:
            raise InvalidArgument("sentence-scoring weights must be non-negative, got "
                                  f"{dense_weight}, {lexical_weight}, {prior_weight}")
        self.dense_weight = dense_weight
        self.lexical_weight = lexical_weight
        self.prior_weight = prior_weight
        self.embedder = embedder
        self.min_confidence = min_confidence
        self.max_citations = max_citations
        self.max_answer_chars = max_answer_chars
        self._vectors_cache: dict[str, np.ndarray] = {}
        self.dense_passages = 3
        self.max_dense_units = 40

    def answer(self, question: str, retrieved: Sequence[ScoredPassage], *,
               query_vector: np.ndarray, weights: TermWeights,
               synonyms: dict[str, list[str]] | None = None,
               suggestion: str | None = None) -> Answer:
        if not retrieved:
            return Answer(question, "", True, 0.0, (), suggestion)
        shape = QuestionShape.of(question)
        groups = self._term_groups(question, synonyms or {})
        units: list[Unit] = []
        for index, scored in enumerate(retrieved):
            units.extend(passage_units(scored.passage.text, index))
        if not units:
            return Answer(question, "", True, 0.0, (), suggestion)
        best_fused = max(s.score for s in retrieved) or 1.0
        partial: list[float] = []
        evidence_texts: list[str] = []
        by_passage: dict[int, list[Unit]] = {}
        for unit in units:
            by_passage.setdefault(unit.passage_index, []).append(unit)
        for unit in units:
            scored = retrieved[unit.passage_index]
            context = f"{scored.passage.section or ''} {scored.passage.title}"
            text = evidence_text(by_passage[unit.passage_index], unit.order)
            evidence_texts.append(text)
            lexical = self._coverage(groups, text, context, weights, shape.satisfied_words(text))
            prior = scored.score / best_fused
            partial.append(self.lexical_weight * lexical + self.prior_weight * prior
                           + shape.fit(unit.text, question) - self._length_penalty(unit.text))
        # Embedding sentences is the expensive step: embed every sentence of the top passages
        # and only the lexically promising ones of the rest.
        chosen = [i for i, u in enumerate(units) if u.passage_index < self.dense_passages]
        rest = sorted((i for i, u in enumerate(units) if u.passage_index >= self.dense_passages),
                      key=partial.__getitem__, reverse=True)
        chosen += rest[: max(0, self.max_dense_units - len(chosen))]
        dense = np.zeros(len(units), dtype=np.float32)
        if chosen:
            vectors = self._vectors([evidence_texts[i] for i in chosen])
            dense[chosen] = vectors @ np.asarray(query_vector, dtype=np.float32)
        unit_scores = [self.dense_weight * float(d) + p for d, p in zip(dense, partial, strict=True)]
        best = int(np.argmax(unit_scores))
        best_unit = units[best]
        best_passage = retrieved[best_unit.passage_index].passage

        passage_scores: dict[int, float] = {}
        for unit, score in zip(units, unit_scores, strict=True):
            passage_scores[unit.passage_index] = max(passage_scores.get(unit.passage_index, -1.0),
                                                     score)
        order = sorted(passage_scores, key=passage_scores.__getitem__, reverse=True)

        passage_text = f"{best_passage.text} {best_passage.section or ''}"
        coverage = self._coverage(groups, passage_text, best_passage.title, weights,
                                  shape.satisfied_words(evidence_texts[best]))
        missing_named, missing_other = self._missing_terms(question, weights)
        dense_part = min(max((float(dense[best]) - 0.2) / 0.45, 0.0), 1.0)
        confidence = 0.55 * coverage + 0.45 * dense_part
        text = self._compose([u for u in units if u.passage_index == best_unit.passage_index],
                             best_unit)
        if missing_named:
            confidence *= 0.4  # asks about a named thing no document mentions
        elif missing_other:
            confidence *= 0.7
        if shape.mismatch(text, question):
            confidence *= 0.6  # e.g. "how many" answered by a sentence without a number
        confidence = round(min(max(confidence, 0.0), 1.0), 4)

        citations = tuple(
            Citation.from_passage(retrieved[i].passage, passage_scores[i])
            for i in order[: self.max_citations]
        )
        if confidence < self.min_confidence:
            return Answer(question, "", True, confidence, citations, suggestion, None)
        return Answer(question, text, False, confidence, citations, suggestion, 0)

    # --- pieces ------------------------------------------------------------------------------

    def _vectors(self, texts: list[str]) -> np.ndarray:
        """Sentence embeddings, cached: the same passages come back for related questions."""
        cache = self._vectors_cache
        missing = [t for t in dict.fromkeys(texts) if t not in cache]
        if missing:
            if len(cache) + len(missing) > 50000:
                cache.clear()
            for text, vector in zip(missing, self.embedder.embed_documents(missing), strict=True):
                cache[text] = vector
        return np.stack([cache[t] for t in texts])

    @staticmethod
    def _term_groups(question: str, synonyms: dict[str, list[str]]) -> list[tuple[str, list[set[str]]]]:
        """Each question term with the alternatives that also satisfy it: an acronym's
        expansion, or for each word of a spelled-out name, the acronym."""
        lowered = question.lower()
        phrase_words: dict[str, set[str]] = {}
        for phrase, acronyms in synonyms.items():
            if " " in phrase and phrase.lower() in lowered:
                for word in words(phrase):
                    for acronym in acronyms:
                        phrase_words.setdefault(word, set()).update(content_terms(acronym))
        groups = []
        seen = set()
        for token in re.findall(r"[A-Za-z0-9][A-Za-z0-9&'’-]*", question):
            key = words(token)
            stems = content_terms(token)
            if not stems or not key or key[0] in seen:
                continue
            seen.add(key[0])
            alternatives = [set(stems)]
            bare = re.sub(r"['’]s$", "", token)
            for expansion in synonyms.get(bare, []):
                alternatives.append(set(content_terms(expansion)))
            if key[0] in phrase_words:
                alternatives.append(phrase_words[key[0]])
            groups.append((key[0], alternatives))
        return groups

    @staticmethod
    def _coverage(groups, text: str, context: str, weights: TermWeights,
                  satisfied: set[str] = frozenset()) -> float:
        """IDF-weighted share of question terms the text contains (context counts half)."""
        if not groups:
            return 0.0
        present = set(content_terms(text)) | {w for w in satisfied}
        around = set(content_terms(context))
        got = total = 0.0
        for word, alternatives in groups:
            weight = weights.idf(word)
            total += weight
            best = 1.0 if word in satisfied else 0.0
            for alternative in alternatives:
                if not alternative:
                    continue
                if alternative <= present:
                    best = 1.0
                elif alternative <= (present | around):
                    best = max(best, 0.5)
                elif len(alternative) > 2:
                    share = len(alternative & present) / len(alternative)
                    best = max(best, share if share >= 0.66 else 0.0)
            got += weight * best
        return got / total if total else 0.0

    @staticmethod
    def _missing_terms(question: str, weights: TermWeights) -> tuple[list[str], list[str]]:
        """Question words no passage in the corpus contains: (proper nouns, other content words).

        A question about a named thing the documents never mention cannot be answered from them.
        """
        proper, other = [], []
        for position, token in enumerate(re.findall(r"[A-Za-z][A-Za-z'’-]*", question)):
            key = words(token)
            if not key or key[0] in STOPWORDS or len(key[0]) < 4:
                continue
            if weights.doc_freq.get(key[0], 1) > 0:
                continue
            (proper if position > 0 and token[0].isupper() else other).append(token)
        return proper, other

    @staticmethod
    def _length_penalty(sentence: str) -> float:
        """Run-on table rows and headers contain a little of everything; damp them."""
        return min(0.1, 0.05 * max(0, len(sentence) - 300) / 300)

    def _compose(self, units: list[Unit], best: Unit) -> str:
        """The best sentence, plus what it needs to stand alone: the list it introduces, the
        sentence a leading pronoun refers to, or the next sentence when it is a fragment."""
        by_order = {u.order: u for u in units}
        chosen = [best]
        if _PRONOUN_START.match(best.text) and best.order - 1 in by_order:
            chosen.insert(0, by_order[best.order - 1])
        size = sum(len(u.text) + 1 for u in chosen)
        following = best.order + 1
        needs_more = best.text.rstrip().endswith(":") or len(best.text) < 60
        added = 0
        while needs_more and following in by_order and added < 8:
            nxt = by_order[following]
            if size + len(nxt.text) > self.max_answer_chars:
                break
            chosen.append(nxt)
            size += len(nxt.text) + 1
            following += 1
            added += 1
            if not best.text.rstrip().endswith(":") and size >= 60:
                break
        lines: list[str] = []
        last_line = None
        for unit in chosen:
            if last_line is not None and unit.line == last_line:
                lines[-1] += " " + unit.text
            else:
                lines.append(unit.text)
            last_line = unit.line
        return "\n".join(lines)
