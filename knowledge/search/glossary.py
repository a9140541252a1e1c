"""Acronym glossary mined from the corpus itself: "Safeguarding Practice Review Group (SPRG)".

Queries are expanded both ways, so "who chairs SPRG?" also searches for the spelled-out name and
"practice review group" also finds passages that only use the acronym.
"""

from __future__ import annotations

import re

from knowledge.search.wording import DOCUMENT_WORDS, document_wording
from knowledge.text import words

_PAREN_ACRONYM = re.compile(r"\(([A-Z][A-Za-z&]{1,9}s?)\)")
_LINKING = {"and", "of", "for", "the", "in", "on", "to", "&", "with", "at", "by"}


def _initials_match(acronym: str, words: list[str]) -> int:
    """How many trailing words spell the acronym (0 if they don't). A linking word may give its
    letter or not ("NSCP & A" takes the "&"'s; "Quality Assurance and Performance Group (QAPG)"
    does not take the "and"'s), so both readings are tried."""
    letters = [c for c in acronym.rstrip("s") if c.isalpha()]
    target = "".join(letters).upper()

    def match(w: int, i: int) -> int:
        """Words used to spell target[:i + 1] ending at word index w - 1 (0: no spelling)."""
        if i < 0:
            return len(words) - w
        if w == 0:
            return 0
        clean = words[w - 1].strip(",.;:'’\"")
        if not clean:
            return match(w - 1, i)
        if clean.lower() in _LINKING:
            if clean[0].upper() == target[i] and clean.lower() != "the":
                used = match(w - 1, i - 1)
                if used:
                    return used
            return match(w - 1, i)
        for part in reversed([p for p in re.split(r"[-/]", clean) if p]):
            if i < 0 or part[0].upper() != target[i]:
                return 0
            i -= 1
        return match(w - 1, i)

    return match(len(words), len(target) - 1)


def extract_acronyms(text: str) -> dict[str, str]:
    """Acronym -> expansion for definitions like 'Child Death Overview Panel (CDOP)'."""
    found: dict[str, str] = {}
    for match in _PAREN_ACRONYM.finditer(text):
        acronym = match.group(1)
        if sum(c.isupper() for c in acronym) < 2:
            continue
        before = text[max(0, match.start() - 160):match.start()].split()
        window = before[-(len(acronym) * 2 + 3):]
        used = _initials_match(acronym, window)
        if used:
            expansion = " ".join(window[-used:]).strip(",.;:'’\"")
            expansion = re.sub(r"^(?:the|a|an|our)\s+", "", expansion, flags=re.I)
            if len(expansion) > len(acronym) and acronym.upper() not in found:
                found[acronym.rstrip("s") if acronym.endswith("s") and acronym[:-1].isupper()
                      else acronym] = expansion
    for acronym, expansion in extract_glossary_lines(text).items():
        found.setdefault(acronym, expansion)
    return found


#: A glossary-list line: "CSCB – Northshire Safeguarding Children Board, the predecessor ...".
_GLOSSARY_LINE = re.compile(r"^\s*([A-Z][A-Za-z&]{1,9})\s*(?:[–—:]|\s-)\s*(\S.*)$", re.M)


def _spelled_prefix(acronym: str, text: str) -> str | None:
    """The shortest run of `text`'s opening words whose initials spell `acronym`, if any."""
    words = text.split()[: len(acronym) * 2 + 3]
    for size in range(1, len(words) + 1):
        if _initials_match(acronym, words[:size]) == size:
            return " ".join(words[:size]).strip(",.;:'’\"")
    return None


def extract_glossary_lines(text: str) -> dict[str, str]:
    """Acronym -> expansion for glossary lists ('DSL – Designated safeguarding lead'), keeping
    only the words that spell the acronym (a trailing explanation is not part of the name)."""
    found: dict[str, str] = {}
    for match in _GLOSSARY_LINE.finditer(text):
        acronym, rest = match.group(1), match.group(2)
        if sum(c.isupper() for c in acronym) < 2 or acronym in found:
            continue
        expansion = _spelled_prefix(acronym, rest)
        if expansion and len(expansion) > len(acronym):
            found[acronym] = expansion
    return found


#: Acronyms of England's national children's-services vocabulary, which documents often use
#: spelled out without ever defining ("children looked after", "a serious incident
#: notification") while practitioners type the acronym. National terms only, never one
#: partnership's; a definition mined from the corpus wins over these (`with_national`).
NATIONAL_ACRONYMS: dict[str, str] = {
    "CLA": "children looked after", "LAC": "looked after children",
    "UASC": "unaccompanied asylum-seeking children", "CIN": "child in need",
    "CPP": "child protection plan", "ICPC": "initial child protection conference",
    "RCPC": "review child protection conference", "SIN": "serious incident notification",
    "CSPR": "child safeguarding practice review", "SCR": "serious case review",
    "LCSPR": "local child safeguarding practice review", "CDOP": "child death overview panel",
    "TAF": "team around the family", "EHA": "early help assessment",
    "NFA": "no further action", "EDT": "emergency duty team",
    "LADO": "local authority designated officer", "DSL": "designated safeguarding lead",
    "MASH": "multi-agency safeguarding hub", "CSC": "children's social care",
    "IRO": "independent reviewing officer", "CSE": "child sexual exploitation",
    "CCE": "child criminal exploitation", "CSA": "child sexual abuse",
    "FGM": "female genital mutilation", "DBS": "disclosure and barring service",
    "EHCP": "education, health and care plan", "SENCO": "special educational needs co-ordinator",
    "SEND": "special educational needs and disabilities",
    "CAMHS": "child and adolescent mental health services",
    "MARAC": "multi-agency risk assessment conference",
    "MAPPA": "multi-agency public protection arrangements", "YOT": "youth offending team",
    "YJS": "youth justice service", "PLO": "public law outline",
    "RHI": "return home interview", "NRM": "national referral mechanism",
    "LSCB": "local safeguarding children board",
}


def with_national(glossary: dict[str, str]) -> dict[str, str]:
    """The corpus glossary plus the national acronyms it does not define itself."""
    return {**NATIONAL_ACRONYMS, **glossary}


def expand_query(question: str, glossary: dict[str, str]) -> str:
    """Question plus the expansion of every acronym it uses, the acronym of every expansion and
    the document wording of its everyday words (`knowledge.search.wording`)."""
    additions: list[str] = []
    tokens = set(re.findall(r"[A-Za-z&]+", question))
    lowered = question.lower()
    for acronym, expansion in glossary.items():
        if acronym in tokens or (acronym.endswith("s") is False and acronym + "s" in tokens):
            additions.append(expansion)
        elif len(expansion.split()) >= 2 and expansion.lower() in lowered:
            additions.append(acronym)
    additions += document_wording(question)
    if not additions:
        return question
    return question + " " + " ".join(dict.fromkeys(additions))


_TOKEN = re.compile(r"[A-Za-z&][A-Za-z&'’]*")


def document_query(question: str, glossary: dict[str, str], doc_freq: dict[str, int]) -> str:
    """The question with each typed word that no passage contains ("CLA", "exec", "saturday")
    replaced by the words documents use for it. Such a word ranks nothing, so its expansion must
    carry its full weight: at the expansion's half weight, "how many CLA at 31 March" ranked
    every passage dated 31 March above the one counting children looked after."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        key = (words(token) or [""])[0]
        if not key or doc_freq.get(key, 0) > 0:
            return token
        bare = token[:-1] if token.endswith("s") and token[:-1] in glossary else token
        return glossary.get(bare) or DOCUMENT_WORDS.get(token.lower()) or token

    return _TOKEN.sub(replace, question)
