"""Make a chosen sentence stand alone: the list it introduces, what its pronoun refers to, and
the next sentence when that is where the asked-for detail sits.

The quote is still verbatim: only whole neighbouring sentences of the same passage are added.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.answering.question import QuestionShape
from knowledge.text import split_sentences

PRONOUN_START = re.compile(r"^((Collectively|Together|Additionally|Also|However|In addition|"
                           r"As such|Currently|Now),?\s+)?(this|it|they|these|those|he|she|its|"
                           r"their|such)\b", re.I)

#: A list intro quotes at most this many items: longer lists are cut by max_chars anyway.
MAX_LIST_ITEMS = 12
#: A sentence shorter than this (characters) is a fragment ("Chair:") and takes the next one.
FRAGMENT_CHARS = 60


@dataclass(frozen=True)
class Unit:
    """A sentence (or list line) inside a passage, addressable for neighbours."""

    passage_index: int
    line: int
    order: int
    text: str


def passage_units(text: str, passage_index: int = 0) -> list[Unit]:
    units: list[Unit] = []
    for line_no, line in enumerate(text.split("\n")):
        for sentence in split_sentences(line):
            units.append(Unit(passage_index, line_no, len(units), sentence))
    return units


def evidence_text(units: Sequence[Unit], position: int) -> str:
    """A sentence as scored: one opening with a pronoun ("It meets every six weeks") is read
    with the sentence before it, which holds what the pronoun refers to."""
    unit = units[position]
    if position > 0 and PRONOUN_START.match(unit.text):
        return f"{units[position - 1].text} {unit.text}"
    return unit.text


def introduces_list(text: str) -> bool:
    return text.rstrip().endswith(":")


_BULLET = re.compile(r"^\s*([•▪◦●\-–*]|\(?\d+[.)]|\(?[a-z][.)])\s")


def _item_shape(text: str) -> tuple[bool, bool]:
    """(starts with a bullet or number, ends with a full stop): list items share it."""
    stripped = text.rstrip()
    return bool(_BULLET.match(text)), stripped.endswith((".", ";")) and not stripped.endswith("..")


def _leans_back(text: str) -> bool:
    """A sentence that cannot be quoted alone ("This is due within ten days.", "Within a
    week."); one that can is its own candidate, and adding it to the sentence before would only
    quote the same answer again behind a preamble."""
    return bool(PRONOUN_START.match(text)) or len(text) < FRAGMENT_CHARS


def compose(units: Sequence[Unit], best: Unit, shape: QuestionShape, question: str,
            max_chars: int) -> str:
    """The best sentence plus what it needs: the list after a colon, the antecedent of a
    leading pronoun, a fragment's continuation, or the next sentence when only it holds the
    kind of answer asked for (the timescale after "Agencies send a chronology.")."""
    by_order = {u.order: u for u in units}
    chosen = [best]
    if PRONOUN_START.match(best.text) and best.order - 1 in by_order:
        chosen.insert(0, by_order[best.order - 1])
    size = sum(len(u.text) + 1 for u in chosen)
    following = best.order + 1
    if introduces_list(best.text):
        limit = MAX_LIST_ITEMS
    elif len(best.text) < FRAGMENT_CHARS:
        limit = 1
    elif (following in by_order and shape.mismatch(best.text, question)
          and not shape.mismatch(by_order[following].text, question)
          and _leans_back(by_order[following].text)):
        limit = 1
    else:
        limit = 0
    added = 0
    first_item: Unit | None = None
    while added < limit and following in by_order:
        nxt = by_order[following]
        if size + len(nxt.text) > max_chars:
            break
        if introduces_list(best.text):
            if first_item is None:
                first_item = nxt
            elif _item_shape(nxt.text) != _item_shape(first_item.text):
                break  # the list ended: the next line reads differently from its items
        chosen.append(nxt)
        size += len(nxt.text) + 1
        following += 1
        added += 1
        if not introduces_list(best.text) and size >= FRAGMENT_CHARS:
            break
    lines: list[str] = []
    last_line = None
    for unit in chosen:
        if last_line is not None and unit.line == last_line:
            lines[-1] += " " + unit.text
        else:
            lines.append(unit.text)
        last_line = unit.line
    return "\n".join(lines)
