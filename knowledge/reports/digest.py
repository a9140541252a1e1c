"""What the annual-report digest holds, independent of how it is written: the data every
writer (Markdown, HTML, Word) renders, and the wording they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from knowledge.feedback.models import Gap, Submission, Usage


def pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    path: Path


@dataclass
class ReportData:
    """Everything a writer needs; built once, rendered in any format."""

    title: str
    partnership: str | None  # None: not configured and no documents say; headings omit it
    since: date
    until: date
    submissions: list[Submission]
    by_kind: list[tuple[str, int]]
    by_theme: list[tuple[str, int]]
    by_agency: list[tuple[str, int]]
    by_locality: list[tuple[str, int]]
    by_month: list[tuple[str, int]]
    theme_kinds: list[tuple[str, int, int, int]]  # theme, working well, in the way, idea
    quotes: dict[str, list[tuple[str, str]]]  # theme -> [(quote, attribution)]
    gaps: list[Gap]
    usage: Usage
    charts: list[Chart] = field(default_factory=list)

    @property
    def period(self) -> str:
        return f"{self.since:%d %B %Y} to {self.until:%d %B %Y}"

    def summary_lines(self) -> list[str]:
        u = self.usage
        lines = [
            f"{len(self.submissions)} pieces of frontline feedback from "
            f"{len(self.by_agency)} agencies or sectors across {len(self.by_locality)} "
            "localities.",
        ]
        for kind, count in self.by_kind:
            lines.append(f"{kind}: {count}")
        lines.append(f"{sum(len(q) for q in self.quotes.values())} quotes with "
                     "consent to share anonymously.")
        lines.append(f"Questions asked of the bot: {u.questions}; answered: "
                     f"{pct(u.share_answered)}; rated helpful: {pct(u.share_helpful)} of "
                     f"{u.rated} rated answers.")
        return lines


METHOD_NOTE = ("Names, contact details, postcodes, NHS numbers, dates of birth and addresses "
               "were removed automatically before anything was stored (shown as [NAME], "
               "[PHONE] and so on). Quotes appear only where the practitioner agreed to be "
               "quoted anonymously, and are attributed to a sector, never to a person.")


def usage_rows(u: Usage) -> list[tuple[str, str]]:
    return [("Questions asked", str(u.questions)), ("Share answered", pct(u.share_answered)),
            ("Answers rated", str(u.rated)), ("Share rated helpful", pct(u.share_helpful)),
            ("People asking", str(u.users)), ("Urgent routes shown", str(u.urgent))]
