"""'Who is the head of X?': the head of another body does not answer it.

"The Head of Castlebrook Academy, Priya Sandhu, ..." reads like an answer to "who is the head
of the Family Help Service?": same role, a named person. The body after "of" tells them apart.
"""

from __future__ import annotations

import re

from knowledge.text import content_terms

_ROLES = r"(?:vice[- ]chair|deputy chair|chair(?:person)?|head|director|manager|lead|leader|" \
         r"coordinator|co-ordinator|chief executive)"
#: "<role> of (the) <body>" up to a punctuation mark or a clause word.
_ROLE_OF = re.compile(r"\b(" + _ROLES + r")\s+of\s+(?:the\s+)?"
                      r"([^.,;:()?!\n]+?)(?=\s*(?:[.,;:()?!\n]|$|\s(?:who|which|that|is|was|"
                      r"and|on|in|at|for|from|since|until)\b))", re.I)


def _roles_of(text: str) -> list[tuple[str, frozenset[str]]]:
    out = []
    for role, body in _ROLE_OF.findall(text):
        terms = frozenset(content_terms(body))
        if terms:
            out.append((re.sub(r"[- ]", "", role.lower()), terms))
    return out


def other_body_role(question: str, quote: str) -> bool:
    """The question asks for the holder of a role of one body and the quote gives that role
    only for other bodies (sharing no word with the one asked)."""
    asked = _roles_of(question)
    if not asked:
        return False
    said = _roles_of(quote)
    quote_terms = set(content_terms(quote))
    for role, body in asked:
        same_role = [terms for other, terms in said if other == role]
        if (same_role and not any(body & terms for terms in same_role)
                and not body <= quote_terms):
            return True
    return False
