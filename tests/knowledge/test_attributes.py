"""A question asking for an email, a fax or a deputy gets it or nothing (issue 13)."""

from __future__ import annotations

import pytest

from knowledge.answering.attributes import missing_asked_detail

CONTACTS_DOC = """# Northshire Safeguarding Children Partnership: Contacts

## Front door

Ring the Northshire Children's Front Door on 01632 960710 if you are worried about a child.

## Case Review Group

The Case Review Group is chaired by the Head of Safeguarding, Northshire Council.
"""


@pytest.mark.parametrize(("question", "sentence", "missing"), [
    ("what's the email for the front door?", "Ring the front door on 01632 960710.", True),
    ("what's the email for the front door?", "Write to frontdoor@example.org.", False),
    ("front door email address", "Email frontdoor@example.org or ring 01632 960710.", False),
    ("what is the fax number for the front door?", "Ring the front door on 01632 960710.", True),
    ("who is the vice chair of the group?", "The group is chaired by Jo Bloggs.", True),
    ("who is the vice chair of the group?", "Its vice chair is Sam Smith.", False),
    ("who chairs the group?", "The group is chaired by Jo Bloggs.", False),
    ("I got an email about a child, who do I ring?", "Ring 01632 960710.", False),
])
def test_asked_details(question, sentence, missing):
    assert missing_asked_detail(question, sentence) is missing


def test_a_phone_number_is_not_quoted_for_an_email_question(kb_with):
    kb = kb_with({"contacts.md": CONTACTS_DOC})
    assert kb.ask("what's the email for the Northshire front door?").abstained
    assert kb.ask("who is the vice chair of the Northshire case review group?").abstained
