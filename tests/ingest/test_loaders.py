"""Each supported format loads into lines with the structure its format can express."""

from __future__ import annotations

import pytest
from builders import PARA, write_docx, write_pdf

from ingest.loaders import detect_format, load
from knowledge.errors import UnsupportedFormat


def texts(doc, kind=None):
    return [line.text for line in doc.lines if line.kind != "break" and
            (kind is None or line.kind == kind)]


def test_pdf_keeps_page_numbers_and_metadata_title(tmp_path):
    path = write_pdf(tmp_path / "plan.pdf", [["First page words."], ["Second page words."],
                                              ["Third page words."]], title="Wyvern Plan 2025")
    doc = load(path)
    assert doc.format == "pdf" and doc.pages == 3 and not doc.structured
    assert doc.title == "Wyvern Plan 2025"
    pages = {line.text: line.page for line in doc.lines if line.kind != "break"}
    assert pages == {"First page words.": 1, "Second page words.": 2, "Third page words.": 3}


@pytest.mark.parametrize("meta", ["Microsoft Word - plan.docx", "plan_final_v3.pdf", "Untitled"])
def test_pdf_tool_default_titles_are_ignored(tmp_path, meta):
    doc = load(write_pdf(tmp_path / "plan.pdf", [["Some words here."]], title=meta))
    assert doc.title is None


def test_docx_headings_bullets_tables_and_title(tmp_path):
    path = write_docx(tmp_path / "guide.docx", [
        ("Title", "Threshold Guidance"),
        ("Heading 1", "1. Levels of Need"),
        ("Normal", PARA),
        ("List Bullet", "school attendance below 85%"),
        ("Heading 2", "Level 4: Acute"),
        ("table", "Level|Response;Level 4|Referral to the front door"),
    ], title="Right Help Right Time")
    doc = load(path)
    assert doc.structured and doc.title == "Right Help Right Time"
    headings = [(line.text, line.level) for line in doc.lines if line.kind == "heading"]
    assert headings == [("Threshold Guidance", 1), ("1. Levels of Need", 1), ("Level 4: Acute", 2)]
    assert "school attendance below 85%" in texts(doc, "bullet")
    assert "Level: Level 4; Response: Referral to the front door." in texts(doc, "bullet")
    assert PARA in texts(doc, "text")


def test_html_headings_lists_tables_and_canonical_url(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("""<html><head><title>Escalation Policy</title>
      <link rel="canonical" href="https://wscp.example/escalation"></head>
      <body><nav>Home | About</nav><h1>Escalation Policy</h1><h2>Stage 1</h2>
      <p>Talk to the   practitioner who made the decision.</p>
      <ul><li>Record the disagreement</li></ul>
      <table><tr><th>Stage</th><th>Who</th></tr><tr><td>2</td><td>Managers</td></tr></table>
      <script>var x = "hidden";</script><footer>Cookie policy</footer></body></html>""")
    doc = load(path)
    assert doc.title == "Escalation Policy" and doc.url == "https://wscp.example/escalation"
    assert [(line.text, line.level) for line in doc.lines if line.kind == "heading"] == [
        ("Escalation Policy", 1), ("Stage 1", 2)]
    assert "Talk to the practitioner who made the decision." in texts(doc, "text")
    assert {"Record the disagreement", "Stage: 2; Who: Managers."} <= set(texts(doc, "bullet"))
    joined = " ".join(texts(doc))
    assert "hidden" not in joined and "Cookie" not in joined and "Home" not in joined


def test_html_tables_between_paragraphs_keep_the_page_structure(tmp_path):
    """A data table is read as rows, and what follows it keeps its own kind: the walker once
    popped the table's entry it never pushed, and a page with several tables failed to parse."""
    path = tmp_path / "report.html"
    table = ("<table><tr><th>Group</th><th>Chair</th></tr>"
             "<tr><td>Case Review Group</td><td>Head of Safeguarding</td></tr></table>")
    path.write_text(f"""<html><body><main><article><h1>Annual Report</h1>
      <h2>1. Groups</h2>{table}<p>Each group reports to the executive.</p>{table}
      <h2>2. Money</h2>{table}<p>The budget was balanced.</p>{table}</article></main>
      </body></html>""")
    doc = load(path)
    assert [line.text for line in doc.lines if line.kind == "heading"] == [
        "Annual Report", "1. Groups", "2. Money"]
    assert {"Each group reports to the executive.", "The budget was balanced."} <= set(
        texts(doc, "text"))
    assert texts(doc, "bullet").count(
        "Group: Case Review Group; Chair: Head of Safeguarding.") == 4


def test_markdown_front_matter_headings_bullets_and_inline_markup(tmp_path):
    path = tmp_path / "brief.md"
    path.write_text("---\ntitle: Learning Brief\npartnership: Wyvernshire Safeguarding Children "
                    "Partnership\ndoc_type: review_learning\nyear: 2025\n---\n\n# Heading One\n\n"
                    "Some **bold** and [linked](https://x.example) text.\n\n## Sub\n\n- a bullet\n"
                    "* another\n\n| A | B |\n| --- | --- |\n| 1 | 2 |\n\n"
                    "```\n# not a heading\n```\n")
    doc = load(path)
    assert doc.title == "Learning Brief"
    assert doc.extra["doc_type"] == "review_learning" and doc.extra["year"] == "2025"
    assert [(line.text, line.level) for line in doc.lines if line.kind == "heading"] == [
        ("Heading One", 1), ("Sub", 2)]
    assert "Some bold and linked text." in texts(doc, "text")
    assert texts(doc, "bullet") == ["a bullet", "another", "A: 1; B: 2."]
    assert "# not a heading" in texts(doc)


def test_text_form_feeds_become_pages(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(b"Page one text.\n\fPage two text.\nMore on two.\n\fPage three.\n")
    doc = load(path)
    assert doc.pages == 3
    assert {line.text: line.page for line in doc.lines if line.kind != "break"} == {
        "Page one text.": 1, "Page two text.": 2, "More on two.": 2, "Page three.": 3}


def test_plain_text_without_form_feeds_has_no_pages(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Just one page.\n")
    doc = load(path)
    assert doc.pages is None and all(line.page is None for line in doc.lines)


def test_windows_1252_text_is_decoded(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Children’s services – £612,000".encode("cp1252"))
    assert texts(load(path)) == ["Children’s services – £612,000"]


def test_unknown_suffix_is_refused_with_the_supported_list(tmp_path):
    with pytest.raises(UnsupportedFormat) as caught:
        detect_format(tmp_path / "minutes.odt")
    assert ".odt" in str(caught.value) and ".docx" in str(caught.value)
