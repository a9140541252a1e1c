"""A question about one partner's money is not answered with another partner's (issue 13)."""

from __future__ import annotations

import pytest

from knowledge.answering.agencies import named_agencies, other_agency

BUDGET_DOC = """# Northshire Safeguarding Children Partnership: Budget 2025-26

## Contributions

Partner: Northshire County Council; Share of budget: 55%; Contribution 2025-26: £226,600.
"""


def test_partners_are_read_by_their_usual_names():
    assert named_agencies("Wyvern Bay Constabulary pays 15%") == {"police"}
    assert named_agencies("the ICB and the county council") == {"health", "local authority"}


@pytest.mark.parametrize(("question", "quote", "conflict"), [
    ("how much does the police put into the budget?",
     "Partner: Northshire County Council; Contribution: £226,600.", True),
    ("how much does the police put into the budget?",
     "Partner: Wyvern Bay Constabulary; Contribution: £61,800.", False),
    ("how much does the police put into the budget?",
     "The council gave £294,500, the ICB £176,700 and the police £117,800.", False),
    ("how much does the police put into the budget?", "Training: £96,300.", False),
    ("who chairs the police subgroup?", "The council's director chairs it.", False),  # no money
])
def test_other_agency(question, quote, conflict):
    assert other_agency(question, quote) is conflict


def test_the_councils_share_is_not_quoted_for_the_police(kb_with):
    kb = kb_with({"budget.md": BUDGET_DOC})
    answer = kb.ask("how much does the police contribute to the Northshire budget?")
    assert "Council" not in answer.answer
