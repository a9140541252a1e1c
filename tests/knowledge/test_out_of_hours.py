"""Out-of-hours questions get the out-of-hours route, never the office-hours line (issue 13)."""

from __future__ import annotations

import pytest

from knowledge.answering.out_of_hours import asks_out_of_hours, office_hours_only

CONTACTS_DOC = """# Northshire Safeguarding Children Partnership: Contacts

## Worried about a child

If you are worried about a child in Northshire, ring the Northshire Children's Front Door on
01632 960710, Monday to Friday 9am to 5pm.

Outside office hours, ring the Northshire Emergency Duty Team on 01632 960711.
"""


@pytest.mark.parametrize("question", [
    "who do i ring at the weekend if i'm worried about a kid", "out of hours number?",
    "it's 10pm and I'm worried about a child, who do I call?",
    "who do I contact on a bank holiday", "what if the office is closed"])
def test_out_of_hours_questions_are_recognised(question):
    assert asks_out_of_hours(question)


@pytest.mark.parametrize("question", ["what number do I ring?", "who chairs the executive?",
                                      "how many children did the clinic see?"])
def test_other_questions_are_not(question):
    assert not asks_out_of_hours(question)


def test_office_hours_sentences_are_told_apart():
    assert office_hours_only("Ring the Front Door on 01632 960710, Monday to Friday 9am to 5pm.")
    assert office_hours_only("In office hours, call the Front Door on 01632 960710.")
    assert not office_hours_only("Outside office hours, ring the Emergency Duty Team.")
    assert not office_hours_only("Ring 01632 960710 (9am to 5pm; evenings and weekends 960711).")
    assert not office_hours_only("The Front Door number is 01632 960710.")


def test_the_weekend_question_gets_the_emergency_duty_team(kb_with):
    kb = kb_with({"contacts.md": CONTACTS_DOC})
    answer = kb.ask("who do I ring in Northshire at the weekend if I'm worried about a child?")
    assert "960710" not in answer.answer
    assert answer.abstained or "Emergency Duty Team on 01632 960711" in answer.answer
