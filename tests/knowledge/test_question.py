import pytest

from knowledge.answering.question import QuestionShape, has_new_name


def test_shapes():
    assert "phone" in QuestionShape.of("What number do I call out of hours?").wants
    assert "number" in QuestionShape.of("How many courses ran?").wants
    assert "time" in QuestionShape.of("How often does the board meet?").wants
    assert "person" in QuestionShape.of("Who chairs the SPRG?").wants
    assert QuestionShape.of("Describe the partnership").wants == frozenset()


def test_answer_types_satisfy_words_and_flag_mismatches():
    shape = QuestionShape.of("What number do I call out of hours?")
    assert "number" in shape.satisfied_words("Ring the duty team on 01632 960777.")
    assert shape.mismatch("Ring the duty team.", "What number do I call?")
    assert not shape.mismatch("Ring 01632 960777.", "What number do I call?")
    counting = QuestionShape.of("How many courses ran?")
    assert counting.mismatch("Courses ran all year.", "How many courses ran?")


def test_new_names_ignore_the_question_own_words():
    assert has_new_name("The SPRG is chaired by Alan Brereton.", "Who chairs the SPRG?")
    assert not has_new_name("The Independent Scrutineer will attend.",
                            "Who is the Independent Scrutineer?")


def test_every_gives_a_frequency_only_before_a_span_of_time():
    shape = QuestionShape.of("how often does the case review group meet?")
    question = "how often does the case review group meet?"
    assert shape.mismatch("The group will receive every serious incident notification.", question)
    assert shape.mismatch("Guidance sets outcomes for each level of training.", question)
    assert not shape.mismatch("The group meets every six weeks.", question)
    assert not shape.mismatch("It meets each term and every other Tuesday.", question)
    assert not shape.mismatch("It meets monthly.", question)


def test_a_count_in_a_year_is_not_how_often():
    """Issue 13: '64 in 2023-24' is a count for a year, not a share answering 'how often'."""
    question = "how often does the escalation panel meet?"
    shape = QuestionShape.of(question)
    assert shape.mismatch("87 escalations were recorded, compared with 64 in 2023-24.", question)
    assert not shape.mismatch("Practitioners had escalated in 9 of the 24 cases.", question)


@pytest.mark.parametrize(("question", "wants"), [
    ("What % of Northshire plans were for neglect?", {"number"}),
    ("What is a TAF and when does it need to happen?", {"time"}),
    ("What should I do when a child in Northshire discloses abuse?", set()),
])
def test_a_share_sign_or_a_second_when_clause_sets_the_answer_kind(question, wants):
    assert set(QuestionShape.of(question).wants) == wants
