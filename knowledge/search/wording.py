"""Practitioners' everyday words for what documents say formally, added to a question's search.

People ask "who do I ring?", "how many kids were on a CP plan in 24/25?" or "what did the
review find?"; documents say "contact ... on", "children subject to a child protection plan in
2024-25" and "the review found". Neither the stemmer nor the embedding bridges all of these, so
the document wording is added to the search expansion (which ranks at half weight: it helps
recall without outweighing the words the user typed). Entries are general English usage in
children's services, never the wording of one partnership.
"""

from __future__ import annotations

from knowledge.periods import periods
from knowledge.text import words

#: Informal or clipped word -> the words documents use for it.
DOCUMENT_WORDS: dict[str, str] = {
    # people
    "kids": "children", "kid": "child", "mum": "mother", "mums": "mothers", "dad": "father",
    "dads": "fathers", "boyfriend": "partner", "girlfriend": "partner", "fella": "partner",
    "boss": "manager", "sw": "social worker",
    # getting in touch
    "ring": "contact telephone", "phone": "telephone contact", "email": "email contact",
    # clipped names of things
    "exec": "executive", "cp": "child protection", "info": "information",
    "stats": "figures data", "reps": "representatives", "rep": "representative",
    # money
    "funding": "budget contribution", "money": "budget funding", "spend": "budget",
    "spending": "budget",
    # life events and irregular verb forms a suffix stemmer cannot join
    "died": "death", "dies": "death", "dead": "death", "find": "found",
    # times of the week documents call out of hours
    "weekend": "weekends", "saturday": "weekends", "sunday": "weekends",
    "night": "out of hours", "overnight": "out of hours",
}
#: Phrases (matched as whole words, lower case) -> the document's words.
DOCUMENT_PHRASES: dict[str, str] = {
    "get together": "meet", "meet up": "meet", "sit on": "members membership",
    "in charge of": "chair lead", "signed off": "approved agreed",
}


def _year_spans(question: str) -> list[str]:
    """Each financial year the question names, as documents mostly write it: "24/25",
    "2024/25" and "2024/2025" are "2024-25"."""
    return [f"{p.first}-{p.last % 100:02d}" for p in periods(question) if p.financial]


def document_wording(question: str) -> list[str]:
    """The document words for the informal words, phrases and year spans `question` uses."""
    tokens = words(question)
    lowered = " " + " ".join(tokens) + " "
    additions = [DOCUMENT_WORDS[t] for t in tokens if t in DOCUMENT_WORDS]
    additions += [v for k, v in DOCUMENT_PHRASES.items() if f" {k} " in lowered]
    additions += [span for span in _year_spans(question) if span not in question]
    return list(dict.fromkeys(additions))
