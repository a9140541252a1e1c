"""What a question pins down that a candidate's whole passage never mentions.

An unanswerable but on-topic question ("how many reviews were held in 2022-23?", "when was
the Child Theo review published?") still retrieves sentences about its topic; what gives it
away is that the specific thing asked about (the year, the named case, the place, the rare
word) is absent not only from the sentence but from its passage, section, title and document
year: the passage is about something else. Absence from the sentence alone proves little (the
heading often names the subject), so these look at everything the sentence stands under.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.answering.cases import case_names
from knowledge.answering.verify import name_alternatives
from knowledge.periods import periods
from knowledge.text import QUESTION_WORDS, STOPWORDS, words

__all__ = ["AskedSpecifics"]

#: A word of the question; capitalised ones name a thing ("Theo", "Harnley", "MET").
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'’&-]*")
#: A capitalised word here opens a sentence ("... can't roll yet. Mum says"), naming nothing.
_SENTENCE_START = re.compile(r"(^|[.!?:;]\s*|\n\s*)$")
#: A question of three or more content words with at least this share capitalised is in title
#: case or capitals ("WHO CHAIRS THE BOARD"): its capitals name nothing.
TITLE_CASE_SHARE = 0.9


@dataclass(frozen=True)
class AskedSpecifics:
    """The periods and named words of a question, checked against a passage's text."""

    question: str
    asked_periods: tuple
    names: tuple[tuple[frozenset[str], ...], ...]  # per named word: alternative term sets
    cases: frozenset[str]

    @classmethod
    def of(cls, question: str, synonyms: dict[str, list[str]]) -> AskedSpecifics:
        names = []
        seen: set[str] = set()
        content = [t for t in _TOKEN.findall(question)
                   if words(t) and words(t)[0] not in STOPWORDS | QUESTION_WORDS]
        shouted = (len(content) >= 3
                   and sum(t[0].isupper() for t in content) >= TITLE_CASE_SHARE * len(content))
        for match in [] if shouted else _TOKEN.finditer(question):
            token, key = match.group(0), words(match.group(0))
            opens = _SENTENCE_START.search(question[: match.start()])
            if opens or not token[0].isupper() or not key or key[0] in seen:
                continue
            if key[0] in STOPWORDS or key[0] in QUESTION_WORDS:
                continue
            seen.add(key[0])
            alternatives = name_alternatives(re.sub(r"['’]s$", "", token), synonyms)
            if alternatives:
                names.append(alternatives)
        # a case's one-letter pseudonym ("Child T") is too short for a term; a first name
        # ("Child Theo") is already one of the named words
        cases = frozenset(case for case in case_names(question) if case not in seen)
        return cls(question, tuple(periods(question)), tuple(names), cases)

    def period_absent(self, text: str, document_year: str | None = None) -> bool:
        """The question names a period and the text (sentence, passage, headings) and the
        document's year name no period compatible with it. The document's year counts only as
        a span ("2023/24"): a lone year there is mostly a policy's publication date, not the
        period its figures are for (a title naming the year is part of `text`)."""
        if not self.asked_periods:
            return False
        said = periods(text) + [p for p in periods(document_year or "") if p.last > p.first]
        return not any(a.compatible(s) for a in self.asked_periods for s in said)

    def names_absent(self, text: str, terms: frozenset[str]) -> float:
        """Share of the question's named words (and named cases) the text lacks entirely."""
        if not self.names and not self.cases:
            return 0.0
        lacking = sum(not any(a <= terms for a in alternatives) for alternatives in self.names)
        present_cases = case_names(text)
        lacking += sum(case not in present_cases for case in self.cases)
        return lacking / (len(self.names) + len(self.cases))
