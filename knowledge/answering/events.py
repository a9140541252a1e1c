"""'When was X published?' asks the date of one event: other dates of X do not answer it.

A review's summary table gives the date of the incident, of the rapid review and of the
decision; none of them is the publication date, though all read as dates of the same review.
A question asking when something was published, set up, appointed, agreed, updated or completed
is answered only by a sentence naming that event (in any of its usual words).
"""

from __future__ import annotations

import re

from knowledge.text import words

#: Events asked about, each with the word starts a sentence may name it by.
EVENTS = (
    ("publish", "publication", "issue", "release"),
    ("establish", "set up", "form", "creat", "launch", "start", "began", "begun", "introduc",
     "open"),
    ("appoint", "elect", "join", "took up", "start", "began", "begun"),
    ("updat", "revis", "review", "refresh", "amend"),
    ("agree", "approv", "sign", "endors", "adopt", "ratif"),
    ("complet", "finish", "conclud", "end", "clos"),
)
#: "When was/were/will/is/has ... <participle>": the participle names the event.
_WHEN_Q = re.compile(r"^\s*(when|what date|which date|what year|which year)\b.*?\b"
                     r"(was|were|will|is|are|has|have|had)\b(?P<rest>.*)$", re.I)


def asked_event(question: str) -> tuple[str, ...]:
    """The word starts naming the event a when-question asks about, or ()."""
    match = _WHEN_Q.search(question)
    if not match:
        return ()
    for word in reversed(words(match.group("rest"))):
        if word.endswith("ed") or word == "set":
            for group in EVENTS:
                if word.startswith(group[0]) or (word == "set" and "set up" in group):
                    return group
            return ()
    return ()


def names_event(quote: str, event: tuple[str, ...]) -> bool:
    lowered = " ".join(words(quote))
    return any(re.search(r"\b" + re.escape(start), lowered) for start in event)


def other_event(question: str, quote: str) -> bool:
    """A when-question about one event ("published") and a quote naming no such event."""
    event = asked_event(question)
    return bool(event) and not names_event(quote, event)
