"""A target is not a result: "how many did the training?" is not answered by "train 900 a year".

Strategies and annual reports set what the partnership aims for beside what it achieved
("with a target that 70 per cent of parents say..."; "640 practitioners completed the
course"); the sentences share every word but the tense. A question asking for a figure, and
not for an aim or a plan, is not answered by a figure that is only aimed for.
"""

from __future__ import annotations

import re

#: Questions about aims or plans, or in the future: a target answers these.
#: ("plan" alone is a child protection plan, not an intention.)
_ASKS_AIM = re.compile(r"\b(targets?|aims?|aiming|goals?|ambitions?|plans? to|planned|planning|"
                       r"intends?|expected|expects?|will|going to|want|wants|should|must|"
                       r"hope|hopes|next year|by 20\d\d)\b", re.I)
#: A figure introduced as an aim: "a target that 70 per cent", "aims to train 900", "will train
#: 900 practitioners a year", "our ambition is for 95%" (a year is not the figure).
_AIMED_FIGURE = re.compile(r"\b(targets?|aims?|aiming|ambitions?|goals?|will|intends?|plans? to)\b"
                           r"[^.;:\d]{0,160}(?!(?:19|20)\d\d\b)\d", re.I)
#: A figure that is not a year.
_FIGURE = re.compile(r"(?<!\d)(?!(?:19|20)\d\d\b)\d")
#: Words saying a figure was reached: the sentence reports a result after all.
_RESULT = re.compile(r"\b(achieved|met|exceeded|reached|against|compared|actual|so far|rose|"
                     r"fell|increased|decreased|up from|down from)\b", re.I)


def aimed_only(question: str, quote: str) -> bool:
    """A question about what happened, answered with a figure that is only aimed for."""
    if _ASKS_AIM.search(question):
        return False
    aimed = _AIMED_FIGURE.search(quote)
    # "The underspend of £16,650 will be carried forward": the figure came before the plan
    return (bool(aimed) and not _FIGURE.search(quote[: aimed.start()])
            and not _RESULT.search(quote))
