"""Name rules for text typed the way people type in chat: lower case, ALL CAPS, hyphenated and
double-barrelled names, nicknames, initials, names after family words and titles, and the school
named beside a child. Used by `knowledge.feedback.redaction.Redactor` as a second detector whose
spans are merged with the first (overlaps resolved there); it favours recall, like the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.feedback.redaction_terms import (
    ACRONYMS,
    AMBIGUOUS_NAMES,
    FUNCTION_WORDS,
    NAME_CUES,
    NICKNAMES,
    ORG_SUFFIXES,
    SCHOOL_SUFFIXES,
    WORD_NAMES,
)

#: A lower-case first name from a non-English locale counts only if rarer than this rank in
#: the English word-frequency list ("said" and "made" are names somewhere, and words here).
LOWER_CASE_MIN_RANK = 3000

_FAMILY_WORDS = frozenset(
    "mum mom mummy mother dad daddy father stepdad stepmum nan nana nanna nanny gran granny "
    "grandma grandad granddad grandpa grandmother grandfather aunt auntie aunty uncle brother "
    "sister son daughter baby cousin partner sibling siblings twins".split())
_WORD = re.compile(r"[^\W\d_][\w'’\-]*[^\W\d_]|[^\W\d_]", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$")
_DOTTED_INITIALS = re.compile(r"(?<![\w.])[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?(?![\w])")
_NOT_INITIALS = frozenset({"U.K.", "U.S.", "A.M.", "P.M.", "N.B.", "P.S.", "E.G.", "I.E."})
_CUED_INITIALS = re.compile(
    r"\b(?i:child|pupil|young\s+person|student|baby|sibling|mum|dad|mother|father)"
    r"\s+\(?(?P<value>[A-Z]{2,3})\b"
    r"|\((?P<paren>[A-Z]{2,3}),\s*(?:aged\s+)?\d{1,2}\)"
)
_LOWER_TITLE = re.compile(r"\b(?i:mr|mrs|ms|mx)\.?\s+(?P<value>[a-z][\w'’\-]+)")
_CAPS_TITLE = re.compile(r"\b(?:MR|MRS|MS|MISS|DR)\.?\s+(?P<value>[A-Z][A-Z'’\-]+)\b")
_FAMILY_AFTER = re.compile(
    r"^['’]s\s+(?:mum|mom|mother|dad|father|stepdad|stepmum|nan|nanna|gran|grandad|grandma|"
    r"brother|sister|sibling|partner|boyfriend|girlfriend|carer|foster\s+carer|aunt|auntie|"
    r"uncle|cousin|baby|son|daughter|school|teacher|social\s+worker|gp|referral|case|plan)\b",
    re.I,
)
_ROLE_AFTER = re.compile(
    r"^,?\s+(?:the|her|his|their|my|our)\s+(?:step)?(?:mum|dad|father|mother|dad's|boyfriend|"
    r"girlfriend|partner|lodger|neighbour|uncle|aunt|brother|sister|cousin|carer|friend)\b"
    r"|^\s+(?:from|at)\s+(?:the\s+)?[\w'’]+"
    r"|^\s+(?:is|was|has|had|came|comes|keeps|kept|rang|rings|turned|refused|declined|"
    r"disclosed|says|said|told|lives|attends|went|ran|needs|wants)\b",
    re.I,
)
_PAIR = re.compile(r"^\s+(?:and|&)\s+(?P<other>[A-Z][\w'’\-]+)\s+(?:are|were|have|had|both)\b")
_PLURAL_FAMILY = re.compile(r"\b[Tt]he\s+(?P<value>[A-Z][a-z'’\-]+?s)\s+(?:have|are|were|moved|"
                            r"family|children|kids)\b")
_FAMILY_NAME = re.compile(r"\bthe\s+(?P<value>[a-z][a-z'’\-]+)\s+(?:family|children|kids)\b")
_SCHOOL = re.compile(
    r"(?:\bSt\.?\s+)?\b(?:[A-Z][\w'’\-]*\s+(?:of\s+)?){1,3}"
    rf"(?:{'|'.join(sorted(SCHOOL_SUFFIXES))})(?:\s+(?:School|Academy))?\b"
)


@dataclass(frozen=True)
class NameSpan:
    start: int
    end: int
    label: str = "NAME"


class NameRules:
    """Extra name detectors over the name lists the `Redactor` already loaded."""

    def __init__(self, *, first: frozenset[str], last: frozenset[str],
                 english_first: frozenset[str], common: frozenset[str],
                 common_non_name: frozenset[str], rank: dict[str, int],
                 keep: set[str]) -> None:
        self.first, self.last, self.english = first, last, english_first
        self.common, self.common_non_name, self.rank, self.keep = (common, common_non_name,
                                                                   rank, keep)

    # --- word tests ----------------------------------------------------------------------------

    def _blocked(self, lower: str) -> bool:
        return lower in self.keep or lower in ACRONYMS or lower in _FAMILY_WORDS

    def known_first(self, word: str) -> bool:
        """A first name or nickname, in any case; lower case only when it is not also a word."""
        cap = word[:1].upper() + word[1:].lower()
        lower = word.lower()
        if cap not in self.first or lower in AMBIGUOUS_NAMES or self._blocked(lower):
            return False
        if word.istitle():
            return True
        if lower in WORD_NAMES or lower in FUNCTION_WORDS:
            return False
        return cap in self.english or cap in NICKNAMES or self.rank.get(lower, 10**9) >= \
            LOWER_CASE_MIN_RANK

    def surname_like(self, word: str) -> bool:
        """A surname-shaped word: listed, or not an English word at all ("Okonjo")."""
        cap = word[:1].upper() + word[1:].lower()
        lower = word.lower()
        if self._blocked(lower) or lower in FUNCTION_WORDS:
            return False
        if "-" in word:
            return self.compound(word)
        return (cap in self.last or cap in self.first or lower not in self.common) and \
            lower not in self.common_non_name

    def compound(self, word: str) -> bool:
        """"Riley-James", "Eze-Williams", "jean-luc": hyphenated parts that are names."""
        parts = [p for p in word.split("-") if p]
        if len(parts) < 2 or any(not p.isalpha() for p in parts):
            return False
        lowers = [p.lower() for p in parts]
        if any(self._blocked(lw) or lw in FUNCTION_WORDS for lw in lowers):
            return False
        caps = [p[:1].upper() + p[1:].lower() for p in parts]
        named = [c in self.first or c in self.last for c in caps]
        if word.islower() and not (all(named) or self.known_first(parts[0])):
            return False  # "short-staffed"; but "jean-luc", "maisie-rae"
        if all(named):
            return True  # "Ruby-Mae", "Forbes-Hamilton"
        # one listed name and the rest not English words ("Maisie-Rae", "Eze-Okafor")
        return any(named) and all(n or lw not in self.common for n, lw in zip(named, lowers,
                                                                          strict=True))

    # --- detectors -----------------------------------------------------------------------------

    def schools(self, text: str) -> list[NameSpan]:
        return [NameSpan(m.start(), m.end(), "SCHOOL") for m in _SCHOOL.finditer(text)]

    def spans(self, text: str) -> list[NameSpan]:
        protected = self.organisations(text)
        words = [(m.start(), m.end(), _POSSESSIVE.sub("", m.group())) for m in
                 _WORD.finditer(text)]
        out: list[NameSpan] = []
        for i, (start, _end, _word) in enumerate(words):
            if any(s <= start < e for s, e in protected):
                continue
            if self._is_name(text, words, i):
                last = i
                while last + 1 < len(words) and self._continues(text, words, last):
                    last += 1
                out.append(NameSpan(start, words[last][0] + len(words[last][2])))
        return out + self._patterns(text)

    def _is_name(self, text: str, words, i: int) -> bool:
        start, end, word = words[i]
        lower = word.lower()
        if self._blocked(lower) or len(word) < 2:
            return False
        before = text[max(0, start - 40):start]
        after = text[start + len(word):start + len(word) + 40]
        if "-" in word and self.compound(word):
            return True
        cued = bool(NAME_CUES.search(before))
        if word.isupper():
            if len(word) < 3 or lower in self.common_non_name and not cued:
                return False
            if self._caps_pair(text, words, i):
                return True  # "TAMSIN OKWUOSA" in a sentence that is not shouted
            return (self.known_first(lower) or (word.title() in self.last
                                                 and lower not in self.common)
                    or (cued and (word.title() in self.last or self.surname_like(word))))
        if word.islower() and cued and lower not in FUNCTION_WORDS and (
                word.title() in self.english or word.title() in NICKNAMES):
            return True  # "her partner dean", "grandad ron"
        if self.known_first(word):
            return not (word.istitle() and lower in self.common_non_name)
        if lower in FUNCTION_WORDS or lower in self.common_non_name and lower in self.common:
            return False
        if cued and (word.istitle() or lower not in self.common):
            return lower not in self.common_non_name
        if not word.istitle() or lower in self.common:
            return False
        # an unknown capitalised word that acts like a person, unless it ends a Title Case
        # phrase ("the Neglect Toolkit is ...")
        if i > 0 and text[words[i - 1][1]:start] == " " and words[i - 1][2].istitle() \
                and words[i - 1][2].lower() in self.common_non_name:
            return False
        return bool(_FAMILY_AFTER.match(text[start + len(word):])
                    or _ROLE_AFTER.match(after) or self._pair(text, words, i))

    def _caps_pair(self, text: str, words, i: int) -> bool:
        """Two ALL-CAPS words, neither an English word nor an acronym, in mixed-case text."""
        letters = [c for c in text if c.isalpha()]
        if sum(c.isupper() for c in letters) > len(letters) / 2 or i + 1 >= len(words):
            return False
        pair = (words[i][2], words[i + 1][2])
        return (text[words[i][1]:words[i + 1][0]] == " "
                and all(w.isupper() and len(w) >= 3 and w.lower() not in self.common
                        and not self._blocked(w.lower()) for w in pair))

    def _pair(self, text: str, words, i: int) -> bool:
        m = _PAIR.match(text[words[i][0] + len(words[i][2]):])
        return bool(m) and m.group("other").lower() not in self.common_non_name

    def _continues(self, text: str, words, i: int) -> bool:
        """The next word is this person's surname ("kyle denholm", "CONNOR BLAKEMORE")."""
        gap = text[words[i][1]:words[i + 1][0]]
        nxt = words[i + 1][2]
        if gap != " " or words[i][2] != text[words[i][0]:words[i][1]]:
            return False
        same_case = (nxt.isupper() == words[i][2].isupper()
                     and nxt.islower() == words[i][2].islower())
        return same_case and self.surname_like(nxt) and len(nxt) > 1

    def _patterns(self, text: str) -> list[NameSpan]:
        out = [NameSpan(m.start(), m.end()) for m in _DOTTED_INITIALS.finditer(text)
               if m.group().replace(" ", "").upper() not in _NOT_INITIALS]
        for m in _CUED_INITIALS.finditer(text):
            group = "value" if m.group("value") else "paren"
            shouting = group == "value" and m.group().split()[0].isupper()
            if m.group(group).lower() not in ACRONYMS and not shouting:
                out.append(NameSpan(m.start(group), m.end(group)))
        for pattern in (_LOWER_TITLE, _CAPS_TITLE):
            out += [NameSpan(m.start("value"), m.end("value")) for m in pattern.finditer(text)
                    if m.group("value").lower() not in self.common_non_name]
        for m in _PLURAL_FAMILY.finditer(text):
            stem = m.group("value")[:-1]
            if stem in self.last or m.group("value").lower() not in self.common:
                out.append(NameSpan(m.start("value"), m.end("value")))
        for m in _FAMILY_NAME.finditer(text):
            value = m.group("value")
            if self.surname_like(value) and not self._blocked(value):
                out.append(NameSpan(m.start("value"), m.end("value")))
        return out

    def organisations(self, text: str) -> list[tuple[int, int]]:
        """Spans of capitalised runs ending in an organisation word ("Harmony House")."""
        spans = []
        words = list(_WORD.finditer(text))
        for j, m in enumerate(words):
            if m.group() not in ORG_SUFFIXES:
                continue
            k = j
            while k > 0 and text[words[k - 1].end():words[k].start()] in {" ", " of "} \
                    and words[k - 1].group()[:1].isupper():
                k -= 1
            if k < j:
                spans.append((words[k].start(), m.end()))
        return spans
