"""`sgbot ingest` and `sgbot ask --json` in-process: exit codes and the JSON answer schema."""

from __future__ import annotations

import json
import shutil

import pytest
from repo_paths import SAMPLES

ANSWER_KEYS = {"question", "answer", "abstained", "confidence", "citations", "partnership",
               "partnerships", "scope_note"}
CITATION_KEYS = {"title", "source", "section", "page", "text", "score", "partnership"}


@pytest.fixture
def ingested(run_cli, tmp_path):
    folder = tmp_path / "samples"
    shutil.copytree(SAMPLES, folder)
    result = run_cli("ingest", "--quiet", str(folder))
    assert result.code == 0, result.out + result.err
    return folder


def check_schema(payload: dict) -> None:
    assert ANSWER_KEYS <= set(payload) <= ANSWER_KEYS | {"urgent"}
    assert isinstance(payload["question"], str) and isinstance(payload["answer"], str)
    assert isinstance(payload["abstained"], bool)
    assert isinstance(payload["confidence"], float | int) and 0 <= payload["confidence"] <= 1
    assert isinstance(payload["citations"], list)
    for citation in payload["citations"]:
        assert set(citation) == CITATION_KEYS
        assert isinstance(citation["title"], str) and citation["title"]
        assert isinstance(citation["source"], str) and citation["source"]
        assert isinstance(citation["text"], str) and citation["text"]
        assert citation["section"] is None or isinstance(citation["section"], str)
        assert citation["page"] is None or isinstance(citation["page"], int)
        assert isinstance(citation["score"], float | int)


def test_ask_json_answer_schema_with_cited_pages(run_cli, ingested):
    result = run_cli("ask", "--json", "Who chairs the Safeguarding Practice Review Group?")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    check_schema(payload)
    assert payload["question"] == "Who chairs the Safeguarding Practice Review Group?"
    assert payload["citations"], payload
    pdf_citations = [c for c in payload["citations"] if c["source"].endswith(".pdf")]
    assert pdf_citations and all(c["page"] >= 1 for c in pdf_citations)
    assert any("Alan Brereton" in c["text"] for c in payload["citations"])
    assert "urgent" not in payload


def test_ask_json_abstention_keeps_the_schema(run_cli, ingested):
    result = run_cli("ask", "--json", "What is the weekly fostering allowance for a teenager?")
    payload = json.loads(result.out)
    check_schema(payload)
    assert payload["abstained"] is True


def test_ask_json_adds_urgent_routes_for_an_immediate_concern(run_cli, ingested):
    result = run_cli("ask", "--json", "A child has just told me her stepdad hurts her, what now?")
    payload = json.loads(result.out)
    check_schema(payload)
    assert "999" in payload["urgent"]


def test_ask_rejects_an_empty_question_with_exit_code_2(run_cli, ingested):
    result = run_cli("ask", "--json", "   ")
    assert result.code == 2 and "empty" in result.err


def test_ingest_twice_reports_unchanged(run_cli, ingested):
    result = run_cli("ingest", str(ingested))
    assert result.code == 0
    assert "4 unchanged" in result.out


def test_ingest_prune_via_cli(run_cli, ingested):
    (ingested / "cspr-learning-brief-baby-k.md").unlink()
    result = run_cli("ingest", "--prune", str(ingested))
    assert result.code == 0
    assert "1 pruned" in result.out and "3 unchanged" in result.out
