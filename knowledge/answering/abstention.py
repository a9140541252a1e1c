"""What an abstention shows: who to ask, and passages only when they are about the question.

When the bot cannot answer, passages that merely came back from retrieval ("the capital of
France" finds *something* in any corpus) mislead more than they help. A passage is offered as
"you may find this useful" only when it contains most of the question's informative vocabulary
(IDF-weighted, so a rare subject word counts far more than "what" or "children"). Every surface
gets the same decision because `KnowledgeBase.ask` applies it to every abstention.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from knowledge.text import QUESTION_WORDS, STOPWORDS, content_terms, stem, words
from knowledge.types import Answer, Citation

#: Share of the question's weight a passage must contain to be offered after an abstention.
#: Fitted with bench/abstention_bench.py (invented questions, real model): off-topic questions
#: reach at most 0.31, on-topic ones whose detail is missing 0.17-0.70; 0.35 shows passages for
#: 5 of 8 on-topic questions (7 of 8 shown are about the subject) and for none of 20 off-topic.
MIN_SUBJECT_COVERAGE = 0.35
#: Passages offered at most: leads to read, not a list to wade through.
MAX_USEFUL_PASSAGES = 2
#: Heading every surface puts above the passages offered with an abstention.
USEFUL_HEADING = "You may find this useful:"


def _idf(doc_freq: Mapping[str, int], total: int, term: str) -> float:
    """Same form as the answerer's weights; an unseen term gets the highest weight."""
    df = doc_freq.get(term, 0)
    total = max(total, 1)
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


def _question_terms(question: str) -> list[tuple[str, bool]]:
    """(word, named?) for each informative word; named = capitalised after the first word."""
    out: dict[str, bool] = {}
    for position, token in enumerate(re.findall(r"[A-Za-z0-9][A-Za-z0-9'’&-]*", question)):
        for word in words(token):
            if word in STOPWORDS or word in QUESTION_WORDS or len(word) < 2:
                continue
            named = position > 0 and token[0].isupper()
            out[word] = out.get(word, False) or named
    return list(out.items())


def subject_weights(question: str, doc_freq: Mapping[str, int], total: int) -> dict[str, float]:
    """IDF weight of each question word (unstemmed, as the index counts them).

    A word no document contains gets the highest weight when it is a name ("France": nothing
    can be about it), but only as much as the question's rarest known word when it is an
    ordinary word ("salary" of the independent scrutineer): the documents may be about the
    subject without holding the asked-for detail."""
    terms = _question_terms(question)
    known = [_idf(doc_freq, total, w) for w, _ in terms if doc_freq.get(w, 0) > 0]
    cap = max(known) if known else None
    weights = {}
    for word, named in terms:
        weight = _idf(doc_freq, total, word)
        if doc_freq.get(word, 0) == 0 and not named and cap is not None:
            weight = cap
        weights[word] = weight
    return weights


def subject_coverage(question: str, text: str, doc_freq: Mapping[str, int], total: int, *,
                     synonyms: Mapping[str, Sequence[str]] | None = None,
                     context: str = "") -> float:
    """Weighted share (0..1) of the question's informative words that `text` contains.

    A word also counts as present when the text holds one of its synonyms in full (an acronym
    for its expansion or the reverse, from the corpus glossary); a word only in `context` (the
    document title) counts half, as the answerer counts it."""
    weights = subject_weights(question, doc_freq, total)
    if not weights:
        return 0.0
    present = set(content_terms(text))
    around = set(content_terms(context))
    alternatives: dict[str, list[set[str]]] = {}
    for phrase, others in (synonyms or {}).items():
        key = words(phrase)
        if len(key) == 1:
            alternatives.setdefault(key[0], []).extend(set(content_terms(o)) for o in others)
    got = 0.0
    for word, weight in weights.items():
        options = [{stem(word)}, *(alt for alt in alternatives.get(word, ()) if alt)]
        if any(option <= present for option in options):
            got += weight
        elif any(option <= present | around for option in options):
            got += weight / 2
    total_weight = sum(weights.values())
    return got / total_weight if total_weight else 0.0


def useful_citations(question: str, citations: Sequence[Citation], doc_freq: Mapping[str, int],
                     total: int, *, synonyms: Mapping[str, Sequence[str]] | None = None
                     ) -> tuple[Citation, ...]:
    """The citations of an abstention worth offering: those about the question's subject."""
    kept = [c for c in citations
            if subject_coverage(question, f"{c.section or ''} {c.text}", doc_freq, total,
                                synonyms=synonyms, context=c.title) >= MIN_SUBJECT_COVERAGE]
    return tuple(kept[:MAX_USEFUL_PASSAGES])


def abstention_message(help_contact: str, *, useful: bool) -> str:
    """The abstention's text: always who to ask; mentions the passages only when some are shown."""
    lead = "I couldn't find the answer in the partnership's documents."
    if useful:
        lead += " The passages below are on the same subject and may help."
    return f"{lead} Try rephrasing, or ask {help_contact}."


def shape_abstention(answer: Answer, query: str, doc_freq: Mapping[str, int], total: int, *,
                     help_contact: str,
                     synonyms: Mapping[str, Sequence[str]] | None = None) -> Answer:
    """An abstained answer with only the useful citations and the matching message; answers
    that did not abstain come back unchanged."""
    if not answer.abstained:
        return answer
    kept = useful_citations(query, answer.citations, doc_freq, total, synonyms=synonyms)
    return replace(answer, citations=kept, answer_citation=None,
                   suggestion=abstention_message(help_contact, useful=bool(kept)))


__all__ = ["MAX_USEFUL_PASSAGES", "MIN_SUBJECT_COVERAGE", "USEFUL_HEADING", "abstention_message",
           "shape_abstention", "subject_coverage", "useful_citations"]
