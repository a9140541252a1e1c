"""Candidate front-door numbers found in the partnership's own documents.

`sgbot doctor` fails while the front door is unset; to make the fix quick it lists UK numbers
the ingested passages print near words such as "front door", "MASH", "children's services",
"duty" or "out of hours". They are suggestions for an operator to confirm, never used as-is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from knowledge.safety.routes import is_placeholder_number
from knowledge.types import Passage

_CUES = re.compile(
    r"\b(front ?door|mash|multi[- ]agency safeguarding hub|children'?s (social care|services|"
    r"advice)|(children'?s )?(advice and )?duty( and advice)?( team| service| line)?|"
    r"out[- ]of[- ]hours|emergency duty( team| service)?|edt|advice line|contact centre|"
    r"safeguarding (hub|team))\b", re.I)
_SENTENCE_END = re.compile(r"[.!?;](\s|$)|\n")
CUE_WINDOW = 160  # characters either side of a number in which a cue word counts as "near"
MAX_SUGGESTIONS = 6  # doctor prints a short list, most mentioned first


@dataclass(frozen=True)
class NumberSuggestion:
    """A number printed near front-door wording, how often, and where."""

    number: str  # national format, e.g. "01632 960123"
    cue: str  # the nearest front-door wording, lower case ("out of hours", "mash")
    mentions: int
    documents: tuple[str, ...]  # titles (or sources) of the documents that print it


def _numbers(text: str):
    import phonenumbers

    # POSSIBLE, as in redaction: documents (and the repo's samples) use Ofcom's drama ranges,
    # which `phonenumbers` does not count as VALID; a leading 0 or +44 keeps out other digits.
    for match in phonenumbers.PhoneNumberMatcher(text, "GB",
                                                 leniency=phonenumbers.Leniency.POSSIBLE):
        if not match.raw_string.lstrip("(").startswith(("0", "+44")):
            continue
        formatted = phonenumbers.format_number(match.number,
                                               phonenumbers.PhoneNumberFormat.NATIONAL)
        if not is_placeholder_number(formatted):
            yield match.start, match.end, formatted


def _nearest_cue(text: str, start: int, end: int) -> str | None:
    """The closest cue in the number's own sentence (and within CUE_WINDOW), if any."""
    best: tuple[int, str] | None = None
    before = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    after = next((m.start() for m in _SENTENCE_END.finditer(text, end)), len(text))
    lo, hi = max(before, start - CUE_WINDOW), min(after, end + CUE_WINDOW)
    for cue in _CUES.finditer(text, lo, hi):
        distance = start - cue.end() if cue.end() <= start else max(0, cue.start() - end)
        if best is None or distance < best[0]:
            best = (distance, " ".join(cue.group(0).lower().split()))
    return best[1] if best else None


def suggest_front_door_numbers(passages: Iterable[Passage],
                               limit: int = MAX_SUGGESTIONS) -> list[NumberSuggestion]:
    """Numbers near front-door wording across `passages`, most mentioned first."""
    found: dict[str, dict] = {}
    for passage in passages:
        for start, end, number in _numbers(passage.text):
            cue = _nearest_cue(passage.text, start, end)
            if cue is None:
                continue
            entry = found.setdefault(number, {"cues": {}, "mentions": 0, "documents": {}})
            entry["mentions"] += 1
            entry["cues"][cue] = entry["cues"].get(cue, 0) + 1
            entry["documents"][passage.title or passage.source] = None
    ranked = sorted(found.items(), key=lambda item: (-item[1]["mentions"], item[0]))
    return [NumberSuggestion(number=number, mentions=e["mentions"],
                             cue=max(e["cues"], key=lambda c: (e["cues"][c], c)),
                             documents=tuple(e["documents"]))
            for number, e in ranked[:limit]]


def suggest_from_index(settings, limit: int = MAX_SUGGESTIONS) -> list[NumberSuggestion]:
    """Suggestions from every passage of the configured index (through KnowledgeBase)."""
    from knowledge.kb import KnowledgeBase

    kb = KnowledgeBase(settings)
    try:
        return suggest_front_door_numbers(kb.index.iter_passages(), limit)
    finally:
        kb.index.close()
