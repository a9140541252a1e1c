"""'How much does the police pay in?' is not answered by the council's contribution.

Budget sections give each statutory partner's share in sentences and table rows that read
alike ("Partner: Northshire Council; Contribution: £156,560"). A question about one partner's
money is answered by a line naming that partner, by any of its usual names (the police or
the constabulary; the ICB, the NHS or health; the council or the local authority).
"""

from __future__ import annotations

import re

#: The statutory partners and the words documents name each by.
AGENCIES = {
    "police": r"police|constabulary|pcc|chief constable",
    "health": r"icb|nhs|ccg|health|integrated care board|clinical commissioning group",
    "local authority": r"council|local authority|las?|children'?s services|county|borough|city",
}
_NAMES = {agency: re.compile(rf"\b({words})\b", re.I) for agency, words in AGENCIES.items()}
#: Questions about money or shares paid in.
_MONEY_Q = re.compile(r"\b(how much|contribut\w*|pays?|paid|put (in|into)|share|funds?|"
                      r"funding|budget|per ?cent|percentage|proportion)\b", re.I)


def named_agencies(text: str) -> set[str]:
    return {agency for agency, pattern in _NAMES.items() if pattern.search(text)}


def other_agency(question: str, quote: str) -> bool:
    """A money question about one partner, and a quote naming only other partners."""
    if not _MONEY_Q.search(question):
        return False
    asked = named_agencies(question)
    if len(asked) != 1:
        return False
    named = named_agencies(quote)
    return bool(named) and not asked & named
