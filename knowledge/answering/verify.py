"""Check a quote before it is sent: does it speak about the thing asked about, and does it hold
the kind of answer asked for?

"Who chairs the health representative group?" must not be answered with the chair of the
education representative group, however similar the two sentences read; "how often" needs a
frequency, "what number" a phone number. A title, a heading or a sentence left hanging at a
colon is never an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from knowledge.answering.question import QuestionShape
from knowledge.text import STOPWORDS, content_terms, match_key

_ACRONYM = re.compile(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*s?\b")
#: Nouns that name a body or a document; the words before one name which one.
_BODY = re.compile(r"\b((?:[A-Za-z'’&-]+\s+){1,4}?)(group|sub-?group|board|panel|committee|"
                   r"forum|executive|team|hub|network|review|meeting|service|unit|protocol|"
                   r"strategy|plan|policy|report)s?\b", re.I)
#: Words before a body noun that do not tell one body from another (a quantity, "46 per cent of
#: all plans" or "the number of protocol referrals", names no plan or protocol).
_GENERIC = frozenset(
    "the a an our your their its this that which what who whom how does do is are was were "
    "chairs chair chaired runs run leads lead sits attends attend on of for in at to by with "
    "each every new main local annual current partnership safeguarding children child "
    "multi-agency multi agency per cent percent all most some many few several both number "
    "total amount proportion percentage share figure".split())
#: A body's name starts after the last of these ("sent to THE early help team").
_DETERMINERS = frozenset("the a an our your their its this that my his her which what".split())
_FURNITURE = re.compile(r"^(page\s+\d+(\s+of\s+\d+)?|\d+|www\.\S+|https?://\S+|contents?)$", re.I)
_LOWER_OK = frozenset({"and", "of", "for", "the", "in", "to", "on", "with", "&"})
#: Entity names this long may miss one word (a sentence says "the Practice Review Group").
LONG_ENTITY_TERMS = 4


#: Distinct texts whose terms are kept: a question's candidates repeat headings and sentences.
TERM_CACHE = 50000


@lru_cache(maxsize=TERM_CACHE)
def term_set(text: str) -> frozenset[str]:
    """The stemmed content terms of a text, cached (term extraction dominates answer time)."""
    return frozenset(content_terms(text))


@dataclass(frozen=True)
class Entity:
    """A named thing the question is about, as alternative term sets (name or acronym)."""

    label: str
    alternatives: tuple[frozenset[str], ...]
    head: str = ""  # the body noun ("group"); empty for an acronym

    def found_in(self, terms: set[str]) -> bool:
        for alternative in self.alternatives:
            missing = len(alternative - terms)
            if missing == 0 or (len(alternative) >= LONG_ENTITY_TERMS and missing == 1):
                return True
        return False


def name_alternatives(name: str, synonyms: dict[str, list[str]]) -> tuple[frozenset[str], ...]:
    """A name's term set and its glossary synonyms' (acronym <-> expansion), empty ones left out:
    the text holding any one of them mentions the name."""
    alternatives = [term_set(name), *(term_set(e) for e in synonyms.get(name, []))]
    return tuple(a for a in alternatives if a)


def key_entities(question: str, synonyms: dict[str, list[str]] | None = None) -> list[Entity]:
    """Acronyms and named bodies ("the health representative group") in a question."""
    synonyms = synonyms or {}
    entities: list[Entity] = []
    acronym_terms: set[str] = set()
    for token in dict.fromkeys(_ACRONYM.findall(question)):
        bare = token[:-1] if token.endswith("s") and token[:-1] in synonyms else token
        alternatives = name_alternatives(bare, synonyms)
        if alternatives:
            acronym_terms |= alternatives[0]
            entities.append(Entity(bare, alternatives))
    for match in _BODY.finditer(question):
        modifiers = _modifiers(match.group(1))
        terms = frozenset(content_terms(" ".join(modifiers))) - acronym_terms
        if not terms:
            continue
        name = " ".join(modifiers + [match.group(2)])
        alternatives = [terms]
        for phrase, acronyms in synonyms.items():
            if " " in phrase and terms <= set(content_terms(phrase)):
                alternatives += [frozenset(content_terms(a)) for a in acronyms]
        entities.append(Entity(name, tuple(a for a in alternatives if a),
                               match.group(2).lower()))
    return entities


def _modifiers(words_before: str) -> list[str]:
    raw = re.split(r"\s+", words_before.strip())
    cut = max((i + 1 for i, w in enumerate(raw) if w.lower() in _DETERMINERS), default=0)
    return [w for w in raw[cut:] if w.lower().strip("'’") not in _GENERIC
            and w.lower() not in STOPWORDS and not any(c.isdigit() for c in w)]


#: Nouns naming a meeting body: a board and a group are alternatives to each other ("who
#: chairs the adults board" is not answered by the chair of a strategic group).
_MEETING_BODIES = frozenset(
    "group subgroup sub-group board panel committee forum executive".split())


def _kind(head: str) -> str:
    head = head.lower()
    return "meeting body" if head in _MEETING_BODIES else head


def names_another(entity: Entity, text: str) -> bool:
    """Whether the text names a different body of the same kind ("the education group" when
    asked about "the health group") or a look-alike acronym (LSCP for KSCP)."""
    if entity.head:
        for match in _BODY.finditer(text):
            if _kind(match.group(2)) != _kind(entity.head):
                continue
            terms = set(content_terms(" ".join(_modifiers(match.group(1)))))
            if terms and not any(a <= terms for a in entity.alternatives):
                return True
        return False
    asked = entity.label
    return any(other != asked and len(other) == len(asked) and other[-2:] == asked[-2:]
               for other in _ACRONYM.findall(text))


def heading_like(text: str) -> bool:
    """Short, unpunctuated and mostly capitalised: a title or heading, not a statement."""
    stripped = text.strip()
    if not stripped or stripped[-1] in ".!?:;" or len(stripped) > 90:
        return False
    tokens = re.findall(r"[A-Za-z][A-Za-z'’-]*", stripped)
    if not tokens or len(tokens) > 12:
        return False
    capitalised = sum(t[0].isupper() or t.lower() in _LOWER_OK for t in tokens)
    return capitalised / len(tokens) >= 0.8


def is_furniture(text: str, section: str | None, title: str) -> bool:
    """Page numbers, bare links, or the passage's own title or section heading."""
    key = match_key(text).strip(" .")
    if not key or _FURNITURE.match(key):
        return True
    return key in {match_key(section or "").strip(" ."), match_key(title).strip(" .")}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""


def verify(answer_text: str, sentence: str, context: str | frozenset[str], entities: list[Entity],
           shape: QuestionShape, question: str, *, section: str | None = None,
           title: str = "", strict: bool = True) -> Verdict:
    """Whether a composed answer may be quoted for the question.

    `context` (text or its terms) names the subject of the sentence without being quoted (the
    section heading, the document title, the partnership): a sentence under the heading
    "Health Representative Group" that says "It is chaired by..." is about that group.
    """
    if is_furniture(sentence, section, title):
        return Verdict(False, "furniture")
    if answer_text.rstrip().endswith(":"):
        return Verdict(False, "stops at a colon")
    terms = term_set(answer_text) | (term_set(context) if isinstance(context, str) else context)
    for entity in entities:
        if not entity.found_in(terms) and names_another(entity, answer_text):
            return Verdict(False, "other entity")
    if shape.mismatch(answer_text, question, strict=strict):
        return Verdict(False, "answer type")
    return Verdict(True)
