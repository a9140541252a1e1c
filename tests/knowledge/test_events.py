"""'When was X published?' is answered by the publication date, not X's other dates (issue 13)."""

from __future__ import annotations

import pytest

from knowledge.answering.events import asked_event, other_event

REVIEW_DOC = """# Northshire Safeguarding Children Partnership: Review of Child Z

## Summary

Pseudonym: Child Z; Date of incident: 9 January 2025; Rapid review meeting: 24 January 2025.
"""


@pytest.mark.parametrize(("question", "event"), [
    ("when was the Child Z review published?", "publish"),
    ("When was Jo Bloggs appointed as chair?", "appoint"),
    ("when was the hub set up", "establish"),
    ("when does the group meet?", ""),  # a routine, not an event
    ("when did the review take place?", ""),
])
def test_asked_events(question, event):
    found = asked_event(question)
    assert (found[0] if found else "") == event


@pytest.mark.parametrize(("question", "quote", "conflict"), [
    ("when was the review published?", "Date of incident: 9 January 2025.", True),
    ("when was the review published?", "The report was published in May 2025.", False),
    ("when was the review published?", "Publication date: May 2025.", False),
    ("when was the hub set up?", "The hub was launched in 2019.", False),
    ("when was the policy last updated?", "It was revised in March 2024.", False),
    ("when did the panel meet?", "The panel met on 3 May.", False),
])
def test_other_event(question, quote, conflict):
    assert other_event(question, quote) is conflict


def test_other_dates_do_not_answer_a_publication_question(kb_with):
    kb = kb_with({"review.md": REVIEW_DOC})
    assert kb.ask("when was the Northshire review of Child Z published?").abstained
