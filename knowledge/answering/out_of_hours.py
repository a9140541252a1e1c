"""Out-of-hours questions ("who do I ring at the weekend?") need the out-of-hours route.

A front door's office-hours number and the emergency duty team's number sit side by side in
every contact section and read alike; a practitioner worried about a child at 10pm on a
Saturday must be given the second. A sentence that gives only office hours is not an answer to
a question asked about evenings, nights, weekends or bank holidays.
"""

from __future__ import annotations

import re

_ASKS = re.compile(
    r"\b(out[- ]of[- ]hours?|after[- ]hours|outside (office|working|normal) hours|weekends?|"
    r"saturday|sunday|bank holidays?|evenings?|overnight|at night|tonight|night[- ]?time|"
    r"(the )?(office|it|they)('s| is| are) closed|\d{1,2}(\.\d{2})?\s*pm)\b", re.I)
_OUT_OF_HOURS = re.compile(
    r"\b(out[- ]of[- ]hours?|after[- ]hours|outside (office|working|normal) hours|"
    r"emergency duty|weekends?|bank holidays?|evenings?|overnight|at night|24 hours a day|"
    r"24/7|when (the office|it) is closed)\b", re.I)
_OFFICE_HOURS = re.compile(
    r"\b(monday|mon)\b.{0,25}\b(thursday|thurs?|friday|fri)\b|\b(office|working|opening) "
    r"hours\b|\b\d{1,2}([.:]\d{2})?\s*am\b", re.I)


def asks_out_of_hours(question: str) -> bool:
    return bool(_ASKS.search(question))


def office_hours_only(sentence: str) -> bool:
    """The sentence gives an office-hours route and says nothing of any other time."""
    return bool(_OFFICE_HOURS.search(sentence)) and not _OUT_OF_HOURS.search(sentence)
