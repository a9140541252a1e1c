"""Follow-ups read against the previous question and the answer it got (invented WSCP turns)."""

from __future__ import annotations

import pytest

from knowledge.answering.follow_up import follow_up_query, is_follow_up, names_in
from knowledge.kb import follow_up_query as kb_follow_up_query

CHAIR_Q = "Who chairs the Wyvernshire Tidewater Review Panel?"
CHAIR_A = "The Tidewater Review Panel is chaired by Dr Imogen Parfitt, Designated Nurse."
PHONE_Q = "What number do I call out of hours?"


@pytest.mark.parametrize(("follow_up", "previous", "answer", "expected"), [
    ("and during office hours?", PHONE_Q, None, "What number do I call during office hours?"),
    ("what about out of hours", "What number do I call during office hours?", None,
     "What number do I call out of hours?"),
    ("who chairs it?", "What is the TRP?", None, "Who chairs the TRP?"),
    ("how often do they meet", CHAIR_Q, CHAIR_A,
     "How often do the Wyvernshire Tidewater Review Panel meet"),
    # the question only described the body: the answer names it
    ("how often do they meet", "Who chairs the panel that reviews serious cases?", CHAIR_A,
     "How often do the Tidewater Review Panel meet"),
    # a person: someone the answer named, not the question's subject
    ("how do I contact her?", CHAIR_Q, CHAIR_A, "How do I contact Dr Imogen Parfitt?"),
    ("what is her role?", CHAIR_Q, CHAIR_A, "What is Dr Imogen Parfitt's role?"),
    ("what about the LSCG?", "Who chairs the TRP?", None, "Who chairs the LSCG?"),
])
def test_follow_ups_become_standalone_questions(follow_up, previous, answer, expected):
    assert follow_up_query(follow_up, previous, answer) == expected


def test_questions_that_stand_alone_are_unchanged():
    assert follow_up_query("Who funds the partnership executive board?", CHAIR_Q) == \
        "Who funds the partnership executive board?"
    assert follow_up_query("who funds it?", None) == "who funds it?"
    long = "And what does the threshold guidance say about early help for families with babies?"
    assert not is_follow_up(long) and follow_up_query(long, CHAIR_Q) == long


def test_unresolvable_follow_up_keeps_the_previous_question_as_context():
    assert follow_up_query("is that the same at weekends?", "What number do I call?") == \
        "What number do I call; is that the same at weekends?"


def test_old_two_argument_callers_still_work():
    assert kb_follow_up_query("who chairs it?", "What is the TRP?") == "Who chairs the TRP?"


def test_names_skip_question_words_and_split_at_prepositions():
    assert names_in("Who chairs the Tidewater Review Panel in Wyvernshire?") == \
        ["Tidewater Review Panel", "Wyvernshire"]


def test_ask_reads_the_follow_up_against_the_previous_answer(sample_kb):
    answer = sample_kb.ask("how often do they meet?",
                           previous="Who chairs the group that does rapid reviews?",
                           previous_answer="The Safeguarding Practice Review Group is chaired "
                                           "by the police.")
    assert answer.question == "how often do they meet?"  # the user's words, not the query
    joined = " ".join(c.section or "" for c in answer.citations)
    assert "Safeguarding Practice Review Group" in joined
