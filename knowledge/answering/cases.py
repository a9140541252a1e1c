"""Named cases ("Child T", "Baby K", "Sibling Group K", "CSPR Ellis"): a question about one
case is not answered by a sentence about another.

Annual reports list several reviews side by side, and learning briefings of different reviews
read alike ("Baby K was nine weeks old when..."). A case's pseudonym is the one thing telling
those sentences apart, and a single letter is too short to be a search term.
"""

from __future__ import annotations

import re

#: Words that introduce a case's pseudonym, and review kinds named after the child or family.
_PREFIX = (r"(?:[Cc]hild|CHILD|[Bb]aby|BABY|[Ii]nfant|[Yy]oung [Pp]erson|"
           r"[Ss]iblings?(?: [Gg]roup)?|[Ff]amily|CSPR|LCSPR|SCR|SAR|DHR|LLR)")
#: The pseudonym: initials ("T", "AB", "K1") or a first name ("Theo"), not followed by more
#: capitalised words ("Child Safeguarding Practice Review" is a title, not a case).
_PSEUDONYM = re.compile(  # a lookahead, so "CSPR Child N" yields "Child N"
    r"(?=\b" + _PREFIX + r"\s+([A-Z]{1,2}\d?(?![\w'’-])|[A-Z][a-z]{2,15}(?![\w-])"
    r"(?!\s+[A-Z][a-z])))")
#: Capitalised words that follow "Child", "Family" or a review acronym in titles and service
#: names, not pseudonyms ("Child Protection", "Family Help", "CSPR Panel").
_NOT_PSEUDONYM = frozenset("""
safeguarding protection death deaths exploitation sexual criminal care health services service
social practice abuse mental welfare in looked poverty trafficking development friendly centred
minding arrangements benefit support trust neglect mortality accident injury and or missing
victims help hub hubs court group conference justice nurse partnership intervention time centre
liaison assessment assessments solutions network information panel panels review reviews report
reports team teams plan plans the of for to is was are were has had will child children
baby babies infant infants young sibling siblings family families
""".split())


def case_names(text: str) -> frozenset[str]:
    """The pseudonyms of the cases a text names, lower-cased ("Child T" -> "t")."""
    return frozenset(name.lower() for name in _PSEUDONYM.findall(text)
                     if name.lower() not in _NOT_PSEUDONYM)


def other_case(question: str, quote: str) -> bool:
    """The question names a case and the quote names only other cases."""
    asked = case_names(question)
    if not asked:
        return False
    named = case_names(quote)
    return bool(named) and not asked & named
