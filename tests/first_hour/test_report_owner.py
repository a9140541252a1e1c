"""Digests and briefings say whose they are: SGBOT_PARTNERSHIP, else the indexed documents'
partnership, never the built-in placeholder. Through the real CLI (fake embedder)."""

from __future__ import annotations

import json

import pytest
from docx import Document

from bot.cli import main
from knowledge.owner import default_of, partnership_name
from knowledge.types import DocumentInfo
from tests.conftest import make_settings

WSCP = "Wyvernshire Safeguarding Children Partnership"
PLACEHOLDER = default_of("partnership")


@pytest.fixture
def cli(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("SGBOT_EMBED_BACKEND", "fake")
    monkeypatch.delenv("SGBOT_PARTNERSHIP", raising=False)
    monkeypatch.chdir(tmp_path)

    def run(data_dir, *argv: str, **env: str) -> str:
        monkeypatch.setenv("SGBOT_DATA_DIR", str(data_dir))
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        code = main(["--env-file", str(tmp_path / "none.env"), *argv])
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    return run


def test_digest_takes_the_name_from_the_indexed_documents(cli, sample_kb, tmp_path):
    out = tmp_path / "digest.md"
    cli(sample_kb.settings.data_dir, "feedback", "report", "--from", "2025-04-01", "--to",
        "2026-03-31", "--out", str(out))
    text = out.read_text()
    assert f"**{WSCP}**" in text and PLACEHOLDER not in text


def test_digest_docx_uses_the_configured_name(cli, tmp_path):
    out = tmp_path / "digest.docx"
    cli(tmp_path / "data", "feedback", "report", "--from", "2025-04-01", "--to", "2026-03-31",
        "--out", str(out), SGBOT_PARTNERSHIP="Fenmoor Children's Partnership")
    doc = Document(str(out))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Fenmoor Children's Partnership — " in body
    assert doc.core_properties.author == "Fenmoor Children's Partnership"


def test_digest_without_any_name_leaves_it_out(cli, tmp_path):
    out = tmp_path / "digest.md"
    cli(tmp_path / "data", "feedback", "report", "--from", "2025-04-01", "--to", "2026-03-31",
        "--out", str(out))
    text = out.read_text()
    assert PLACEHOLDER not in text and "\n01 April 2025 to 31 March 2026\n" in text


def test_briefing_names_the_partnership(cli, sample_kb):
    markdown = cli(sample_kb.settings.data_dir, "learning", "neglect")
    assert f"partnership: {WSCP}" in markdown and PLACEHOLDER not in markdown
    data = json.loads(cli(sample_kb.settings.data_dir, "learning", "neglect", "--format", "json"))
    assert data["partnership"] == WSCP


def _doc(partnership: str, passages: int) -> DocumentInfo:
    return DocumentInfo(doc_id=partnership + str(passages), source="x", title="t",
                        partnership=partnership, doc_type="other", content_hash="h",
                        passages=passages)


def test_most_common_partnership_wins_and_placeholders_never_do(tmp_path):
    settings = make_settings(tmp_path / "data")
    docs = [_doc(PLACEHOLDER, 90), _doc(PLACEHOLDER, 80), _doc(PLACEHOLDER, 70),
            _doc("Fenmoor Children's Partnership", 3), _doc(WSCP, 5), _doc(WSCP, 1), _doc("", 9)]
    assert partnership_name(settings, docs) == WSCP
    assert partnership_name(settings, [_doc(PLACEHOLDER, 4)]) is None
    assert partnership_name(settings.with_overrides(partnership="Fenmoor"), docs) == "Fenmoor"
