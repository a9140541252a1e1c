"""Cleaning repairs what PDF extraction breaks: spacing, hyphens, running lines, bullets, wraps."""

from __future__ import annotations

import pytest
from builders import write_pdf

from ingest.cleaning import Block, clean, fix_letter_spacing, is_letter_spaced
from ingest.loaders import Line, RawDocument, load

BODY = [
    "The partnership will work with schools, health services and the police to make sure that",
    "children who are at risk of exploitation are identified early and that practitioners know",
    "how to respond when a child goes missing from home or from care.",
]


def layout(lines: list[tuple[str, int | None]], *, pages: int | None = None) -> RawDocument:
    """An unstructured document (as PDF extraction produces) from (text, page) pairs."""
    from pathlib import Path

    out = []
    for text, page in lines:
        out.append(Line("", page, "break") if text == "" else Line(text, page))
    return RawDocument(Path("test.pdf"), "pdf", out, pages=pages)


def paragraphs(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks if b.kind == "para"]


def headings(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks if b.kind == "heading"]


# --- letter-spaced headings ------------------------------------------------------------------


@pytest.mark.parametrize(("spaced", "fixed"), [
    ("C HI L D R E N & Y O U NG", "CHILDREN & YOUNG"),
    ("S A FE GU A RD IN G CH IL D RE N", "SAFEGUARDING CHILDREN"),
    ("A N N U A L R E P O R T", "ANNUAL REPORT"),
])
def test_letter_spaced_headings_are_rejoined(spaced, fixed):
    assert is_letter_spaced(spaced)
    assert fix_letter_spacing(spaced, {}) == fixed


def test_document_vocabulary_keeps_place_names_whole():
    vocab = {"wyvernshire": 12, "partnership": 30}
    assert fix_letter_spacing("W Y V E R N SH I R E P A R T N E R SH I P", vocab) == (
        "WYVERNSHIRE PARTNERSHIP")


@pytest.mark.parametrize("text", ["CHILDREN AND YOUNG PEOPLE", "The ICB and LA agree a plan.",
                                  "4. Structure and Governance", "Level 1 to 4"])
def test_ordinary_lines_are_not_letter_spaced(text):
    assert not is_letter_spaced(text)
    assert fix_letter_spacing(text, {}) == text


def test_letter_spaced_line_in_a_pdf_becomes_a_clean_heading(tmp_path):
    path = write_pdf(tmp_path / "cover.pdf", [["C HI L D R E N & Y O U NG P E O P L E", "",
                                               *BODY]])
    blocks = clean(load(path))
    assert headings(blocks)[0] == "CHILDREN & YOUNG PEOPLE"


# --- hyphenation, wrapping --------------------------------------------------------------------


def test_words_hyphenated_across_lines_are_joined():
    doc = layout([("Every practitioner should complete the safe-", 1),
                  ("guarding course and share infor-", 1),
                  ("mation with the team.", 1)])
    assert paragraphs(clean(doc)) == [
        "Every practitioner should complete the safeguarding course and share information with "
        "the team."]


def test_real_compounds_keep_their_hyphen_when_split_at_the_line_end():
    doc = layout([("Our multi-agency audits show that multi-", 1),
                  ("agency training has improved practice across the county.", 1)])
    assert paragraphs(clean(doc)) == [
        "Our multi-agency audits show that multi-agency training has improved practice across "
        "the county."]


def test_hard_wrapped_lines_join_into_one_paragraph():
    doc = layout([(line, 1) for line in BODY])
    assert paragraphs(clean(doc)) == [" ".join(BODY)]


def test_a_new_sentence_after_a_short_line_starts_a_new_paragraph():
    doc = layout([(BODY[0], 1), (BODY[1], 1), ("how to respond.", 1),
                  ("Schools will lead the second strand of work with the council.", 1)])
    assert len(paragraphs(clean(doc))) == 2


# --- running headers, footers, page numbers ------------------------------------------------


TOPICS = ["neglect", "exploitation", "domestic abuse", "safer sleep", "missing children"]


def page_body(page: int) -> list[str]:
    """Body lines that differ on every page, as real pages do."""
    topic = TOPICS[(page - 1) % len(TOPICS)]
    return [f"Work on {topic} continued: {BODY[0]}", BODY[1],
            f"{BODY[2][:-1]} and what {topic} means for them."]


def _paged(header: str, footer: str, pages: int = 4) -> RawDocument:
    lines = []
    for page in range(1, pages + 1):
        lines.append((header, page))
        lines.extend((line, page) for line in page_body(page))
        lines.append((footer.format(page=page, pages=pages), page))
        lines.append(("", page))
    return layout(lines, pages=pages)


@pytest.mark.parametrize("footer", ["Page {page} of {pages}", "{page}", "- {page} -",
                                    "WSCP Annual Report 2024/25 | {page}"])
def test_running_headers_footers_and_page_numbers_are_removed(footer):
    header = "Wyvernshire Safeguarding Children Partnership | Annual Report 2024/25"
    blocks = clean(_paged(header, footer))
    text = " ".join(b.text for b in blocks)
    assert "Annual Report 2024/25" not in text
    assert "Page 2" not in text and " of 4" not in text
    assert "- 3 -" not in text and not any(b.text.strip("- ").isdigit() for b in blocks)
    for page in range(1, 5):
        assert " ".join(page_body(page)) in text


def test_a_line_repeated_on_only_one_or_two_pages_is_kept():
    lines = [("Key message: listen to the child.", 1), *[(b, 1) for b in page_body(1)], ("", 1),
             ("Key message: listen to the child.", 2), *[(b, 2) for b in page_body(2)], ("", 2),
             *[(b, 3) for b in page_body(3)], ("", 3), *[(b, 4) for b in page_body(4)]]
    text = " ".join(b.text for b in clean(layout(lines, pages=4)))
    assert "Key message: listen to the child." in text


def test_running_lines_are_removed_from_a_real_pdf(tmp_path):
    pages = [["WSCP Threshold Guidance 2025", *page_body(n), f"Page {n} of 3"] for n in (1, 2, 3)]
    blocks = clean(load(write_pdf(tmp_path / "t.pdf", pages)))
    text = " ".join(b.text for b in blocks)
    assert "WSCP Threshold Guidance" not in text and "Page" not in text
    assert [b.page for b in blocks if b.kind == "para"] == [1, 2, 3]


# --- bullets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("glyph", ["•", "●", "▪", "■", "◦", "➢", "\uf0b7", "-", "–", "*"])
def test_bullet_glyphs_become_bullet_blocks_without_the_glyph(glyph):
    doc = layout([("The three safeguarding partners are:", 1),
                  (f"{glyph} the local authority", 1), (f"{glyph}  the integrated care board", 1),
                  (f"{glyph} the police", 1)])
    bullets = [b.text for b in clean(doc) if b.kind == "bullet"]
    assert bullets == ["the local authority", "the integrated care board", "the police"]


def test_a_wrapped_bullet_continues_on_the_next_line():
    doc = layout([("• health visitors, school nurses, GPs and midwives who see babies and", 1),
                  ("young children in their homes and clinics", 1), ("• the police", 1)])
    bullets = [b.text for b in clean(doc) if b.kind == "bullet"]
    assert bullets == ["health visitors, school nurses, GPs and midwives who see babies and young "
                       "children in their homes and clinics", "the police"]


def test_a_paragraph_after_a_bullet_list_is_not_swallowed_by_the_last_bullet():
    """Bullets rarely end with a full stop; the next paragraph starts a new block."""
    doc = layout([("The safeguarding partners are:", 1), ("• the local authority", 1),
                  ("• the police", 1),
                  ("Each partner has named a lead who is accountable for its contribution.", 1)])
    blocks = clean(doc)
    assert [b.text for b in blocks if b.kind == "bullet"] == ["the local authority", "the police"]
    assert "Each partner has named a lead who is accountable for its contribution." in [
        b.text for b in blocks if b.kind == "para"]


# --- headings --------------------------------------------------------------------------------


def test_numbered_headings_are_detected():
    doc = layout([("4. Structure and Governance", 1), *[(b, 1) for b in BODY],
                  ("4.1 Safeguarding Practice Review Group", 1), *[(b, 1) for b in BODY]])
    assert headings(clean(doc)) == ["4. Structure and Governance",
                                    "4.1 Safeguarding Practice Review Group"]


def test_sentence_case_numbered_headings_are_detected_by_their_first_paragraph():
    doc = layout([(BODY[0] + ".", 1), ("9. Stepping up and stepping down", 1),
                  ("9.1 When needs rise, the lead practitioner asks for a step up.", 1),
                  *[(b, 1) for b in BODY], ("10. Who to contact", 1), *[(b, 1) for b in BODY]])
    assert "9. Stepping up and stepping down" in headings(clean(doc))
    assert "10. Who to contact" not in headings(clean(doc))  # no "10.1" follows it


@pytest.mark.parametrize("line", [
    "4. The partners will meet every six weeks to review progress.",  # a numbered sentence
    "3. we will publish the plan",  # lower case
    "12 children were subject to a plan at the end of the year and 4 left care",
])
def test_numbered_sentences_are_not_headings(line):
    doc = layout([(BODY[0] + ".", 1), (line, 1), *[(b, 1) for b in BODY]])
    assert line not in headings(clean(doc))


def test_sentence_case_numbered_subheadings_on_their_own_line_are_headings():
    doc = layout([("4. Escalation Stages", 1), *[(b, 1) for b in BODY],
                  ("4.3 Stage 3: service manager to service manager", 1), *[(b, 1) for b in BODY],
                  ("4.4 Urgent situations", 1), *[(b, 1) for b in BODY]])
    assert headings(clean(doc)) == ["4. Escalation Stages",
                                    "4.3 Stage 3: service manager to service manager",
                                    "4.4 Urgent situations"]


@pytest.mark.parametrize("line", [
    "4.3 The practitioner should first discuss the concern directly with the other",  # wraps
    "4.3 At Stage 3 the concern is put to",  # its sentence goes on below
])
def test_a_numbered_paragraphs_opening_line_is_not_a_subheading(line):
    doc = layout([(BODY[0] + ".", 1), (line, 1), *[(b, 1) for b in BODY[1:]]])
    assert line not in headings(clean(doc))


def test_all_caps_headings_are_detected():
    doc = layout([*[(b, 1) for b in BODY], ("OUR PRIORITIES FOR 2025 TO 2027", 1),
                  *[(b, 1) for b in BODY]])
    assert headings(clean(doc)) == ["OUR PRIORITIES FOR 2025 TO 2027"]


def test_markdown_html_and_docx_headings_are_kept_with_levels(tmp_path):
    from builders import write_docx

    md = tmp_path / "a.md"
    md.write_text("# Title\n\n## 2. Section\n\nText here.\n")
    html = tmp_path / "a.html"
    html.write_text("<h1>Title</h1><h3>Deep</h3><p>Text here.</p>")
    docx = write_docx(tmp_path / "a.docx", [("Heading 1", "Title"), ("Heading 2", "Sub"),
                                            ("Normal", "Text here.")])
    assert [(b.text, b.level) for b in clean(load(md)) if b.kind == "heading"] == [
        ("Title", 1), ("2. Section", 2)]
    assert [(b.text, b.level) for b in clean(load(html)) if b.kind == "heading"] == [
        ("Title", 1), ("Deep", 3)]
    assert [(b.text, b.level) for b in clean(load(docx)) if b.kind == "heading"] == [
        ("Title", 1), ("Sub", 2)]


def test_docx_paragraph_after_a_bullet_is_its_own_block(tmp_path):
    from builders import write_docx

    docx = write_docx(tmp_path / "b.docx", [
        ("Normal", "Examples include:"), ("List Bullet", "a child who often arrives hungry"),
        ("List Bullet", "a young carer whose caring role affects their education"),
        ("Normal", "The practitioner who knows the family best should lead."),
    ])
    blocks = clean(load(docx))
    assert [b.text for b in blocks if b.kind == "bullet"] == [
        "a child who often arrives hungry",
        "a young carer whose caring role affects their education"]
    assert "The practitioner who knows the family best should lead." in paragraphs(blocks)


def test_a_short_documents_header_is_removed_and_a_word_split_over_the_page_break_joined():
    header = "Northshire Safeguarding Children Partnership | Neglect Guide 2026"
    lines = [(header, 1), (BODY[0], 1), ("Managers should check that the designated safe-", 1),
             ("Page 1 of 2", 1), ("", 1), (header, 2),
             ("guarding lead has seen the plan before it is shared with the family.", 2),
             ("Page 2 of 2", 2)]
    text = " ".join(b.text for b in clean(layout(lines, pages=2)))
    assert "Neglect Guide" not in text
    assert "designated safeguarding lead has seen the plan" in text
