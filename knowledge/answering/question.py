"""What kind of answer a question wants, and whether a sentence has that kind of thing in it.

"What number do I call out of hours?" wants a phone number: a sentence that has one satisfies the
words "number" and "call" even though it never uses them, and a sentence without one cannot be
the answer however similar it sounds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.answering.kinds import (
    ASKED_ROLE,
    asked_acronym,
    asked_role,
    asks_identity,
    defines,
    holds_asked_role,
    person_answer_mismatch,
    spells_out,
)

__all__ = ["QuestionShape", "asked_role", "count_attached", "counted_noun", "has_count",
           "has_new_name", "holds_asked_role", "question_type"]

PHONE = re.compile(r"(?<!\d)(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\d)|\b(?:999|111|101)\b")
NUMBER = re.compile(r"\d|£|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"fifteen|twenty|thirty|forty|fifty|hundred|thousand|million|half|third|"
                    r"quarter|dozen)\b", re.I)
DATE_OR_FREQUENCY = re.compile(
    r"\b(annual(ly)?|every|each|daily|weekly|monthly|quarterly|yearly|once|twice|within|"
    r"days?|weeks?|months?|years?|hours?|(19|20)\d\d|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|working days?)\b", re.I)
_COUNT_WORD = (r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
               r"fifteen|twenty|thirty|forty|few|several)")
DURATION = re.compile(r"\b" + _COUNT_WORD + r"[\s-]+(working[\s-]+|calendar[\s-]+|school[\s-]+)?"
                      r"(minutes?|hours?|days?|weeks?|months?|years?)\b(?![\s-]*old)|"
                      r"\b(immediately|same day|straight ?away|without delay|as soon as|"
                      r"next working day|by the end of)\b", re.I)
#: "every"/"each" gives a frequency only before a span of time ("every two years", "each
#: term"), not in "every serious incident notification" or "each level of training".
FREQUENCY = re.compile(r"\b(every|each)\s+(other\s+|[\w-]+\s+)?(day|week|month|year|term|"
                       r"quarter|fortnight|half[- ]term|session|time|occasion|spring|summer|autumn|"
                       r"winter|monday|tuesday|wednesday|thursday|friday)s?\b|"
                       r"\b(annual(ly)?|daily|weekly|fortnightly|monthly|quarterly|"
                       r"yearly|once|twice|times a|bi-?monthly|biannual(ly)?|per (year|month|week|"
                       r"quarter)|a year|a month|regularly)\b", re.I)
#: Questions wanting a duration, not a date ("how quickly must a rapid review be completed").
_DURATION_Q = re.compile(r"\b(how (long|soon|quickly)|deadline|timescale|within how)\b", re.I)
#: "in 9 of the 24 cases", "40%"; not "64 in 2023-24" (a count in a year).
SHARE = re.compile(r"\b\d+\s+(of|out of|in)\s+(the\s+)?(?!(?:19|20)\d\d\b)\d+\b|\d\s*%|"
                   r"\bper ?cent\b", re.I)
PERIOD = re.compile(r"\b(from|between|covering|covers|runs from)\b[^.]{0,40}\d[^.]{0,30}"
                    r"\b(to|and|until|through)\b[^.]{0,30}\d", re.I)
ROLE = re.compile(r"\b(chair(ed|s|person)?|lead|director|chief|officer|executive|head|manager|"
                  r"doctor|nurse|member|independent|designated|constable|commissioner|"
                  r"superintendent|scrutineer|team|panel|board|group|service)\b", re.I)
#: Who-answers: a person's role, not merely the name of a body ("the group meets...").
PERSON_ROLE = re.compile(r"\b(chair(ed|s|person)?|lead|director|chief|officer|head|manager|"
                         r"doctor|nurse|designated|constable|commissioner|superintendent|"
                         r"scrutineer|reviewer|partner|practitioner|worker|mr|mrs|ms|dr)\b", re.I)
#: Numbers that are not counts: section numbering ("7.2 ", "7. "; not "165 actions ..."), years
#: and year ranges ("2023-24"), labels ("Stage 4", "Level 3", "Section 11", "under 18") and
#: phone numbers.
_NOT_A_COUNT = re.compile(
    r"(?m:^)\s*\d+(\.\d+)*\.?\s|\b(19|20)\d\d([/–-]\d\d(\d\d)?)?\b|"
    r"\b(stage|level|section|tier|priority|part|version|chapter|appendix|paragraph|step|phase|"
    r"under|over|aged|age|schedule|article|regulation|year)\s+(\d+|one|two|three|four|five|six)\b",
    re.I)
MONEY = re.compile(r"£|\bpounds?\b|\b\d+(\.\d+)?\s?(k|m|bn|million|thousand)\b", re.I)
#: Money words: "how much" alone may ask for any amount ("by how much did contacts fall").
_MONEY_Q = re.compile(r"\b(budget|cost|contribut\w*|spend|spent|allowance|underspend|pay|pays|"
                      r"paid|overspend|funding|fee|fees|charged?|money|grant)\b|£", re.I)
_AMOUNT_Q = re.compile(r"\b(how much|how big|how large|budget|total|amount|underspend|"
                       r"overspend)\b", re.I)
#: "How much of the budget is paid by..." asks for a share: a percentage answers it.
_SHARE_Q = re.compile(r"\b(how much of|what share|what proportion|what percentage)\b", re.I)

def has_count(text: str) -> bool:
    """A number that can answer 'how many / how much' (not a year, label or section number)."""
    return bool(NUMBER.search(_counts_only(text)))


def _counts_only(text: str) -> str:
    return _NOT_A_COUNT.sub(" ", PHONE.sub(" ", text))


#: "How many X ..." / "the number of X": the words naming what is counted.
_COUNTED_Q = re.compile(r"\b(?:how many|number of)\s+([A-Za-z][A-Za-z\s'’-]*)", re.I)
_TIME_UNIT = frozenset("minute hour day week month year time session".split())
#: Plural nouns without an -s: the counted thing in "how many people attended".
_PLURALS = frozenset("people children staff".split())
#: "How many people attended" is answered by a count of attendances, delegates or staff.
_PEOPLE = frozenset("people person attendance attendee delegate participant practitioner "
                    "professional learner staff individual member".split())
#: Practitioners count "kids" and "young people"; documents count children.
_CHILDREN = frozenset("child children kid kids youngster youngsters young".split())
#: Tokens either side of the counted noun a number may sit and still count it ("45 multi-agency
#: training courses", "referrals received: 1,204").
COUNT_WINDOW = 5
#: Tokens after its noun a number given as the clause's value may sit ("Referrals to the MASH
#: under the protocol rose from 23", "Schools raised more escalations than any other, at 35").
PREDICATE_WINDOW = 10
#: Words that hand a clause its figure: the number after one is the value of the noun before.
_VALUE_CUES = frozenset("at by from to was were is are reached totalled totaled numbered".split())
_LEADING_COUNT = re.compile(r"(?m:^)\s*(\d[\d,]*)\s(?=[a-z])")


def counted_noun(question: str) -> str:
    """The stem of what a 'how many' question counts ("children", "referrals"), or ''.
    The phrase runs to the first stopword; its first plural word, else its last, is the noun."""
    from knowledge.text import STOPWORDS

    match = _COUNTED_Q.search(question)
    if not match:
        return ""
    phrase = []
    for word in match.group(1).split():
        if word.lower() in STOPWORDS:
            break
        phrase.append(word)
    if not phrase:
        return ""
    plural = [w for w in phrase if w.lower() in _PLURALS
              or (w.lower().endswith("s") and not w.lower().endswith("ss"))]
    return _singular(plural[0] if plural else phrase[-1])


def _singular(word: str) -> str:
    """A word's form for matching a counted noun: lower case, plural ending dropped (not the
    stemmer's, which makes "social workers" and "social work" the same)."""
    word = re.sub(r"['’]s?$", "", word.lower())
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def count_attached(text: str, question: str) -> bool:
    """A count sits next to the thing the question counts ("twelve rapid reviews" for "how many
    reviews"), not merely somewhere in the sentence ("within one working day")."""
    noun = counted_noun(question)
    if not noun:
        return False
    # a bare number opening a sentence is a count here ("212 referrals came ..."), not a section
    cleaned = _counts_only(_LEADING_COUNT.sub(r"- \1 ", text))
    if noun not in _TIME_UNIT:
        cleaned = DURATION.sub(" ", cleaned)
    nouns = _PEOPLE if noun in _PEOPLE else _CHILDREN if noun in _CHILDREN else {noun}
    if _row_counts(text, nouns):
        return True
    tokens = cleaned.split()
    for i, token in enumerate(tokens):
        if _singular(_bare(token)) not in nouns:
            continue
        for j in range(max(0, i - COUNT_WINDOW), min(len(tokens), i + PREDICATE_WINDOW + 1)):
            if j != i and NUMBER.search(tokens[j]) and _counts(tokens, j, i):
                return True
    return False


#: A table row as ingestion writes it: "Measure: Children on a plan; 2023-24: 276; 2024-25: 318".
_CELL = re.compile(r"^\s*([^:;]{1,80}):\s*([^;]*)$")


def _row_counts(text: str, nouns: frozenset[str] | set[str]) -> bool:
    """In a table row, a cell naming the counted thing and a cell whose value is a count: the
    row's figures count what its label names, however far apart the cells are."""
    cells = [_CELL.match(c) for c in text.rstrip(" .").split(";")]
    if len(cells) < 2 or not all(cells):
        return False
    names = any(_singular(_bare(t)) in nouns for c in cells for t in c.group(2).split()[:8])
    valued = any(re.match(r"(\d[\d,.]*|" + _COUNT_WORD[1:-1] + r")\b", c.group(2), re.I)
                 and has_count(c.group(2)) for c in cells)
    return names and valued


def _predicate_count(tokens: list[str], number: int, noun: int) -> bool:
    """A figure well after its noun counts it when a value cue stands just before it and no
    other number or clause break lies between ("rose from 23", not "...; 4 panels")."""
    from knowledge.text import STOPWORDS

    if _bare(tokens[number - 1]).lower() not in _VALUE_CUES:
        return False
    between = tokens[noun + 1: number - 1]
    if any(NUMBER.search(t) or t.endswith((";", ":", ".")) for t in between):
        return False
    return (number + 1 == len(tokens) or bool(re.search(r"[^\w%]$", tokens[number]))
            or _bare(tokens[number + 1]).lower() in STOPWORDS)


def _bare(token: str) -> str:
    return re.sub(r"^\W+|\W+$", "", token)


def _counts(tokens: list[str], number: int, noun: int) -> bool:
    """Whether the number at `number` counts the noun at `noun`: before it, only modifiers lie
    between ("45 multi-agency training courses"); after it, the number counts nothing else
    ("referrals received: 1,204." but not "reviews held by the three statutory partners")."""
    from knowledge.text import STOPWORDS

    if number < noun:
        return not any(_bare(t).lower() in STOPWORDS for t in tokens[number + 1: noun])
    if number - noun > COUNT_WINDOW:
        return _predicate_count(tokens, number, noun)
    if number + 1 == len(tokens) or re.search(r"[^\w%]$", tokens[number]):
        return True
    return _bare(tokens[number + 1]).lower() in STOPWORDS
_NAME = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
FUNCTION = re.compile(r"\b(responsible for|responsibilit\w+|role (is|of)|purpose|provides?|"
                      r"ensures?|oversees?|leads?|delivers?|are to|is to|will)\b", re.I)

_NUMERIC_Q = re.compile(r"\bwhat (%|per ?cent)|\b(how many|how much|how big|what proportion|"
                        r"what percentage|number of|"
                        r"how large|what share|what (was|is) the (total|budget|cost|underspend|"
                        r"overspend|figure|rate))\b", re.I)
_PHONE_Q = re.compile(r"\b(phone|telephone|number (do|to|should) (i|we|you) (call|ring)|"
                      r"who do i (call|ring)|contact number|helpline)\b", re.I)
#: "when" asks for a time only when it opens the question ("what should I do when..." does not)
#: or a second question ("what is a TAF and when does it happen").
_WHEN_Q = re.compile(r"(^\s*(by )?when\b|\b(and|but|or)\s+when\s+(does|do|is|are|will|should|must|"
                     r"did|was|were|can)\b|\b(how often|how frequently|how soon|how quickly|"
                     r"how long|what period|which year|what date|deadline|timescale)\b)", re.I)
_PERIOD_Q = re.compile(r"\b(what period|period .* cover|cover(s|ed)? what|which dates?)\b", re.I)
_WHO_Q = re.compile(r"^\s*(who|whom|whose)\b", re.I)
_FUNCTION_Q = re.compile(r"\bwhat (does|do|will|is|are)\b.+\b(do|for|role|responsib\w*|"
                         r"purpose)\??$", re.I)

#: Question words a sentence of the right answer type satisfies without containing them.
_TYPE_WORDS = {
    "phone": {"phone", "telephone", "number", "call", "ring", "contact", "helpline"},
    "number": {"number", "many", "much", "proportion", "percentage", "amount", "figure", "total"},
    "time": {"often", "frequently", "soon", "quickly", "long", "when", "date", "timescale",
             "deadline", "period", "cover"},
}


@dataclass(frozen=True)
class QuestionShape:
    wants: frozenset[str]  # subset of phone, number, time, period, person, function, definition

    @classmethod
    def of(cls, question: str) -> QuestionShape:
        wants = set()
        if _PHONE_Q.search(question):
            wants.add("phone")
        elif _NUMERIC_Q.search(question):
            wants.add("number")
        if _WHEN_Q.search(question):
            wants.add("time")
        if _PERIOD_Q.search(question):
            wants.add("period")
        if _WHO_Q.search(question) or asks_identity(question):
            wants.add("person")
        if asked_acronym(question):
            wants.add("definition")
        if _FUNCTION_Q.search(question):
            wants.add("function")
        return cls(frozenset(wants))

    def satisfied_words(self, sentence: str) -> set[str]:
        """Question words this sentence answers by its type (e.g. 'number' by a phone number)."""
        out: set[str] = set()
        if "phone" in self.wants and PHONE.search(sentence):
            out |= _TYPE_WORDS["phone"]
        if "number" in self.wants and NUMBER.search(sentence):
            out |= _TYPE_WORDS["number"]
        if "time" in self.wants and (DATE_OR_FREQUENCY.search(sentence) or PERIOD.search(sentence)):
            out |= _TYPE_WORDS["time"]
        return out

    def fit(self, sentence: str, question: str) -> float:
        """Bonus for sentences holding the kind of thing asked for (small, additive)."""
        bonus = 0.0
        if "phone" in self.wants and PHONE.search(sentence):
            bonus += 0.08
        if "number" in self.wants and NUMBER.search(sentence):
            bonus += 0.06
        if "time" in self.wants and DATE_OR_FREQUENCY.search(sentence):
            bonus += 0.04
        if "period" in self.wants and PERIOD.search(sentence):
            bonus += 0.06
        if "person" in self.wants:
            if has_new_name(sentence, question):
                bonus += 0.06
            if ROLE.search(sentence):
                bonus += 0.02
        if "function" in self.wants and FUNCTION.search(sentence):
            bonus += 0.04
        return bonus

    def mismatch(self, answer: str, question: str, *, strict: bool = True) -> bool:
        """True when the answer cannot be of the kind asked for: no number for 'how many', or
        one counting something else; no name for 'who is the Chair'; no expansion for 'what
        does XYZ stand for'."""
        if "definition" in self.wants and strict:
            acronym = asked_acronym(question)
            return not (spells_out(answer, acronym) or defines(answer, acronym))
        if "phone" in self.wants:
            return not PHONE.search(answer)
        if "number" in self.wants:
            if (_MONEY_Q.search(question) and _AMOUNT_Q.search(question)
                    and not _SHARE_Q.search(question)):
                return not MONEY.search(answer)
            if strict and counted_noun(question):
                return not count_attached(answer, question)
            return not has_count(answer)
        if "time" in self.wants:
            if _DURATION_Q.search(question):
                return not DURATION.search(answer)
            if _OFTEN_Q.search(question):  # "how often had..." may be "in 9 of the 24 cases"
                return not (FREQUENCY.search(answer) or SHARE.search(answer))
            return not (DATE_OR_FREQUENCY.search(answer) or PERIOD.search(answer))
        if "person" in self.wants:
            if not (has_new_name(answer, question) or PERSON_ROLE.search(answer)):
                return True
            asked = {m.group(1).lower() for m in ASKED_ROLE.finditer(question)}
            found = {m.group(1).lower() for m in ASKED_ROLE.finditer(answer)}
            return (bool(asked) and not asked & found) or (
                strict and person_answer_mismatch(answer, question))
        return False


def has_new_name(sentence: str, question: str) -> bool:
    """A 'Firstname Lastname' in the sentence that the question does not already contain."""
    asked = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}
    for match in _NAME.finditer(sentence):
        first, last = match.group(1), match.group(2)
        if match.start() == 0 and first in {"The", "Our", "This", "A", "An", "In", "For"}:
            continue
        if first.lower() in asked or last.lower() in asked:
            continue
        if first in {"The", "Our", "This", "Their", "These", "Local", "National", "Children",
                     "Safeguarding", "Partnership", "Health", "Early", "Help", "County"}:
            continue
        return True
    return False


_ACRONYM_Q = re.compile(r"\b(stand for|acronym|abbreviation)\b|^\s*what (is|are) (the |an? )?"
                        r"[A-Z][A-Za-z]*[A-Z]s?\s*\??$|\bwhat does (the |an? )?[A-Z][A-Za-z]*[A-Z]"
                        r"s? mean\b", re.I)
_LIST_Q = re.compile(r"\b(what|which) (are|were) (the |its |their |our )?\w*\s*\w*\s*"
                     r"(priorities|responsibilities|duties|themes|areas|members|aims|objectives|"
                     r"functions|principles|steps|stages|levels|partners|findings|recommendations)"
                     r"|\blist\b", re.I)
_PROCEDURE_Q = re.compile(r"\b(what should|what do i do|what must|how (do|should|can) (i|we|you)|"
                          r"if i\b|if you\b|what happens (if|when)|what steps)", re.I)
_OFTEN_Q = re.compile(r"\bhow (often|frequently)\b", re.I)

#: Question types reported in the quality bench, in table order.
QUESTION_TYPES = ("who", "when", "how often", "how many", "acronym", "phone", "list",
                  "procedure", "other")


def question_type(question: str) -> str:
    """One label for a question's shape, for per-type figures (first match wins)."""
    shape = QuestionShape.of(question)
    if "phone" in shape.wants:
        return "phone"
    if _ACRONYM_Q.search(question) or "definition" in shape.wants:
        return "acronym"
    if _OFTEN_Q.search(question):
        return "how often"
    if "person" in shape.wants:
        return "who"
    if "number" in shape.wants:
        return "how many"
    if "time" in shape.wants:
        return "when"
    if _LIST_Q.search(question):
        return "list"
    if _PROCEDURE_Q.search(question):
        return "procedure"
    return "other"
