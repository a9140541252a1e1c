"""Dataclasses that cross component boundaries: the contracts between ingest, core and adapters."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

DOC_TYPES = ("masa_plan", "annual_report", "threshold_guidance", "review_learning", "other")


@dataclass(frozen=True)
class DocumentInfo:
    """One indexed document (one file), as the registry knows it."""

    doc_id: str
    source: str
    title: str
    partnership: str
    doc_type: str
    content_hash: str
    year: str | None = None
    url: str | None = None
    passages: int = 0
    ingested_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Passage:
    """A quotable piece of a document: a paragraph or a few sentences under one section."""

    id: str
    doc_id: str
    text: str
    position: int
    section: str | None = None
    page: int | None = None
    title: str = ""
    source: str = ""
    partnership: str = ""
    doc_type: str = "other"
    year: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ScoredPassage:
    """A passage with the evidence of how retrieval found it."""

    passage: Passage
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class Citation:
    """Where a quote came from, precise to section and page."""

    title: str
    source: str
    text: str
    score: float
    section: str | None = None
    page: int | None = None
    doc_type: str = "other"
    url: str | None = None
    passage_id: str = ""
    partnership: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "source": self.source,
            "section": self.section,
            "page": self.page,
            "text": self.text,
            "score": round(self.score, 4),
            "partnership": self.partnership,
        }

    @property
    def location(self) -> str:
        """Human-readable 'Title, section, p. N' used by every renderer."""
        parts = [self.title or self.source]
        if self.section:
            parts.append(self.section)
        if self.page is not None:
            parts.append(f"p. {self.page}")
        return ", ".join(parts)

    @classmethod
    def from_passage(cls, passage: Passage, score: float, text: str | None = None) -> Citation:
        return cls(
            title=passage.title,
            source=passage.source,
            text=passage.text if text is None else text,
            score=score,
            section=passage.section,
            page=passage.page,
            doc_type=passage.doc_type,
            url=passage.url,
            passage_id=passage.id,
            partnership=passage.partnership,
        )


@dataclass(frozen=True)
class Answer:
    """An extractive answer: verbatim quote(s) plus supporting citations, or an abstention."""

    question: str
    answer: str
    abstained: bool
    confidence: float
    citations: tuple[Citation, ...] = field(default_factory=tuple)
    suggestion: str | None = None
    #: Citation index the answer quote came from (0 unless abstained).
    answer_citation: int | None = None
    #: The partnership searched (asked for, named in the question, or the channel's default);
    #: None when every partnership's documents were searched.
    partnership: str | None = None

    @property
    def partnerships(self) -> tuple[str, ...]:
        """The citations' partnerships, each once, in citation order."""
        return tuple(dict.fromkeys(c.partnership for c in self.citations if c.partnership))

    @property
    def scope_note(self) -> str | None:
        """What adapters show about partnerships: which one was searched, or, when the passages
        come from several, which one the answer is from ("From X: ...")."""
        from knowledge.search.scope import short_name

        if self.partnership:
            return f"From {short_name(self.partnership)}'s documents."
        if len(self.partnerships) < 2:
            return None
        index = self.answer_citation if not self.abstained else None
        if index is not None and index < len(self.citations) and self.citations[index].partnership:
            return (f"From {short_name(self.citations[index].partnership)}. The passages below "
                    "come from different partnerships; each is labelled.")
        return "These passages come from different partnerships; each is labelled."

    def partnership_label(self, citation: Citation) -> str | None:
        """The short partnership label to show beside a citation: only when the passages come
        from several partnerships (one named partnership needs no label on every line)."""
        from knowledge.search.scope import short_name

        if self.partnership or len(self.partnerships) < 2 or not citation.partnership:
            return None
        return short_name(citation.partnership)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "confidence": round(self.confidence, 4),
            "citations": [c.to_dict() for c in self.citations],
            "partnership": self.partnership,
            "partnerships": list(self.partnerships),
            "scope_note": self.scope_note,
        }
