"""The one-page briefing: Markdown and DOCX carry the title, date, every point and every source."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.errors import InvalidArgument
from knowledge.learning import LearningSummariser
from knowledge.reports.briefing import title_of, to_docx, to_markdown


@pytest.fixture
def summary(sample_kb):
    return LearningSummariser(sample_kb, today=lambda: date(2025, 6, 1)).summarise(
        "babies and fathers")


def docx_text(path) -> str:
    from docx import Document

    document = Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def test_markdown_briefing_has_title_date_points_and_sources(summary):
    text = to_markdown(summary)
    assert text.startswith("# Learning briefing: Babies and fathers")
    assert "2025-06-01" in text
    for point in summary.points:
        assert point.text.replace("\n", " ") in text
    for doc in summary.sources:
        assert doc.title in text
    assert text.index("## Key learning") < text.index("## Sources")
    assert "Thin evidence" not in text


def test_docx_briefing_opens_and_contains_points_and_sources(summary, tmp_path):
    path = to_docx(summary, tmp_path / "out" / "briefing.docx")
    assert path.is_file()
    text = docx_text(path)
    assert title_of(summary) in text and "2025-06-01" in text
    for point in summary.points:
        assert point.text.replace("\n", " ") in text
        if point.citation.page is not None:
            assert f"p. {point.citation.page}" in text
    for doc in summary.sources:
        assert doc.title in text
    assert len(text) < 5000  # fits one page at 10pt


def test_thin_briefing_says_so(sample_kb, tmp_path):
    thin = LearningSummariser(sample_kb).summarise("quantum computing")
    markdown = to_markdown(thin)
    assert "Thin evidence" in markdown and "## Key learning" not in markdown
    assert all(s in markdown for s in thin.suggestions)
    text = docx_text(to_docx(thin, tmp_path / "thin.docx"))
    assert "Thin evidence" in text and thin.message in text


def test_briefing_rejects_bad_input(summary, tmp_path):
    with pytest.raises(InvalidArgument, match="docx"):
        to_docx(summary, tmp_path / "briefing.pdf")
    with pytest.raises(InvalidArgument, match="LearningSummary"):
        to_markdown({"theme": "neglect"})  # type: ignore[arg-type]
