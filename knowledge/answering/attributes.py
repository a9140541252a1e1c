"""Contact details and deputies: a question asking for one must get it, not its neighbour.

"What's the email for the front door?" is not answered by the front door's phone number, nor
"who is the vice chair?" by the chair's name, though the two sentences share every other word.
"""

from __future__ import annotations

import re

_ASKS_EMAIL = re.compile(
    r"\b(e-?mail address(es)?|what(?:'s| is) the e-?mail|e-?mail (for|of|to)|which e-?mail|"
    r"where (do|should|can|shall) (i|we|you) e-?mail)\b", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_ASKS_FAX = re.compile(r"\bfax\b", re.I)
_ASKS_DEPUTY = re.compile(r"\b(vice|deputy)[- ]?(chair|chairperson|lead|head|director)", re.I)
_DEPUTY = re.compile(r"\b(vice|deputy)\b", re.I)


def missing_asked_detail(question: str, sentence: str) -> bool:
    """The question asks for an email address, a fax number or a deputy the sentence lacks."""
    return ((bool(_ASKS_EMAIL.search(question)) and not _EMAIL.search(sentence))
            or (bool(_ASKS_FAX.search(question)) and not _ASKS_FAX.search(sentence))
            or (bool(_ASKS_DEPUTY.search(question)) and not _DEPUTY.search(sentence)))
