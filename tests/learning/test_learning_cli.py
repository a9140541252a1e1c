"""`sgbot learning` in-process through bot.cli.main, against the sample corpus (fake embedder)."""

from __future__ import annotations

import json

import pytest

from bot.cli import main


@pytest.fixture
def cli(sample_kb, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SGBOT_DATA_DIR", str(sample_kb.settings.data_dir))
    monkeypatch.setenv("SGBOT_EMBED_BACKEND", "fake")
    monkeypatch.chdir(tmp_path)
    env_file = str(tmp_path / "missing.env")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--env-file", env_file, "learning", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_json_summary(cli):
    code, out, _err = cli("babies", "and", "fathers", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["theme"] == "babies and fathers" and data["thin"] is False
    assert 3 <= len(data["points"]) <= 8
    assert all(p["citation"]["title"] and p["text"] for p in data["points"])
    cited = {p["citation"]["source"] for p in data["points"]}
    assert cited == {s["source"] for s in data["sources"]}


def test_markdown_summary_to_file_and_since(cli, tmp_path):
    code, _out, _err = cli("neglect", "--since", "2025", "--out", str(tmp_path / "n.md"))
    assert code == 0
    text = (tmp_path / "n.md").read_text(encoding="utf-8")
    assert text.startswith("# Learning briefing: Neglect") and "since 2025-01-01" in text
    code, out, _err = cli("neglect", "--since", "2031-01", "--format", "json")
    assert code == 0 and json.loads(out)["thin"] is True and json.loads(out)["points"] == []


def test_docx_default_path(cli, tmp_path):
    code, out, _err = cli("domestic abuse", "--format", "docx")
    assert code == 0
    written = list(tmp_path.glob("learning-domestic-abuse-*.docx"))
    assert len(written) == 1 and str(written[0].name) in out
    from docx import Document

    assert "Domestic abuse" in Document(str(written[0])).paragraphs[0].text


def test_no_theme_lists_themes(cli):
    code, out, _err = cli()
    assert code == 0
    assert "# Themes the documents cover" in out and "- neglect —" in out
    code, out, _err = cli("--format", "json")
    themes = json.loads(out)
    assert {"theme", "passages", "kind", "documents"} <= set(themes[0])
    assert any(t["theme"] == "fathers" and t["passages"] > 0 for t in themes)


def test_bad_input(cli):
    with pytest.raises(SystemExit) as exc:
        cli("neglect", "--since", "last week")
    assert exc.value.code == 2
    code, _out, err = cli("x" * 300)
    assert code == 2 and "characters" in err
