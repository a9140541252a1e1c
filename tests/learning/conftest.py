"""Fixtures for learning summaries: small fictional corpora written per test, so each test
controls exactly how much evidence a theme has."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import make_settings


def brief(title: str, *, year: str, doc_type: str = "review_learning",
          partnership: str = "Wyvernshire Safeguarding Children Partnership",
          sections: dict[str, list[str]]) -> str:
    """A Markdown document with front matter; each section is a paragraph of sentences."""
    lines = ["---", f"title: {title}", f"partnership: {partnership}", f"doc_type: {doc_type}",
             f"year: {year}", "---", "", f"# {title}", ""]
    for heading, sentences in sections.items():
        lines += [f"## {heading}", "", " ".join(sentences), ""]
    return "\n".join(lines)


@pytest.fixture
def make_kb(tmp_path: Path):
    """Build a knowledge base (fake embedder) from {file name: Markdown text}."""
    from ingest.pipeline import Ingester
    from knowledge.kb import KnowledgeBase

    def build(files: dict[str, str]):
        docs = tmp_path / "docs"
        docs.mkdir(exist_ok=True)
        for name, text in files.items():
            (docs / name).write_text(text, encoding="utf-8")
        kb = KnowledgeBase(make_settings(tmp_path / "data"))
        report = Ingester(kb).ingest([docs])
        assert not report.failed, [r.reason for r in report.failed]
        return kb

    return build
