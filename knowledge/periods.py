"""Years and financial years a text names ("in 2022-23", "24/25", "at 31 March 2024").

One reader for both sides of the system: search adds a question's "24/25" as the "2024-25"
documents write, and answering checks a sentence's figures are for the period asked about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: "2024-25", "2024/25", "2024–2025", "2024 to 2026"; a lone year "2024".
_SPAN = re.compile(r"\b((?:19|20)\d{2})\s*(?:-|/|–|—|to)\s*((?:19|20)?\d{2})\b")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
#: Practitioners' shorthand for a financial year: "24/25", "23-24" (two consecutive years),
#: also before a comma or full stop ("in 24/25, how many") but not inside a decimal ("12-13.5").
_SHORT_SPAN = re.compile(r"(?<![\d/.:£,-])(\d{2})\s*[-/–]\s*(\d{2})(?![\d/:%-]|[.,]\d)")
#: Two-digit years read as this century's when they fall in this range (not "12/13 pupils").
SHORT_YEARS = range(15, 40)


@dataclass(frozen=True)
class Period:
    first: int
    last: int
    financial: bool  # a financial or academic year (April to March): "2024-25"

    def compatible(self, other: Period) -> bool:
        if self.financial and other.financial:
            return self.first == other.first
        if self.financial or other.financial:
            years, fy = (other, self) if self.financial else (self, other)
            return years.first <= fy.last and fy.first <= years.last
        return self.first <= other.last and other.first <= self.last


#: Words that make the period after them a point of comparison or a later destination, not the
#: period the statement is about ("which theme is new compared to 2023-24", "an improvement on
#: 2023-24", "carried forward into 2025-26").
_REFERENCE = re.compile(r"\b(compared (to|with)|than|improvement on|up from|down from|since|into)"
                        r"\s+(the\s+)?(year\s+|financial\s+year\s+)?$", re.I)


def periods(text: str, *, references: bool = True) -> list[Period]:
    """The periods a text names; `references=False` leaves out those it only compares with."""
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    if not references:
        text = _drop_references(text)
    for match in _SPAN.finditer(text):
        first, end = int(match.group(1)), match.group(2)
        last = int(end) if len(end) == 4 else first // 100 * 100 + int(end)
        if not first < last <= first + 10:
            continue  # "2024-3" or a page range, not a period
        found.append(Period(first, last, financial=last == first + 1))
        taken.append(match.span())
    for match in _SHORT_SPAN.finditer(text):
        first, last = int(match.group(1)), int(match.group(2))
        if first in SHORT_YEARS and last == first + 1:
            found.append(Period(2000 + first, 2000 + last, financial=True))
            taken.append(match.span())
    for match in _YEAR.finditer(text):
        if not any(start <= match.start() < end for start, end in taken):
            year = int(match.group(0))
            found.append(Period(year, year, financial=False))
    return found


def _drop_references(text: str) -> str:
    """The text with each period that follows a comparison word blanked out."""
    out, last = [], 0
    for match in sorted([*_SPAN.finditer(text), *_SHORT_SPAN.finditer(text),
                         *_YEAR.finditer(text)], key=lambda m: m.start()):
        if match.start() < last:
            continue
        if _REFERENCE.search(text[max(0, match.start() - 40): match.start()]):
            out.append(text[last: match.start()])
            last = match.end()
    return "".join(out) + text[last:]

