"""Numbered items in a question ("level 3", "stage three", "tier 2") and whether a sentence is
about the same item.

Threshold guidance, escalation policies and plans are built of numbered levels, stages and
steps whose sentences read alike ("Level 2 ..." / "Level 3 ..."); the number is the one thing
telling them apart, and single digits are too short to be search terms. A sentence about
"stage 2" does not answer a question about "stage three".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Nouns that label a numbered part of a scheme, plan or document.
LABEL_NOUNS = ("level", "stage", "tier", "step", "phase", "part", "section", "priority",
               "appendix", "chapter", "category", "option", "year", "principle",
               "recommendation", "standard", "domain", "area", "box", "segment", "quadrant")
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_ITEM = re.compile(
    r"\b(" + "|".join(LABEL_NOUNS) + r")s?\s+(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\b"
    r"(?![.,:]?\d)", re.I)


@dataclass(frozen=True)
class NumberedItem:
    noun: str
    number: int


def numbered_items(text: str) -> frozenset[NumberedItem]:
    """Every "<label noun> <number>" in the text, number words as digits."""
    found = set()
    for noun, number in _ITEM.findall(text):
        value = _NUMBER_WORDS.get(number.lower())
        found.add(NumberedItem(noun.lower(), value if value is not None else int(number)))
    return frozenset(found)


def item_conflict(asked: frozenset[NumberedItem], sentence: str) -> bool:
    """The sentence names an asked label noun only with other numbers: it is about a different
    level or stage than the one asked about."""
    if not asked:
        return False
    own = numbered_items(sentence)
    nouns = {item.noun for item in asked}
    return bool({item for item in own if item.noun in nouns} - asked) and not (asked & own)
