"""A question about one case is not answered with a sentence about another (issue 13)."""

from __future__ import annotations

import pytest

from knowledge.answering.cases import case_names, other_case

REVIEWS_DOC = """# Northshire Safeguarding Children Partnership: Practice Reviews

## Reviews this year

Baby Q was eleven weeks old when she was taken to Wyvern Bay Hospital with a broken arm.

The review of Child Z was commissioned by the Northshire safeguarding partners in March 2024.
"""


def test_pseudonyms_are_read_and_titles_are_not():
    assert case_names("CSPR Child N and CSPR Ellis; Baby K's father; Sibling Group K") == {
        "n", "ellis", "k"}
    assert case_names("who commissioned the child T review?") == {"t"}
    assert not case_names("The Child Safeguarding Practice Review Panel, a Child Protection "
                          "plan, the Family Help Service and the Child Death Overview Panel")


@pytest.mark.parametrize(("question", "quote", "conflict"), [
    ("how old was Child T when he was hurt?", "Baby K was nine weeks old when admitted.", True),
    ("who commissioned the Child T CSPR?", "CSPR Child N (commissioned in 2023) was published.",
     True),
    ("how old was Child T when he was hurt?", "Child T was 14 weeks old.", False),
    ("how old was Child T when he was hurt?", "He was 14 weeks old.", False),  # names no case
    ("how old was Child T?", "Unlike Baby K, Child T was 14 weeks old.", False),
    ("how old was the baby?", "Baby K was nine weeks old.", False),  # no case asked
])
def test_other_case(question, quote, conflict):
    assert other_case(question, quote) is conflict


def test_another_reviews_child_is_not_quoted(kb_with):
    kb = kb_with({"reviews.md": REVIEWS_DOC})
    answer = kb.ask("how old was Child Z when he was hurt?")
    assert "Baby Q" not in answer.answer
