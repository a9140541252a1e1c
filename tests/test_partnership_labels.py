"""Answers drawing on several partnerships say whose each passage is, on Slack and Teams alike."""

from __future__ import annotations

import json

from bot.slack.blocks import answer_blocks
from bot.teams.cards import answer_card
from knowledge.types import Answer, Citation

NORTH = "Northshire Safeguarding Children Partnership"
SOUTH = "Southmoor Safeguarding Children Partnership"


def _answer(partnership: str | None = None) -> Answer:
    citations = (
        Citation("Northshire MASA plan", "n.pdf", "Rapid reviews finish within 15 working days.",
                 0.9, "Reviews", 4, partnership=NORTH),
        Citation("Southmoor escalation policy", "s.pdf", "Rapid reviews end within 10 days.",
                 0.8, "Escalation", 2, partnership=SOUTH),
    )
    return Answer("how long is a rapid review?", "Rapid reviews finish within 15 working days.",
                  False, 0.8, citations, answer_citation=0, partnership=partnership)


def test_mixed_partnerships_are_labelled_on_every_citation():
    answer = _answer()
    assert answer.partnership_label(answer.citations[0]) == "Northshire SCP"
    slack = json.dumps(answer_blocks(answer, "a1")[1])
    teams = json.dumps(answer_card(answer, "a1"))
    for shown in (slack, teams):
        assert "Northshire SCP" in shown and "Southmoor SCP" in shown
        assert "different partnerships" in shown


def test_a_named_partnership_needs_no_label_on_each_line():
    answer = _answer(partnership=NORTH)
    assert answer.partnership_label(answer.citations[1]) is None
    slack = json.dumps(answer_blocks(answer, "a1")[1])
    teams = json.dumps(answer_card(answer, "a1"))
    for shown in (slack, teams):
        assert "From Northshire SCP's documents." in shown
        assert "Southmoor SCP" not in shown
