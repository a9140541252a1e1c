"""The fitted answer model with the real embedding model on three small fictional partnerships.

Near-miss groups, a list introduced by a colon, a pronoun sentence, a timescale in the next
sentence and a question about a partnership no document mentions.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DOCS = {
    "fenbridge-arrangements.md": """---
title: Fenbridge Safeguarding Arrangements 2025
partnership: Fenbridge Safeguarding Children Partnership
doc_type: masa_plan
year: 2025
---

# Fenbridge Safeguarding Arrangements 2025

## Representative groups

The education representative group is chaired by Marta Kowalczyk, head teacher of Fenbridge
Academy. The health representative group is chaired by Dr Osagie Bello, the designated doctor.
Both groups report to the Fenbridge executive.

## Priorities

The partnership has agreed three priorities for 2025 to 2027:

- Neglect and its impact on younger children
- Exploitation outside the home
- Listening to the voice of the child

Progress on each priority is reported to the executive in an annual report.
""",
    "marshcombe-plan.md": """---
title: Marshcombe Multi-Agency Safeguarding Plan
partnership: Marshcombe Safeguarding Children Partnership
doc_type: masa_plan
year: 2025
---

# Marshcombe Multi-Agency Safeguarding Plan

## Governance

The Marshcombe Executive holds the three statutory partners to account for the arrangements.
It meets every eight weeks and publishes its minutes on the partnership website.

## Rapid reviews

When a serious incident is notified, partner agencies are asked for a summary of their
involvement with the family. This summary must be returned within five working days of the
request.
""",
    "oakvale-front-door.md": """---
title: Oakvale Front Door Guidance
partnership: Oakvale Safeguarding Children Partnership
doc_type: threshold_guidance
year: 2025
---

# Oakvale Front Door Guidance

## Contact

In office hours, call the Oakvale Front Door on 01632 960450. Out of hours, at weekends and on
bank holidays, call the Oakvale Emergency Duty Team on 01632 960451.
""",
}


@pytest.fixture(scope="module")
def real_kb(tmp_path_factory):
    from ingest.pipeline import Ingester
    from knowledge.kb import KnowledgeBase
    from knowledge.settings import Settings

    root = tmp_path_factory.mktemp("partnerships")
    docs = root / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    settings = Settings.from_env({}, env_file=None).with_overrides(data_dir=root / "data")
    kb = KnowledgeBase(settings)
    report = Ingester(kb).ingest([docs])
    assert not report.failed
    return kb


def test_the_near_miss_group_is_not_quoted(real_kb):
    answer = real_kb.ask("Who chairs the Fenbridge health representative group?")
    assert not answer.abstained
    assert "Osagie Bello" in answer.answer and "Kowalczyk" not in answer.answer


def test_a_list_is_quoted_with_its_items(real_kb):
    answer = real_kb.ask("What are the Fenbridge partnership's priorities?")
    assert not answer.abstained
    assert not answer.answer.rstrip().endswith(":")
    assert "Exploitation outside the home" in answer.answer


def test_a_pronoun_sentence_brings_its_antecedent(real_kb):
    answer = real_kb.ask("How often does the Marshcombe Executive meet?")
    assert "every eight weeks" in answer.answer and "Marshcombe Executive" in answer.answer


def test_the_timescale_in_the_next_sentence_is_quoted(real_kb):
    answer = real_kb.ask("How long do Marshcombe agencies have to return their summary for a "
                         "rapid review?")
    assert "five working days" in answer.answer


def test_the_out_of_hours_number(real_kb):
    # 'out of hours' and 'in office hours' differ only in stopwords; the office-hours sentence
    # is not an answer to an out-of-hours question (knowledge/answering/out_of_hours.py)
    answer = real_kb.ask("What number do I ring for Oakvale out of hours?")
    assert "01632 960451" in answer.answer


def test_a_question_about_a_partnership_no_document_mentions_is_abstained(real_kb):
    answer = real_kb.ask("Who chairs the Quarrington safeguarding children partnership?")
    assert answer.abstained and answer.answer == ""
    assert 0.0 <= answer.confidence <= 1.0


@pytest.mark.parametrize("question", [
    "What is the best recipe for banana bread?",
    "Who won the football league in 2023?",
    "How do I reset my email password?",
    "Which team won the county cricket championship in 2024?",
])
def test_off_topic_questions_are_abstained(real_kb, question):
    """Nothing here is about these; quotes far from them in meaning are not answers, however
    well a date or a word matches (the embedder's topic floor)."""
    answer = real_kb.ask(question)
    assert answer.abstained and answer.answer == ""
    assert answer.confidence < real_kb.answerer.min_confidence  # never shown as confident
