"""Answer kinds a pattern of digits cannot check: a person's name, the holder of a role, the
expansion of an acronym.

"Who is the Independent Chair?" asks for somebody: "the Independent Chair attends the Executive"
mentions the role and names nobody, so it cannot be the answer. "Who chairs the meeting?" may be
answered by a role ("chaired by a senior manager from another agency"). "NMAG - what is it" is
answered by a line spelling NMAG out, not by a sentence that merely uses it.
"""

from __future__ import annotations

import re

#: The role a who-question names ("who chairs", "the Designated Doctor"): the answer names it too.
ASKED_ROLE = re.compile(r"\b(chair|scrutineer|reviewer|doctor|nurse|lead|director|officer|"
                        r"manager|commissioner|constable|author|wrote|presented|head)\w*", re.I)
#: "Who is the Independent Chair", "what is the name of the Designated Doctor": the holder's
#: identity, so a person's name must be quoted (a role alone does not answer it).
_IDENTITY_Q = re.compile(r"^\s*(who(['’]s|\s+is|\s+was)\s+(the|our|its|their|a|an)\b|"
                         r"what(['’]s|\s+is|\s+was)\s+the\s+name\s+of\b)", re.I)
#: "Who is the lead agency...": the role word names a body, whose name is not a person's.
_BODY_AFTER_ROLE = re.compile(r"\b(lead|head)\s+(agenc|partner|organi[sz]ation|bod|authorit|"
                              r"service|office)", re.I)
#: A word of a person's name: "Jo", "McAllister", "O'Neill", "Oyelaran-Finch".
_NAME_WORD = r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:['’-][A-Z][a-z]+)?"
#: A run of capitalised words ("Parent Voice Network", "Dana Whitfield").
_CAPITALISED_RUN = re.compile(rf"(?<![\w'’-]){_NAME_WORD}(?:['’]s)?(?:\s+{_NAME_WORD}(?:['’]s)?)+"
                              r"(?![\w'’-])")
#: A run ending in one of these names a body, not a person ("Parent Voice Network").
_BODY_HEADS = frozenset("""
group groups board panel team unit service services council partnership hub committee forum
trust authority network centre center agency project programme school college hospital
constabulary police office department protocol policy procedure procedures strategy plan
guidance pathway framework tool toolkit
""".split())
#: Capitalised words that are roles, bodies, places' kinds or calendar words, not names.
_NOT_NAME = frozenset("""
the our this that these those their its a an in for of on at by to from with and or if when
where what which who how it we you they he she there here as all each every any no not new
local national regional county city district borough council councils board boards group groups
panel partnership partnerships partners partner children child childrens young people adults
adult family families health care safeguarding safe early help hub team teams unit units service
services police constabulary nhs integrated trust hospital foundation authority authorities
practice review reviews learning assurance quality business performance workforce development
designated independent chair chairs chairperson nurse doctor officer director head lead manager
chief executive assistant deputy detective superintendent inspector sergeant constable
commissioner scrutineer reviewer statutory delegated strategic strategy social public
protection education community school schools college university university's medical clinical
named senior principal interim acting joint co primary secondary front door contact referral
referrals agency agencies multi plan plans policy procedure procedures report annual protocol
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december level stage section part appendix working
together government department office act north south east west central upper lower greater
support plan service mid baby babies infant infants non-mobile mobile
""".split())
_SENTENCE_OPENERS = frozenset("please following during under since after before until".split())


def asks_identity(question: str) -> bool:
    """'Who is the <role>' or 'what is the name of the <role>': a named person answers it."""
    return (bool(_IDENTITY_Q.search(question)) and bool(ASKED_ROLE.search(question))
            and not _BODY_AFTER_ROLE.search(question))


def has_person_name(text: str, question: str = "") -> bool:
    """Two capitalised name words in a row that are neither roles nor body words, and not the
    question's own words ("Dana Whitfield", "Sam McAllister"; not "Designated Nurse")."""
    asked = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}
    for run in _CAPITALISED_RUN.finditer(text):
        lowered = [re.sub(r"['’]s$", "", w.lower()) for w in run.group(0).split()]
        for i in range(len(lowered) - 1):
            pair = lowered[i: i + 2]
            if any(w in _NOT_NAME or w.removesuffix("s") in _NOT_NAME or w in _BODY_HEADS
                   or w in asked or w in _SENTENCE_OPENERS for w in pair):
                continue
            if not _BODY_HEADS & set(lowered[i + 2:]):
                return True
    return False


#: Someone named or titled: "Jo Bloggs", "Detective Superintendent ...", "the Director".
_HOLDER = r"(?:(?i:the|our|a|an)\s+)?[A-Z][\w'’-]+"
#: After "by" the holder may be a role in lower case ("chaired by a delegated partner").
_BY_HOLDER = r"(?i:(?:the|our|its|their|a|an|one of the)\s+)?[A-Za-z][\w'’-]+"
#: Words joining a role to its holder: "the Scrutineer is X", "Chair: X".
_ROLE_TO_HOLDER = r"\w*(?i:\s+is|\s+was|:|;|,|\s+-|\s+–)\s+"
#: "chaired by X", "is led by X", "will be chaired by X"; not "the chair is supported by X"
#: (X helps the chair) nor "appointed by X" (X chose the holder).
_ROLE_BY = (r"\w*(?i:\s+(?:is|was|will be|has been)\s+(?!(?:supported|assisted|advised|"
            r"appointed|elected|nominated|accountable|answerable|scrutinised|challenged|"
            r"informed|agreed)\b)\w+)?(?i:\s+by)\s+")
#: ...and a holder to the role: "X, Designated Nurse", "X as our Independent Scrutineer",
#: "X chaired the group" (the holder is a capitalised word that is not a determiner).
_NAMED = (r"\b(?!(?:The|Our|This|That|These|Those|Its|Their|Each|Every|Any|All|A|An|It)\b)"
          r"[A-Z][a-z'’-]+")
_HOLDER_TO_ROLE = (_NAMED + r"(?:,\s*|\s+(?i:is|was|as|became|remains)\s+)"
                   r"(?:(?i:the|our|its|new)\s+)*(?:[A-Z][\w'’-]*\s+){0,3}")
#: The role followed by who holds it: "has an Independent Chair who is also ...", "the
#: Exploitation Lead, who is the Head of Youth Services", "the Chair of the group is the ...".
_ROLE_WHO = r"\w*,?\s+(?i:who\s+(?:is|was)|of\s+(?:[\w'’-]+\s+){1,6}?(?:is|was))\s+"
#: A role shared by turns or between bodies: "the chair alternates between the partners".
_ROLE_SHARED = r"\w*\b[^.;:]{0,40}?\b(?i:rotates|alternates|is shared|is held|is taken)\b"


def asked_role(question: str) -> bool:
    """The question names a role whose holder it asks for ("who chairs", "the Designated
    Doctor")."""
    return bool(ASKED_ROLE.search(question))


def holds_asked_role(sentence: str, question: str) -> bool:
    """The sentence says who holds the role the question asks about ("The SPRG is chaired by
    Jo Bloggs", "Our Independent Scrutineer is ...", "chaired by a delegated partner"), not
    merely the role or the body."""
    for role in {m.group(1).lower() for m in ASKED_ROLE.finditer(question)}:
        stem = rf"\b(?i:{re.escape(role)})"
        patterns = (rf"{stem}{_ROLE_TO_HOLDER}{_HOLDER}", rf"{stem}{_ROLE_BY}{_BY_HOLDER}",
                    rf"{_HOLDER_TO_ROLE}{stem}", rf"{_NAMED}\s+{stem}(?i:s|ed)\b",
                    rf"{stem}{_ROLE_WHO}", rf"{stem}{_ROLE_SHARED}")
        if any(re.search(p, sentence) for p in patterns):
            return True
    return False


def person_answer_mismatch(answer: str, question: str) -> bool:
    """True when a who-question's answer cannot be right: an identity question ("who is the
    Chair") without a person's name, or a question naming a role ("who chairs") without
    anyone holding that role."""
    if asks_identity(question):
        return not has_person_name(answer, question)
    if asked_role(question):
        return not holds_asked_role(answer, question)
    return False


#: The acronym a question asks to be spelled out: "what does NMAG stand for", "NMAG - what is
#: it", "what's a PRM (in ...)?", "what is WBLG?", "NMAG?".
_ACRONYM_TOKEN = r"([A-Z][A-Za-z]*[A-Z][A-Za-z]*?)s?"
_ASKED_ACRONYM = (
    re.compile(rf"\b(?i:what\s+(?:does|do|did)\s+(?:the\s+|an?\s+)?){_ACRONYM_TOKEN}\s+"
               r"(?i:stand for|mean)\b"),
    re.compile(rf"^\s*(?:what|who)(?:['’]s|\s+is|\s+are)\s+(?:the\s+|an?\s+)?{_ACRONYM_TOKEN}"
               r"(?:\s+(?:in|at|for|within|under)\s+[^?]*)?\s*\??\s*$", re.I),
    re.compile(rf"^\s*{_ACRONYM_TOKEN}\s*(?:[-–—:,?]+\s*)?(?:(?:what|who)(?:['’]s|\s+is|\s+are)"
               r"\s+(?:it|that|this|they)\b[^?]*|meaning|stands? for)?\s*\??\s*$", re.I),
    re.compile(rf"\b(?i:acronym|abbreviation|initials)\s+{_ACRONYM_TOKEN}\b"),
    re.compile(rf"\b{_ACRONYM_TOKEN}\s+(?i:(?:is\s+)?(?:an?\s+)?(?:acronym|abbreviation))\b"),
)
#: Words an acronym may or may not spell ("Partners for Learning Group" is PfLG or PLG).
_LINKING = frozenset("and of for the from in on to with at by a an".split())


def asked_acronym(question: str) -> str:
    """The acronym the question asks to be spelled out, or ''."""
    for pattern in _ASKED_ACRONYM:
        match = pattern.search(question)
        token = match.group(1) if match else ""
        upper = sum(c.isupper() for c in token)
        if upper >= 2 and upper > len(token) - upper:  # "PfLG", not a name such as "SpringCamp"
            return token
    return ""


def defines(text: str, acronym: str) -> bool:
    """A glossary line for the acronym ("ICON: Infant crying is normal, ...", "Acronym: ICON;
    Meaning: ...", "ICON stands for ..."): a definition even when its initials do not spell
    the acronym word by word (a mnemonic)."""
    if not acronym:
        return False
    name = re.escape(acronym)
    return bool(re.search(rf"(^|\n|\b[Aa]cronym: ){name}(:|;| [–—-] | means | stands for )",
                          text))


def spells_out(text: str, acronym: str) -> bool:
    """The text holds words whose initials spell the acronym ("Wyvern Bay Learning Group" for
    WBLG); linking words may be skipped or spelled."""
    letters = [c.lower() for c in acronym if c.isalnum()]
    words = re.findall(r"[A-Za-z0-9][\w'’]*", text)
    initials = [(w[0].lower(), w.lower() in _LINKING) for w in words]

    def match(start: int) -> bool:
        # positions reachable in `letters` after consuming words from `start`
        reach = {0}
        for initial, optional in initials[start:]:
            nxt = {k + 1 for k in reach if k < len(letters) and letters[k] == initial}
            if optional:
                nxt |= reach
            if len(letters) in nxt:
                return True
            if not nxt:
                return False
            reach = nxt
        return False

    return any(initial == letters[0] and not optional and match(i)
               for i, (initial, optional) in enumerate(initials)) if letters else False

