"""Two indexes of the same documents, built in a different order (all at once, or one file at a
time backwards, as an index grows), give every question the same passages and the same answer."""

from __future__ import annotations

import json

from ingest.pipeline import Ingester
from knowledge.kb import KnowledgeBase
from tests.conftest import REPO, SAMPLES, make_settings

QUESTIONS = REPO / "tests/fixtures/sample-questions.jsonl"


def built(data_dir, batches) -> KnowledgeBase:
    kb = KnowledgeBase(make_settings(data_dir))
    for batch in batches:
        assert not Ingester(kb).ingest(batch).failed
    return kb


def test_the_same_question_gets_the_same_answer_from_either_build(tmp_path):
    files = sorted(SAMPLES.iterdir())
    at_once = built(tmp_path / "once", [[SAMPLES]])
    grown = built(tmp_path / "grown", [[f] for f in reversed(files)])
    questions = [json.loads(line)["question"]
                 for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    for question in questions:
        a, b = at_once.ask(question), grown.ask(question)
        assert ([s.passage.id for s in at_once.search(question, 8)]
                == [s.passage.id for s in grown.search(question, 8)]), question
        assert a == b, question
