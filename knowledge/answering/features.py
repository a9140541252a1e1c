"""Per-candidate-sentence features: the evidence a fitted model weighs to pick the quote.

Every retrieved passage is split into sentences; each sentence gets one row of numbers (meaning
similarity, IDF-weighted term coverage, answer-type and key-entity match, heading match,
retrieval rank and score, position, length, heading-likeness). The weights live in the model
file (`answer_model.json`), fitted by `bench/fit_answer_model.py`, not in this code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from knowledge.answering.absent import AskedSpecifics
from knowledge.answering.complete import PRONOUN_START, Unit, compose, evidence_text, passage_units
from knowledge.answering.cues import asked_cue
from knowledge.answering.details import AskedDetails
from knowledge.answering.kinds import has_person_name
from knowledge.answering.question import (
    QuestionShape,
    holds_asked_role,
)
from knowledge.answering.verify import (
    TERM_CACHE,
    Entity,
    heading_like,
    key_entities,
    term_set,
    verify,
)
from knowledge.text import STOPWORDS, content_terms, words
from knowledge.types import ScoredPassage

FEATURES = (
    "dense", "dense_gap", "embedded", "coverage", "coverage_gap", "sentence_coverage",
    "heading_coverage", "type_match", "type_missing", "entity_match", "entity_missing",
    "passage_rank", "retrieval", "first_in_passage", "position", "length", "heading_like",
    "list_intro", "pronoun", "missing_named", "missing_other", "verified", "dense_rank",
    "coverage_rank", "missing_idf", "bigrams", "passage_coverage", "neighbour_coverage",
    "own_type", "role_holder", "names_absent", "person_named", "cue",
)

#: Sentences longer than this (characters) are usually run-on table rows; length is capped here.
LONG_SENTENCE = 400


class TermWeights:
    """IDF weights for question terms, from the index's document frequencies."""

    def __init__(self, doc_freq: dict[str, int], total: int) -> None:
        self.total = max(total, 1)
        self.doc_freq = doc_freq

    def idf(self, word: str) -> float:
        df = self.doc_freq.get(word, 0)
        return math.log(1 + (self.total - df + 0.5) / (df + 0.5))


@dataclass
class Candidates:
    """The sentences of the retrieved passages with their features and composed quotes."""

    units: list[Unit]
    matrix: np.ndarray  # len(units) x len(FEATURES)
    composed: list[str]
    verified: np.ndarray  # bool per unit
    passages: int

    @property
    def asks_unknown_name(self) -> bool:
        """The question names something (a capitalised word) that no indexed passage contains."""
        return bool(len(self.matrix)) and self.matrix[0, FEATURES.index("missing_named")] > 0


def term_groups(question: str, synonyms: dict[str, list[str]]) -> list[tuple[str, list[set[str]]]]:
    """Each question term with the alternatives that also satisfy it: an acronym's expansion,
    or for each word of a spelled-out name, the acronym."""
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


def coverage(groups, text: str, context: str, weights: TermWeights,
             satisfied: set[str] = frozenset()) -> float:
    """IDF-weighted share of question terms the text contains (context counts half)."""
    if not groups:
        return 0.0
    present = term_set(text) | satisfied
    around = term_set(context)
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


def missing_idf(groups, present: frozenset[str], weights: TermWeights,
                satisfied: set[str] = frozenset()) -> float:
    """The rarest question term the terms lack, as a share of the rarest term's weight: an
    on-topic sentence that lacks the one specific thing asked ("budget") scores high."""
    if not groups:
        return 0.0
    present = present | satisfied
    idfs = [weights.idf(word) for word, _ in groups]
    lacking = [idf for (word, alternatives), idf in zip(groups, idfs, strict=True)
               if word not in satisfied and not any(a and a <= present for a in alternatives)]
    return max(lacking, default=0.0) / max(idfs)


def bigram_share(question_terms: list[str], text: str) -> float:
    """Share of the question's adjacent content-term pairs found adjacent in the text."""
    pairs = set(zip(question_terms, question_terms[1:], strict=False))
    if not pairs:
        return 0.0
    terms = _term_list(text)
    return len(pairs & set(zip(terms, terms[1:], strict=False))) / len(pairs)


@lru_cache(maxsize=TERM_CACHE)
def _term_list(text: str) -> tuple[str, ...]:
    return tuple(content_terms(text))


def missing_terms(question: str, weights: TermWeights, texts: list[str] = ()) -> tuple[int, int]:
    """How many question words no passage in the corpus contains: (proper nouns, others).
    A question about a named thing the documents never mention cannot be answered from them;
    a practitioner's acronym for words a retrieved passage spells out ("RCPC" for "review
    child protection conference") is not such a thing."""
    proper = other = 0
    initials = None
    for position, token in enumerate(re.findall(r"[A-Za-z][A-Za-z'’-]*", question)):
        key = words(token)
        if not key or key[0] in STOPWORDS or len(key[0]) < 4:
            continue
        if weights.doc_freq.get(key[0], 1) > 0:
            continue
        if token.isupper():
            if initials is None:
                initials = _initials(texts)
            if key[0] in initials:
                continue
        if position > 0 and token[0].isupper():
            proper += 1
        else:
            other += 1
    return proper, other


#: Longest acronym checked against the initials of a passage's word runs.
MAX_ACRONYM = 6


def _initials(texts: list[str]) -> set[str]:
    """The initials of every run of 2..MAX_ACRONYM consecutive non-stopwords in the texts."""
    out: set[str] = set()
    for text in texts:
        run: list[str] = []
        for word in [*words(text), ""]:
            if word and word not in STOPWORDS:
                run.append(word[0])
                continue
            for start in range(len(run)):
                for end in range(start + 2, min(len(run), start + MAX_ACRONYM) + 1):
                    out.add("".join(run[start:end]))
            run = []
    return out


def build_candidates(question: str, retrieved: list[ScoredPassage], *, weights: TermWeights,
                     synonyms: dict[str, list[str]], max_chars: int,
                     dense_fn, dense_passages: int, max_dense_units: int) -> Candidates:
    """Split, compose, verify and featurise every sentence; `dense_fn(texts)` returns their
    similarity to the question (embedding is the costly step, so only some are embedded)."""
    shape = QuestionShape.of(question)
    groups = term_groups(question, synonyms)
    entities: list[Entity] = key_entities(question, synonyms)
    missing_named, missing_other = missing_terms(question, weights,
                                                 [s.passage.text for s in retrieved])
    question_terms = content_terms(question)
    details = AskedDetails.of(question)
    specifics = AskedSpecifics.of(question, synonyms)
    cue = asked_cue(question)
    units: list[Unit] = []
    by_passage: list[list[Unit]] = []
    for index, scored in enumerate(retrieved):
        found = passage_units(scored.passage.text, index)
        by_passage.append(found)
        units.extend(found)
    n = len(units)
    matrix = np.zeros((n, len(FEATURES)), dtype=np.float32)
    col = {name: i for i, name in enumerate(FEATURES)}
    composed, texts, verified = [], [], np.zeros(n, dtype=bool)
    best_fused = max((s.score for s in retrieved), default=1.0) or 1.0
    passage_cover = [coverage(groups, s.passage.text, f"{s.passage.section or ''} "
                              f"{s.passage.title}", weights) for s in retrieved]
    # everything a sentence stands under: its passage, headings and partnership
    under = [f"{s.passage.text} {s.passage.section or ''} {s.passage.title} "
             f"{s.passage.partnership}" for s in retrieved]
    under_terms = [term_set(text) for text in under]
    # a quote is composed from its passage's sentences, so the passage stands for it
    period_absent = [specifics.period_absent(text, s.passage.year)
                     for text, s in zip(under, retrieved, strict=True)]
    names_absent = [specifics.names_absent(text, terms) for text, terms in zip(under, under_terms,
                                                                                strict=True)]
    for row, unit in enumerate(units):
        scored = retrieved[unit.passage_index]
        passage = scored.passage
        heading = f"{passage.section or ''} {passage.title} {passage.partnership}"
        siblings = by_passage[unit.passage_index]
        text = evidence_text(siblings, unit.order)
        texts.append(text)
        quote = compose(siblings, unit, shape, question, max_chars)
        composed.append(quote)
        satisfied = shape.satisfied_words(quote)
        context = heading
        around = term_set(text) | term_set(context)
        verdict = verify(quote, unit.text, around, entities, shape, question,
                         section=passage.section, title=passage.title, strict=False)
        verified[row] = verdict.ok and not shape.mismatch(quote, question)
        typed = bool(shape.wants - {"function"})
        type_ok = typed and not shape.mismatch(quote, question, strict=False)
        # the sentence itself, not a neighbour added by completion, holds the kind of answer
        # asked for ("The group is chaired by ..." rather than the group's description)
        own_ok = type_ok if text == quote else (
            typed and not shape.mismatch(text, question, strict=False))
        entity_terms = term_set(quote) | around
        entity_ok = all(e.found_in(entity_terms) for e in entities)
        # "stage 2" for a "stage three" question, last year's figure, the office-hours line at
        # the weekend, the phone number for the email: read alike, answer another question
        if details.contradicted_by(quote):
            verified[row] = False
        # "how many ... in 2022-23": a passage naming no such period anywhere, even in its
        # headings or its document's year, holds some other period's figure
        if period_absent[unit.passage_index]:
            verified[row] = False
        values = {
            "coverage": coverage(groups, text, heading, weights, satisfied),
            "sentence_coverage": coverage(groups, quote, "", weights, satisfied),
            "heading_coverage": coverage(groups, heading, "", weights),
            "type_match": float(type_ok), "type_missing": float(typed and not type_ok),
            "own_type": float(own_ok),
            "role_holder": float("person" in shape.wants and holds_asked_role(text, question)),
            # "who chairs it" is best answered by a name, not by the role's description
            "person_named": float("person" in shape.wants and has_person_name(quote, question)),
            "entity_match": float(bool(entities) and entity_ok),
            "entity_missing": float(bool(entities) and not entity_ok),
            "passage_rank": 1.0 / (1 + unit.passage_index),
            "retrieval": scored.score / best_fused,
            "first_in_passage": float(unit.order == 0),
            "position": math.log1p(unit.order),
            "length": math.log1p(min(len(unit.text), LONG_SENTENCE)),
            "heading_like": float(heading_like(unit.text)),
            "list_intro": float(unit.text.rstrip().endswith(":")),
            "pronoun": float(bool(PRONOUN_START.match(unit.text))),
            "missing_named": float(missing_named), "missing_other": float(missing_other),
            "verified": float(verdict.ok),
            "missing_idf": missing_idf(groups, term_set(quote) | term_set(heading), weights,
                                       satisfied),
            "bigrams": bigram_share(question_terms, text),
            "passage_coverage": passage_cover[unit.passage_index],
            "names_absent": names_absent[unit.passage_index],
            "cue": float(bool(cue and cue.search(text))),
        }
        for name, value in values.items():
            matrix[row, col[name]] = value
    if n:
        cov = matrix[:, col["coverage"]]
        for row, unit in enumerate(units):
            near = [r for r in (row - 1, row + 1)
                    if 0 <= r < n and units[r].passage_index == unit.passage_index]
            matrix[row, col["neighbour_coverage"]] = max((cov[r] for r in near), default=0.0)
        matrix[:, col["coverage_gap"]] = cov - cov.max()
        prior = cov + matrix[:, col["retrieval"]]
        chosen = [i for i, u in enumerate(units) if u.passage_index < dense_passages]
        rest = sorted((i for i, u in enumerate(units) if u.passage_index >= dense_passages),
                      key=lambda i: -prior[i])
        chosen += rest[: max(0, max_dense_units - len(chosen))]
        if chosen:
            sims = np.asarray(dense_fn([texts[i] for i in chosen]), dtype=np.float32)
            matrix[chosen, col["dense"]] = sims
            matrix[chosen, col["embedded"]] = 1.0
            dense = matrix[:, col["dense"]]
            matrix[chosen, col["dense_gap"]] = sims - dense[chosen].max()
        for name, source in (("dense_rank", "dense"), ("coverage_rank", "coverage")):
            ranks = np.argsort(np.argsort(-matrix[:, col[source]], kind="stable"), kind="stable")
            matrix[:, col[name]] = 1.0 / (1.0 + ranks)
    return Candidates(units, matrix, composed, verified, len(retrieved))
