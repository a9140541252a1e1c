"""Open questions whose answers have a telltale wording (a reason, a consequence, a step)."""

from __future__ import annotations

import pytest

from knowledge.answering.cues import asked_cue


@pytest.mark.parametrize(("question", "answer", "cued"), [
    ("Why did Northshire hold a practice review?", "The reasons were that records were lost.",
     True),
    ("Why did Northshire hold a practice review?", "Northshire held a practice review.", False),
    ("What happens if a place on a Northshire course is not used?",
     "The agency will be charged for the place.", True),
    ("How do I raise a concern in Northshire?", "Practitioners should contact the hub.", True),
])
def test_the_cue_of_an_open_question(question, answer, cued):
    assert bool(asked_cue(question).search(answer)) is cued


def test_other_questions_have_no_cue():
    assert asked_cue("Who chairs the Northshire partnership?") is None
