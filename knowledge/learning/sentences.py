"""Sentence handling for learning points: spans that stand alone, verbatim slices, and the
checks that keep headings, contents lines and cut-off fragments out of a briefing."""

from __future__ import annotations

import re

PRONOUN_START = re.compile(r"^(This|It|They|These|Those|He|She|Its|Their|Such|However|"
                           r"Therefore)\b")
BULLET = re.compile(r"^[\s•▪●◦■□►\-–*]+")
LEADER_DOTS = re.compile(r"\.{4,}|…{2,}")
CUT_START = re.compile(r"^\d[\d,.]*\s+[a-z]")
PERIOD = re.compile(r"\b(20\d\d)(?:\s*[/–-]\s*(\d{2,4}))?\b")


def period_end(year: str | None) -> int | None:
    """Last calendar year a document's period covers: '2022/23' -> 2023, '2018' -> 2018."""
    if not year:
        return None
    match = PERIOD.search(year)
    if not match:
        return None
    start = int(match.group(1))
    if match.group(2):
        tail = match.group(2)
        end = int(tail) if len(tail) == 4 else start // 100 * 100 + int(tail)
        if 0 < end - start <= 2:
            return end
    return start


def span_of(units, position: int):
    """The sentence plus what it needs to stand alone: the sentence a leading pronoun refers
    to, or the next sentence when it is a short lead-in."""
    unit = units[position]
    span = [unit]
    if (PRONOUN_START.match(BULLET.sub("", unit.text)) and position > 0
            and units[position - 1].line == unit.line):
        span.insert(0, units[position - 1])
    if ((len(unit.text) < 45 or unit.text.rstrip().endswith(":"))
            and position + 1 < len(units) and units[position + 1].line == unit.line):
        span.append(units[position + 1])
    return span


def verbatim(lines: list[str], span) -> str | None:
    """The exact slice of the passage the span covers (so a point is always a quote)."""
    line = lines[span[0].line] if span[0].line < len(lines) else ""
    start = line.find(span[0].text)
    if start < 0:
        return None
    end = line.find(span[-1].text, start)
    if end < 0:
        return None
    text = line[start:end + len(span[-1].text)]
    return text[len(BULLET.match(text).group(0)):] if BULLET.match(text) else text


def quotable(text: str, *, tail: bool, max_chars: int) -> bool:
    """Reads as a sentence: long enough, mostly words, not a heading or contents line, and
    not cut off at the end of a passage."""
    if not 40 <= len(text) <= max_chars or len(text.split()) < 7:
        return False
    if text[0].islower() or text.isupper() or LEADER_DOTS.search(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    if letters < 0.65 * len(text.replace(" ", "")):
        return False
    if text.rstrip()[-1] in ".!?)\"'”’":
        return True
    return not tail and len(text) >= 50 and not text.rstrip().endswith(":")
