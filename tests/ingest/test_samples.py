"""The fictional Wyvernshire corpus ingests cleanly: right metadata, pages, sections, clean text,
and every evidence string of its questions file is quotable from a passage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from repo_paths import SAMPLE_QUESTIONS, SAMPLES

from knowledge.evaluation import evidence_found, load_questions

EXPECTED = {
    "wyvernshire-masa-plan-2025.pdf": ("masa_plan", "2025"),
    "wyvernshire-threshold-guidance.docx": ("threshold_guidance", "2025"),
    "wyvernshire-annual-report-2024-25.pdf": ("annual_report", "2024/25"),
    "cspr-learning-brief-baby-k.md": ("review_learning", "2025"),
}
PARTNERSHIP = "Wyvernshire Safeguarding Children Partnership"


def test_samples_folder_holds_exactly_the_four_documents():
    assert sorted(p.name for p in SAMPLES.iterdir()) == sorted(EXPECTED)


@pytest.fixture
def passages(sample_kb):
    return list(sample_kb.index.iter_passages())


def test_documents_have_type_year_partnership_and_title(sample_kb):
    docs = {Path(d.source).name: d for d in sample_kb.documents()}
    assert set(docs) == set(EXPECTED)
    for name, (doc_type, year) in EXPECTED.items():
        assert (docs[name].doc_type, docs[name].year) == (doc_type, year), name
        assert docs[name].partnership == PARTNERSHIP, name
        assert docs[name].passages > 10, name
    assert docs["cspr-learning-brief-baby-k.md"].title == (
        "Seven-Minute Briefing: Learning from the Review of Baby K")
    assert docs["wyvernshire-threshold-guidance.docx"].title == (
        "Right Help, Right Time: Wyvernshire Threshold Guidance")


def test_pdf_passages_carry_pages_and_numbered_sections(passages):
    plan = [p for p in passages if p.source.endswith("masa-plan-2025.pdf")]
    assert all(p.page is not None and 1 <= p.page <= 7 for p in plan)
    by_section = {p.section: p for p in plan}
    sprg = by_section["4.1 Safeguarding Practice Review Group"]
    assert "chaired by Detective Superintendent Alan Brereton" in sprg.text and sprg.page == 3
    assert "8. FUNDING ARRANGEMENTS" in by_section
    assert "7. OUR PRIORITIES FOR 2025 TO 2027" in by_section


def test_structured_documents_keep_their_headings_as_sections(passages):
    sections = {p.section for p in passages if p.source.endswith(".docx")}
    assert {"3. The Continuum of Need", "Level 4: Acute and Specialist",
            "4. Making a Referral"} <= sections
    brief = {p.section for p in passages if p.source.endswith(".md")}
    assert {"5. Learning for Practitioners", "6. Recommendations"} <= brief


def test_pdf_text_is_clean(passages):
    pdf_text = "\n".join(p.text for p in passages if p.source.endswith(".pdf"))
    assert "Page 3 of 7" not in pdf_text and not re.search(r"Page \d+ of \d+", pdf_text)
    assert "| Multi-Agency Safeguarding Arrangements 2025" not in pdf_text  # running header
    assert "WSCP Annual Report 2024/25\n" not in pdf_text
    assert "•" not in pdf_text
    assert not re.search(r"[a-z]- [a-z]", pdf_text)  # no "safe- guarding" left
    assert "Introduction to Safeguarding e-learning" in pdf_text  # hyphenated across lines
    sections = {p.section for p in passages if p.source.endswith(".pdf")}
    assert "SAFEGUARDING CHILDREN & YOUNG PEOPLE" in sections  # letter-spaced cover banner


def test_passages_are_bounded_and_end_on_sentence_or_item_boundaries(passages):
    for p in passages:
        assert len(p.text) <= 700, (p.section, len(p.text))
        assert not p.text.rstrip().endswith((",", " and", " the", " of", "-")), p.text[-80:]


def test_acronyms_defined_in_the_text_feed_the_glossary(sample_kb):
    glossary = sample_kb.glossary()
    assert glossary["SPRG"] == "Safeguarding Practice Review Group"
    assert glossary["MASH"] == "Multi-Agency Safeguarding Hub"
    assert glossary["LSCG"] == "Local Safeguarding Children Groups"  # plural acronym, one key


def test_every_evidence_string_is_quotable_from_one_passage(passages):
    questions = load_questions(SAMPLE_QUESTIONS)
    assert len(questions) >= 15
    assert 2 <= sum(q.unanswerable for q in questions) <= 3
    for question in questions:
        for evidence in question.expect:
            assert any(evidence_found((evidence,), p.text) for p in passages), evidence


def test_fake_embedder_search_finds_the_sprg_chair(sample_kb):
    hits = sample_kb.search("Who chairs the SPRG?", k=3)
    assert any("Alan Brereton" in h.passage.text for h in hits)
