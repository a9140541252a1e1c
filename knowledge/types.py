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

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "confidence": round(self.confidence, 4),
            "citations": [c.to_dict() for c in self.citations],
        }
