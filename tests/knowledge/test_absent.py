"""What the question pins down and the whole passage never mentions (issue 13): no such period
anywhere under the sentence rejects it; the share of absent named words is a ranker input."""

from __future__ import annotations

import pytest

from knowledge.answering.absent import AskedSpecifics
from knowledge.answering.verify import term_set

REPORT_DOC = """# Northshire Safeguarding Children Partnership Annual Report 2024-25

## Rapid reviews

The partnership completed 4 rapid reviews, one of which was late.

## Training

The training subgroup delivered 45 multi-agency courses.
"""


@pytest.mark.parametrize(("question", "text", "year", "absent"), [
    ("how many reviews in 2022-23?", "Annual Report 2024-25. 4 rapid reviews.", None, True),
    ("how many reviews in 2024-25?", "Annual Report 2024-25. 4 rapid reviews.", None, False),
    ("how many reviews in 2024-25?", "4 rapid reviews were completed.", "2024/25", False),
    # a lone document year is a publication date, not the period of the figures
    ("how many reviews in 2022-23?", "4 rapid reviews were completed.", "2023", True),
    ("how many plans at 31 March 2023?", "At 31 March 2023, 401 plans.", None, False),
    ("how many reviews were held?", "4 rapid reviews were completed.", None, False),
])
def test_period_absent_from_everything_under_the_sentence(question, text, year, absent):
    assert AskedSpecifics.of(question, {}).period_absent(text, year) is absent


def test_named_words_absent_from_the_passage():
    specifics = AskedSpecifics.of("when was the Child Theo review published in Harnley?", {})
    text = "The Child Mia review was published in May."
    assert specifics.names_absent(text, term_set(text)) == pytest.approx(2 / 3)  # Theo, Harnley
    text = "The Child Theo review was published in Harnley in May."
    assert specifics.names_absent(text, term_set(text)) == 0.0


def test_sentence_openers_and_acronym_expansions_are_not_missing_names():
    specifics = AskedSpecifics.of("I saw a bruise. Mum says he rolled. Who chairs the MET panel?",
                                  {"MET": ["Missing and Exploited Team"]})
    assert len(specifics.names) == 1  # "Mum" opens a sentence; "Who" too
    text = "The Missing and Exploited Team panel is chaired by the police."
    assert specifics.names_absent(text, term_set(text)) == 0.0
    assert AskedSpecifics.of("who chairs the board?", {}).names_absent("x", frozenset()) == 0.0


def test_a_year_the_passage_never_names_is_not_answered(kb_with):
    kb = kb_with({"report.md": REPORT_DOC})
    answer = kb.ask("how many rapid reviews did the partnership complete in 2022-23?")
    assert answer.abstained  # the report is for 2024-25: its "4 rapid reviews" is that year's
    answer = kb.ask("how many rapid reviews did the partnership complete in 2024-25?")
    assert answer.abstained or "4 rapid reviews" in answer.answer


def test_one_letter_case_pseudonyms_count_as_named():
    specifics = AskedSpecifics.of("which GP was Child T registered with?", {})
    assert specifics.cases == frozenset({"t"})
    text = "Child K was registered with a GP in another town."
    assert specifics.names_absent(text, term_set(text)) == pytest.approx(1 / 3)  # not "T"


def test_title_case_and_capitals_name_nothing():
    for question in ("WHO CHAIRS THE SAFEGUARDING BOARD?", "Who Chairs The Safeguarding Board?"):
        assert AskedSpecifics.of(question, {}).names == ()
    assert len(AskedSpecifics.of("who chairs the Northshire board?", {}).names) == 1
