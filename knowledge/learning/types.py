"""Result types of learning summaries: what adapters (CLI, Slack, Teams) render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from knowledge.types import Citation


@dataclass(frozen=True)
class LearningPoint:
    """One key learning point: a verbatim sentence or two from a document, with its citation.

    `also` holds citations of near-duplicate sentences that were merged into this point, so a
    lead can see that several documents make the same point without reading it twice.
    """

    text: str
    citation: Citation
    score: float = 0.0
    also: tuple[Citation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "citation": {**self.citation.to_dict(), "location": self.citation.location,
                         "doc_type": self.citation.doc_type},
            "score": round(self.score, 4),
            "also": [{"title": c.title, "source": c.source, "section": c.section, "page": c.page,
                      "location": c.location} for c in self.also],
        }


@dataclass(frozen=True)
class SourceDocument:
    """A document the summary quotes, with the indices (into `points`) of its points."""

    title: str
    source: str
    doc_type: str
    year: str | None
    url: str | None
    partnership: str
    points: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "source": self.source, "doc_type": self.doc_type,
                "year": self.year, "url": self.url, "partnership": self.partnership,
                "points": list(self.points)}


@dataclass(frozen=True)
class LearningSummary:
    """The learning on one theme, points grouped by source document (sources in point order).

    `thin` is True when the documents hold too little evidence on the theme to give the minimum
    number of points; `message` then says so in words a lead can act on.
    """

    theme: str
    points: tuple[LearningPoint, ...]
    thin: bool
    message: str
    generated: date
    sources: tuple[SourceDocument, ...] = ()
    since: date | None = None
    partnership: str | None = None
    suggestions: tuple[str, ...] = field(default_factory=tuple)

    def groups(self) -> list[tuple[SourceDocument, list[LearningPoint]]]:
        """Each source document with its points, in the summary's order."""
        return [(doc, [self.points[i] for i in doc.points]) for doc in self.sources]

    def to_dict(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "generated": self.generated.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "partnership": self.partnership,
            "thin": self.thin,
            "message": self.message,
            "points": [p.to_dict() for p in self.points],
            "sources": [s.to_dict() for s in self.sources],
            "suggestions": list(self.suggestions),
        }


@dataclass(frozen=True)
class ThemeCount:
    """A theme the corpus covers and how many passages support it.

    `kind` is "vocabulary" for curated safeguarding themes, "phrase" for key phrases mined from
    the documents themselves.
    """

    theme: str
    passages: int
    kind: str = "vocabulary"
    documents: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"theme": self.theme, "passages": self.passages, "kind": self.kind,
                "documents": self.documents}
