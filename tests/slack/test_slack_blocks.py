"""Block Kit rendering stays within Slack's limits, however long the documents are."""

from __future__ import annotations

import json

from bot.slack.blocks import answer_blocks, trim_around
from bot.slack.conversation import clean_text
from knowledge.types import Answer, Citation
from tests.slack.fake_slack import block_limit_problems
from tests.slack.harness import wait_answers

FILLER = "The partnership reviewed its multi-agency arrangements in detail this year. "


def _long_answer(n_citations: int = 60) -> Answer:
    key = "The designated safeguarding lead must be told the same working day."
    passage = FILLER * 60 + key + " " + FILLER * 60
    citations = tuple(
        Citation(title=f"Very long document title number {i} " + "x" * 200, source=f"d{i}.pdf",
                 text=passage, score=0.5, section="Section " + "y" * 300, page=i,
                 url=f"https://example.org/doc/{i}")
        for i in range(n_citations))
    return Answer(question="When must the DSL be told? " * 40, answer=(key + " ") * 200,
                  abstained=False, confidence=0.9, citations=citations, answer_citation=0)


def test_over_long_answer_stays_within_slack_limits():
    answer = _long_answer()
    assert len(answer.answer) > 3000
    text, blocks = answer_blocks(answer, "a" * 32, share=True)
    assert block_limit_problems(blocks) == []
    assert len(blocks) <= 50 and blocks[-1]["type"] == "actions"
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
    # Long quotes are trimmed around the matched sentence, with the cuts marked.
    cited = [b["text"]["text"] for b in blocks if b["type"] == "section"][1]
    assert "designated safeguarding lead must be told" in cited
    assert cited.count("…") >= 2
    assert len(json.loads(blocks[-1]["elements"][2]["value"])["q"]) <= 1500
    assert len(text) <= 300


def test_trim_around_centres_on_the_matching_sentence():
    text = FILLER * 30 + "Strategy discussions happen within one working day. " + FILLER * 30
    trimmed = trim_around(text, "strategy discussions working day", limit=400)
    assert "Strategy discussions happen within one working day." in trimmed
    assert trimmed.startswith("…") and trimmed.endswith("…") and len(trimmed) <= 402
    assert trim_around("short text", "anything") == "short text"


def test_mrkdwn_control_characters_are_escaped():
    citation = Citation(title="Risks <b> & harms", source="x.md", text="Use <script> & co.",
                        score=1.0)
    answer = Answer(question="q", answer="A & B <c>", abstained=False, confidence=1.0,
                    citations=(citation,), answer_citation=0)
    dumped = json.dumps(answer_blocks(answer, "id")[1])
    assert "<script>" not in dumped and "&lt;script&gt;" in dumped and "A &amp; B" in dumped


def test_long_document_answer_posted_to_slack_fits(bot, monkeypatch):
    """End to end through the fake Web API, which rejects oversize blocks as Slack does."""
    monkeypatch.setattr(bot.kb._kb, "ask", lambda question, **kw: _long_answer())
    bot.mention("When must the DSL be told?", ts="1700002000.000100")
    post = wait_answers(bot.fake, channel="C0GENERAL")[0]
    assert block_limit_problems(post.params["blocks"]) == []


def test_clean_text_strips_slack_markup():
    assert clean_text("<@U123> who chairs <https://x.org|the board> &amp; why?") == \
        "who chairs the board & why?"
