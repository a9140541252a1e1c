"""'Who is the head of X?' is not answered by the head of another body (issue 13)."""

from __future__ import annotations

import pytest

from knowledge.answering.roles import other_body_role

EXECUTIVE_DOC = """# Northshire Safeguarding Children Partnership: Executive

## Members

The Northshire Family Help Service works with families whose children have complex needs.

The Executive includes the Head of Wyvern Bay Academy, Sam Okoro, elected by heads.
"""


@pytest.mark.parametrize(("question", "quote", "conflict"), [
    ("who is the head of the Northshire Family Help Service?",
     "Schools are represented by the Head of Wyvern Bay Academy, Sam Okoro.", True),
    ("who is the head of the Northshire Family Help Service?",
     "The Head of Family Help, Jo Bloggs, leads the service.", False),
    ("who is the head of the Family Help Service?",
     "Jo Bloggs is Head of Service and runs the Family Help Service.", False),
    ("who is the head of the Family Help Service?", "Jo Bloggs leads it.", False),
    ("who chairs the board?", "The Head of Wyvern Bay Academy chairs it.", False),
])
def test_other_body_role(question, quote, conflict):
    assert other_body_role(question, quote) is conflict


def test_the_head_of_another_body_is_not_quoted(kb_with):
    kb = kb_with({"executive.md": EXECUTIVE_DOC})
    assert kb.ask("who is the head of the Northshire Family Help Service?").abstained
