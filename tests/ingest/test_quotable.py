"""Passages worth quoting: HTML main content only, table rows as sentences, real titles, and a
title or heading is never a passage of its own (issue 13); HTML parsing is linear (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import PARA, write_docx, write_pdf

from ingest.chunker import Chunk, drop_title_lines, untitled_text
from ingest.loaders import load
from ingest.pipeline import Ingester
from ingest.tables import is_header_row, row_sentence, table_sentences
from knowledge.text import split_sentences

SITE = "Wyvernshire Safeguarding Children Partnership"
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Resolving Professional Disagreements | {SITE}</title>
<link rel="canonical" href="https://wscp.example/disagreements"></head><body>
<div class="cookie-banner">We use cookies on this site. <button>Accept all cookies</button></div>
<a class="skip-link" href="#content">Skip to main content</a>
<header><a class="logo" href="/">{SITE}</a><nav><ul><li><a href="/">Home</a></li>
<li><a href="/pros">Professionals</a></li></ul></nav>
<form class="search"><input name="q"><button>Search</button></form></header>
<ol class="breadcrumb"><li><a href="/">Home</a></li><li><a href="/pros">Professionals</a></li>
<li>Resolving Professional Disagreements</li></ol>
<main id="content"><h1>Resolving Professional Disagreements</h1>
<p>WSCP | Version 2 | Next review: June 2027</p>
<h2>1. Stages</h2>
<p>Practitioners who disagree about a child should first talk to each other directly.
<p>Unresolved disagreements go to the line managers of both practitioners.
<table><thead><tr><th>Stage</th><th>Who</th><th>Timescale</th></tr></thead>
<tbody><tr><td>Stage 1</td><td>The practitioners</td><td>within 2 working days</td></tr>
<tr><td>Stage 2</td><td>Line managers</td><td>within 5 working days.</td></tr></tbody></table>
<p class="page-updated">Page last reviewed: 3 March 2026</p></main>
<aside><h2>Related pages</h2><ul><li><a href="/x">Report a concern</a></li></ul></aside>
<footer><ul><li><a href="/a11y">Accessibility statement</a></li></ul>
<p>&copy; 2026 {SITE}</p></footer></body></html>"""
FURNITURE = ("cookie", "Skip to", "Home", "Search", "Related pages", "Report a concern",
             "Accessibility", "©", "Page last reviewed")


@pytest.fixture
def ingester(kb) -> Ingester:
    return Ingester(kb)


def passages_of(ingester: Ingester, path: Path, **kwargs):
    doc, passages, _ = ingester.build(path, str(path), "test", None, None, **kwargs)
    return doc, passages


# --- HTML ------------------------------------------------------------------------------------


def test_html_furniture_is_never_indexed(tmp_path, ingester):
    path = tmp_path / "disagreements.html"
    path.write_text(PAGE)
    doc, passages = passages_of(ingester, path)
    assert doc.title == "Resolving Professional Disagreements"
    assert doc.url == "https://wscp.example/disagreements"
    text = "\n".join(p.text for p in passages)
    for furniture in FURNITURE:
        assert furniture not in text
    assert "Practitioners who disagree about a child should first talk to each other directly." \
        in text
    lines = text.split("\n")
    assert "Stage: Stage 1; Who: The practitioners; Timescale: within 2 working days." in lines
    assert "Stage: Stage 2; Who: Line managers; Timescale: within 5 working days." in lines
    assert "Version 2" not in text  # the cover's metadata bar is furniture too
    assert all(p.text.strip() != doc.title for p in passages)


def test_html_without_landmarks_reads_the_densest_text_block(tmp_path):
    path = tmp_path / "plain.html"
    path.write_text(f"""<html><head><title>Neglect Strategy - {SITE}</title>
      <meta property="og:site_name" content="{SITE}"></head><body>
      <div class="site-menu"><a href="/">Home</a> <a href="/about">About us</a></div>
      <div class="wrapper has-sidebar"><div class="sidebar"><p>Quick links</p></div>
      <div class="article-body"><h2>Why neglect</h2><p>{PARA}</p><p>{PARA}</p><p>{PARA}</p></div>
      </div></body></html>""")
    doc = load(path)
    lines = [line.text for line in doc.lines if line.kind != "break"]
    assert doc.title == "Neglect Strategy"
    assert lines == ["Why neglect", PARA, PARA, PARA]


@pytest.mark.timeout(60)
def test_unclosed_paragraphs_parse_in_linear_time(tmp_path):
    count = 20_000
    page = "<html><body>" + "".join(f"<p>Item {i} is recorded." for i in range(count))
    path = tmp_path / "unclosed.html"
    path.write_text(page + "</body></html>")
    doc = load(path)
    text = [line.text for line in doc.lines if line.kind == "text"]
    assert len(text) == count and text[-1] == f"Item {count - 1} is recorded."
    assert sum(len(t) for t in text) <= len(page)  # the old loader made 50 MB of 104 KB


@pytest.mark.timeout(60)
@pytest.mark.parametrize("depth", [5_000])
def test_deeply_nested_divs_parse_in_linear_time_and_keep_their_text(tmp_path, depth):
    deep = "<div>" * depth + f"<p>{PARA}</p>" + "</div>" * depth
    layered = "".join(f"<div>Layer {i} note." for i in range(depth)) + "</div>" * depth
    path = tmp_path / "nested.html"
    path.write_text(f"<html><body>{deep}{layered}</body></html>")
    doc = load(path)
    text = [line.text for line in doc.lines if line.kind != "break"]
    assert text[0] == PARA  # past libxml2's depth cap the text used to vanish
    assert len(text) == depth + 1 and text[-1] == f"Layer {depth - 1} note."


# --- tables ----------------------------------------------------------------------------------


def test_row_sentences_name_their_columns_and_stay_one_sentence():
    rows = [["Stage", "Who", "Timescale"],
            ["Rapid review", "Case Review Group", "within 15 working days"],
            ["Stage", "Who", "Timescale"],  # header repeated on a new page
            ["Notes apply to every stage", "", ""]]
    sentences = table_sentences(rows)
    assert sentences == [
        "Stage: Rapid review; Who: Case Review Group; Timescale: within 15 working days.",
        "Notes apply to every stage."]
    assert split_sentences(sentences[0]) == [sentences[0]]
    assert row_sentence(["Front door", "01632 960000"]) == "Front door: 01632 960000."
    assert row_sentence(["a", "b", "c"]) == "a; b; c."
    assert not is_header_row(["Level 4", "Children in need of protection."])
    assert not is_header_row(["2024", "2025"])


def test_docx_table_rows_keep_headers_and_document_order(tmp_path, ingester):
    path = write_docx(tmp_path / "review.docx", [
        ("Heading 1", "Rapid Review Timescales"),
        ("Normal", "The partnership follows these timescales for every notified incident."),
        ("table", "Stage|Who|Timescale;Rapid review|Case Review Group|within 15 working days;"
                  "Decision on a review|Independent scrutineer|within 5 working days"),
        ("Normal", "Agencies send chronologies before the rapid review meeting."),
        ("table", "A boxed note about the timescales that spans the whole page."),
    ])
    doc, passages = passages_of(ingester, path)
    lines = [line for p in passages for line in p.text.split("\n")]
    row = "Stage: Rapid review; Who: Case Review Group; Timescale: within 15 working days."
    assert lines.index(row) > lines.index(
        "The partnership follows these timescales for every notified incident.")
    assert lines.index(row) < lines.index(
        "Agencies send chronologies before the rapid review meeting.")
    assert "A boxed note about the timescales that spans the whole page." in lines


# --- titles ----------------------------------------------------------------------------------


@pytest.mark.parametrize("meta", [None, "Microsoft Word - plan_v2.docx", "Report summary"])
def test_pdf_title_falls_back_to_the_first_real_heading(tmp_path, ingester, meta):
    path = write_pdf(tmp_path / "plan.pdf", [[
        "REPORT SUMMARY", "", "Wyvernshire Multi-Agency Safeguarding Arrangements for",
        "Children and Young People", "", PARA]], title=meta)
    doc, passages = passages_of(ingester, path)
    assert doc.title.startswith("Wyvernshire Multi-Agency Safeguarding Arrangements")
    assert doc.title.lower() != "report summary" and "…" not in doc.title


def test_meaningful_metadata_titles_are_used(tmp_path, ingester):
    pdf = write_pdf(tmp_path / "a.pdf", [["Cover Heading Words", "", PARA]],
                    title="Wyvernshire Escalation Policy 2026")
    docx = write_docx(tmp_path / "b.docx", [("Heading 1", "Cover Heading Words"),
                                             ("Normal", PARA)], title="Wyvernshire Neglect Toolkit")
    assert passages_of(ingester, pdf)[0].title == "Wyvernshire Escalation Policy 2026"
    assert passages_of(ingester, docx)[0].title == "Wyvernshire Neglect Toolkit"
    assert passages_of(ingester, docx, title="My Own Title")[0].title == "My Own Title"


def test_metadata_bars_cover_furniture_body_fields(tmp_path, ingester):
    body = "\n\n".join(f"## Part {i}\n\n{PARA}" for i in range(4))
    path = tmp_path / "plan.md"
    path.write_text(f"# Wyvernshire Plan\n\nWSCP | Version 2 | Next review: June 2027\n\n{body}"
                    "\n\nPolice: 999 | Front door: 01632 960000 | Out of hours: 01632 960001\n")
    doc, passages = passages_of(ingester, path)
    lines = [line for p in passages for line in p.text.split("\n")]
    assert not any("Version 2" in line for line in lines)
    assert {"Police: 999", "Front door: 01632 960000", "Out of hours: 01632 960001"} <= set(lines)
    assert doc.year == "2027"  # the cover bar is still read for metadata


def test_title_lines_are_not_passages():
    title = "Wyvernshire Thresholds Guidance: The Continuum of Need for Children and Families"
    assert untitled_text("Thresholds Guidance: The Continuum of Need", title) == ""
    assert untitled_text("Continuum of Need for Children and Families Agreed by the WSCP "
                         "Executive", title) == "Agreed by the WSCP Executive"
    assert untitled_text("Children and families are seen within one day.", title) == \
        "Children and families are seen within one day."
    chunks = [Chunk(title, None, 1), Chunk(f"{title}\nVersion 4", "Cover", 1)]
    assert drop_title_lines(chunks, title) == [Chunk("Version 4", "Cover", 1)]


def test_a_title_is_never_the_answer(tmp_path, kb):
    page = tmp_path / "annual.html"
    page.write_text(f"""<html><head><title>Wyvernshire Partnership Yearly Report 2025/26 | {SITE}
      </title></head><body><ol class="breadcrumb"><li>Home</li><li>Wyvernshire Partnership
      Yearly Report 2025/26</li></ol><main><h1>Wyvernshire Partnership Yearly Report 2025/26</h1>
      <p>The partnership trained 4,210 practitioners during the year.</p>
      <p>{PARA}</p></main></body></html>""")
    report = Ingester(kb).ingest([page])
    assert not report.failed
    answer = kb.ask("What does the Wyvernshire Partnership Yearly Report 2025/26 say?")
    quoted = answer.answer.strip()
    assert "Yearly Report 2025/26" not in quoted
    assert all("Yearly Report" not in p.text for p in kb.index.iter_passages())


def test_cli_shows_the_inferred_title_and_title_overrides_it(tmp_path, run_cli):
    path = tmp_path / "disagreements.html"
    path.write_text(PAGE)
    result = run_cli("ingest", str(path))
    assert result.code == 0, result.err
    assert "Resolving Professional Disagreements" in result.out
    result = run_cli("ingest", "--title", "WSCP Disagreements Policy", str(path))
    assert result.code == 0 and "updated" in result.out
    assert "WSCP Disagreements Policy" in result.out


def _table_pdf(path: Path, rows: list[tuple[str, ...]], widths: tuple[int, ...]) -> Path:
    """A PDF with prose, a table drawn as aligned cells, and a bulleted list."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_font("helvetica", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 5.5, PARA, new_x="LMARGIN", new_y="NEXT")
    for row in rows:
        for width, cell in zip(widths, row, strict=True):
            pdf.cell(width, 6, cell)
        pdf.ln(6)
    for item in ("Neglect: earlier recognition.", "Exploitation: a joined-up response.",
                 "Babies: safer sleep advice."):
        pdf.cell(8, 6, "-")
        pdf.cell(0, 6, item)
        pdf.ln(6)
    pdf.output(str(path))
    return path


def test_pdf_table_rows_become_sentences_and_lists_stay_lists(tmp_path, ingester):
    path = _table_pdf(tmp_path / "timescales.pdf", [
        ("Stage", "Who", "Timescale"),
        ("Rapid review", "Case Review Group", "within 15 working days"),
        ("Final report", "Review panel", "within 6 months")], (50, 60, 60))
    doc, passages = passages_of(ingester, path)
    lines = [line for p in passages for line in p.text.split("\n")]
    assert "Stage: Rapid review; Who: Case Review Group; Timescale: within 15 working days." \
        in lines
    assert "Stage: Final report; Who: Review panel; Timescale: within 6 months." in lines
    assert PARA in " ".join(lines)  # prose untouched
    assert not any(line.startswith("-:") or "; Neglect" in line for line in lines)


def test_cover_sheet_fields_and_capitals_titles(tmp_path, ingester):
    form = write_pdf(tmp_path / "cover.pdf", [[
        "Report title: Wyvernshire Partnership Yearly Report Date of meeting: 4 May 2026",
        "", "Report summary", "", PARA]])
    assert passages_of(ingester, form)[0].title == "Wyvernshire Partnership Yearly Report"
    caps = write_docx(tmp_path / "caps.docx", [
        ("Heading 1", "THE 2026 CHILDREN AND YOUNG"), ("Heading 1", "PEOPLE'S REPORT FOR THE"),
        ("Heading 1", "WYVERNSHIRE PARTNERSHIP (WSCP)"), ("Heading 1", "ABOUT US"),
        ("Normal", PARA)])
    assert passages_of(ingester, caps)[0].title == (
        "The 2026 Children and Young People's Report for the Wyvernshire Partnership (WSCP)")
