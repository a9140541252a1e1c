"""Whether a sentence's figures are for the period a question asks about.

Annual reports set this year's figure beside last year's ("437 plans, up from 401 in 2023-24"),
and plans cover several years; a figure for 2023-24 does not answer a question about 2022-23,
however alike the sentences read. A sentence naming no year is left alone (its heading or the
document may give the period).
"""

from __future__ import annotations

from knowledge.periods import periods


def period_conflict(question: str, sentence: str) -> bool:
    """The question asks about a period and the sentence is about other periods only. Periods
    named for comparison count on neither side: the question compared with last year asks
    about this one, and a sentence compared with last year is about this one."""
    asked = periods(question, references=False)
    if not asked:
        return False
    said = periods(sentence, references=False)
    if not said:
        return False
    # a sentence naming the asked period, even for comparison, holds its figure
    return not any(a.compatible(s) for a in asked for s in periods(sentence))
