"""What a question pins down beyond its topic, checked against a quote before it is sent.

Sentences that answer a neighbouring question read almost the same as the right one: the
stage 2 timescale for a stage 3 question, last year's figure, the office-hours line at the
weekend, the phone number when the email was asked for, another review's child, the incident
date when the publication date was asked for, the head of another body, a target for a result,
another partner's contribution. Each check lives in its own module; this gathers them so the
answerer asks one question of each candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.answering.agencies import other_agency
from knowledge.answering.attributes import missing_asked_detail
from knowledge.answering.cases import other_case
from knowledge.answering.events import other_event
from knowledge.answering.numbered import NumberedItem, item_conflict, numbered_items
from knowledge.answering.out_of_hours import asks_out_of_hours, office_hours_only
from knowledge.answering.periods import period_conflict
from knowledge.answering.roles import other_body_role
from knowledge.answering.targets import aimed_only

__all__ = ["AskedDetails"]

#: Questions asking for a figure, whose answer may be a target instead of a result.
_FIGURE_Q = re.compile(r"\b(how many|how much|number of|what (%|per ?cent|percentage|"
                       r"proportion|share))|%", re.I)


@dataclass(frozen=True)
class AskedDetails:
    question: str
    items: frozenset[NumberedItem]
    out_of_hours: bool
    figure: bool = False  # asks how many, how much or what share

    @classmethod
    def of(cls, question: str) -> AskedDetails:
        return cls(question, numbered_items(question), asks_out_of_hours(question),
                   bool(_FIGURE_Q.search(question)))

    def contradicted_by(self, quote: str) -> bool:
        """The quote is about another stage or period, gives office hours to an out-of-hours
        question, lacks the contact detail or deputy asked for, is about another case, names
        no such event as the when-question asks about, gives the role of another body, or
        gives a target for a figure asked of what happened, or another partner's money."""
        return (item_conflict(self.items, quote)
                or (self.out_of_hours and office_hours_only(quote))
                or period_conflict(self.question, quote)
                or missing_asked_detail(self.question, quote)
                or other_case(self.question, quote)
                or other_event(self.question, quote)
                or other_body_role(self.question, quote)
                or (self.figure and aimed_only(self.question, quote))
                or other_agency(self.question, quote))
