"""Abstentions through the real CLI (`sgbot ask`), sample corpus, fake embedder.

SGBOT_MIN_CONFIDENCE=1 makes every question abstain, so these tests pin what an abstention
shows (who to ask; passages only when they are about the question), not when it happens."""

from __future__ import annotations

import pytest

from bot.cli import main
from knowledge.answering.abstention import (
    MIN_SUBJECT_COVERAGE,
    USEFUL_HEADING,
    abstention_message,
    subject_coverage,
    useful_citations,
)
from knowledge.types import Citation

HELP = "the WSCP business unit (wscp@example.org)"


@pytest.fixture
def ask(sample_kb, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SGBOT_DATA_DIR", str(sample_kb.settings.data_dir))
    monkeypatch.setenv("SGBOT_EMBED_BACKEND", "fake")
    monkeypatch.setenv("SGBOT_MIN_CONFIDENCE", "1")
    monkeypatch.setenv("SGBOT_HELP_CONTACT", HELP)
    monkeypatch.setenv("COLUMNS", "200")  # one line per sentence in rich's panel
    monkeypatch.chdir(tmp_path)

    def run(question: str) -> str:
        code = main(["--env-file", str(tmp_path / "none.env"), "ask", question])
        out, _err = capsys.readouterr()
        assert code == 0
        return out

    return run


@pytest.mark.parametrize("question", ["What is the capital of France?",
                                      "how do I bake sourdough bread?"])
def test_off_topic_abstention_lists_no_passages(ask, question):
    out = ask(question)
    assert "Not found" in out and HELP in out
    assert USEFUL_HEADING not in out and "[1]" not in out


def test_on_topic_abstention_offers_passages_about_the_subject(ask):
    out = ask("What is the annual budget of the Safeguarding Practice Review Group?")
    assert HELP in out and USEFUL_HEADING in out
    assert "Safeguarding Practice Review Group" in out.split(USEFUL_HEADING)[1]


def _citation(text: str, section: str = "") -> Citation:
    return Citation(title="WSCP plan", source="plan.pdf", text=text, score=1.0, section=section)


def test_a_missing_name_outweighs_shared_common_words():
    doc_freq = {"capital": 10, "wyvernshire": 40, "france": 0}
    text = "Capital funding for the Wyvernshire hub was agreed."
    assert subject_coverage("What is the capital of France?", text, doc_freq, 50) < \
        MIN_SUBJECT_COVERAGE
    assert subject_coverage("What is the capital of Wyvernshire?", text, doc_freq, 50) == 1.0


def test_a_missing_detail_does_not_hide_the_subject():
    doc_freq = {"salary": 0, "scrutineer": 3, "independent": 8}
    kept = useful_citations("What is the salary of the independent scrutineer?",
                            [_citation("The independent scrutineer reports each year."),
                             _citation("Training is free to all partner agencies.")],
                            doc_freq, 50)
    assert [c.text for c in kept] == ["The independent scrutineer reports each year."]


def test_a_word_only_in_the_title_counts_half():
    doc_freq = {"tidewater": 3, "panel": 3}
    coverage = subject_coverage("Who is on the Tidewater panel?", "Members are listed below.",
                                doc_freq, 50, context="Tidewater Panel terms of reference")
    assert coverage == pytest.approx(0.5)


def test_acronym_in_the_question_matches_its_expansion():
    doc_freq = {"trp": 2, "meet": 20}
    synonyms = {"TRP": ["Tidewater Review Panel"]}
    text = "The Tidewater Review Panel meets monthly."
    assert subject_coverage("When does the TRP meet?", text, doc_freq, 50,
                            synonyms=synonyms) == 1.0


def test_message_always_names_who_to_ask():
    assert HELP in abstention_message(HELP, useful=False)
    assert HELP in abstention_message(HELP, useful=True)
    assert "may help" in abstention_message(HELP, useful=True)
