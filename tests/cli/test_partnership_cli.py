"""`--partnership` on `sgbot ask` and `sgbot eval` through the real entry point (issue 15), and
partnership labels in the CLI's output (issue 13). Two invented partnerships, fake embedder."""

from __future__ import annotations

import json

import pytest

from bot.cli import main

NORTH = "Northshire Safeguarding Children Partnership"
SOUTH = "Southmoor Safeguarding Partnership"
DOCS = {
    "northshire-arrangements.md": f"""# {NORTH}: Safeguarding Arrangements

The {NORTH} (NSCP) brings together the council, the police and the health board in Northshire.

## Rapid reviews

The NSCP Case Review Group completes a rapid review within 15 working days of a notification.
""",
    "southmoor-annual-report.md": f"""# {SOUTH} Annual Report 2024/25

The {SOUTH} (SSP) covers children and adults in Southmoor.

## Rapid reviews

The {SOUTH} finishes each rapid review within 10 working days of a serious incident notification.
""",
}
QUESTION = "How long does a rapid review take?"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    monkeypatch.setenv("SGBOT_DATA_DIR", str(data))
    monkeypatch.setenv("SGBOT_EMBED_BACKEND", "fake")
    assert main(["--env-file", "/nonexistent", "ingest", "--quiet", str(docs)]) == 0
    return data


def _sgbot(*args: str) -> int:
    return main(["--env-file", "/nonexistent", *args])


@pytest.mark.parametrize("name", ["southmoor", "SSP", "ssp", SOUTH.lower()])
def test_ask_partnership_by_short_name_or_acronym(data_dir, capsys, name):
    assert _sgbot("ask", "--json", "--partnership", name, QUESTION) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["partnership"] == SOUTH
    assert payload["citations"] and {c["partnership"] for c in payload["citations"]} == {SOUTH}
    assert "10 working days" in payload["answer"]


def test_ask_unknown_partnership_exits_2_listing_the_indexed_ones(data_dir, capsys):
    assert _sgbot("ask", "--partnership", "Eastmarsh", QUESTION) == 2
    out = capsys.readouterr()
    shown = " ".join((out.out + out.err).split())
    assert "Eastmarsh" in shown and NORTH in shown and SOUTH in shown


def test_eval_partnership_by_acronym_and_unknown_name(data_dir, tmp_path, capsys):
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "r1", "question": QUESTION,
                                     "expect": ["within 15 working days"]}) + "\n")
    assert _sgbot("eval", "--json", "--partnership", "nscp", str(questions)) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["metrics"]["answer@1"] == 1.0
    assert {c["partnership"] for q in payload["questions"] for c in q["citations"]} == {NORTH}
    assert _sgbot("eval", "--partnership", "Eastmarsh", str(questions)) == 2
    err = capsys.readouterr().err
    assert "'Eastmarsh'" in err and f"{NORTH} (NSCP)" in err and SOUTH in err


def test_question_naming_a_partnership_through_the_cli(data_dir, capsys):
    assert _sgbot("ask", "--json", "How long does the Northshire partnership have for a rapid "
                  "review?") == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["partnership"] == NORTH and "15 working days" in payload["answer"]
    assert payload["scope_note"] == "From Northshire SCP's documents."


def test_text_output_labels_citations_from_different_partnerships(data_dir, capsys):
    assert _sgbot("ask", QUESTION) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "different partnerships" in out
    assert "Northshire SCP ·" in out and "Southmoor SP ·" in out
