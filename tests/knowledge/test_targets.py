"""A figure only aimed for does not answer a question about what happened (issue 13)."""

from __future__ import annotations

import pytest

from knowledge.answering.details import AskedDetails
from knowledge.answering.targets import aimed_only

STRATEGY_DOC = """# Northshire Safeguarding Children Partnership: Neglect Strategy

## Measuring success

Success will be measured by a survey, with a target that 80 per cent of parents understand.
"""


@pytest.mark.parametrize(("question", "quote", "aimed"), [
    ("how many practitioners did the course last year?",
     "The partnership will train 900 practitioners a year in the tool.", True),
    ("what % of parents said they understood the plan?",
     "There is a target that 80 per cent of parents say they understood.", True),
    ("what % of parents said they understood the plan?",
     "80 per cent of parents said they understood their child protection plan.", False),
    ("how many children are on a plan?", "Children on a plan: 437.", False),
    ("how many practitioners did the course last year?",
     "640 practitioners completed the course, against a target of 900.", False),
    ("how many practitioners will be trained each year?",
     "The partnership will train 900 practitioners a year.", False),  # asks the plan
    ("how much was the underspend?",
     "The underspend of £16,650 will be carried forward into 2025-26.", False),
    ("how many reviews were held?", "Reviews will be published in 2025.", False),
])
def test_aimed_only(question, quote, aimed):
    assert aimed_only(question, quote) is aimed


def test_only_figure_questions_are_checked():
    quote = "The partnership will train 900 practitioners a year."
    assert AskedDetails.of("how many practitioners did the course?").contradicted_by(quote)
    assert not AskedDetails.of("who runs the course?").contradicted_by(quote)


def test_a_target_is_not_quoted_as_a_survey_result(kb_with):
    kb = kb_with({"strategy.md": STRATEGY_DOC})
    answer = kb.ask("in last year's Northshire family survey what % of parents understood the "
                    "plan?")
    assert "target" not in answer.answer
