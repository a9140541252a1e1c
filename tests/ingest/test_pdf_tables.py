"""Ruled PDF tables (issue 13): cells that wrap onto several lines, labels centred vertically in
their row, a table continued over a page break, year columns. Each row must come out as one
quotable sentence naming its columns."""

from __future__ import annotations

from pathlib import Path

from builders import PARA

from ingest.cleaning import clean
from ingest.loaders import load
from ingest.tables import is_header_row

ROWS = [
    ("Step", "Who acts", "Timescale"),
    ("Step 1", "Worker to worker", "Within 2 working days"),
    ("Step 2", "Team leader or designated lead to the matching team leader in the other service",
     "Within 4 working days"),
    ("Step 3", "Head of service or named lead to their opposite number in the other service",
     "Within 6 working days"),
    ("Step 4", "Northshire Disputes Panel chaired by the partnership's independent scrutineer",
     "Within 12 working days"),
]


def _ruled_table_pdf(path: Path, rows, *, space_before: float = 0, widths=None) -> Path:
    """Prose, then a ruled table drawn by fpdf2 (wrapped cells centred vertically, header
    repeated on a new page), then prose."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_font("helvetica", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 5.5, PARA, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(space_before)
    with pdf.table(headings_style=FontFace(emphasis="BOLD"), line_height=5.5,
                   text_align="LEFT", col_widths=widths) as table:
        for row in rows:
            cells = table.row()
            for value in row:
                cells.cell(value)
    pdf.ln(4)
    pdf.multi_cell(0, 5.5, PARA, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def _bullets(path: Path) -> list[str]:
    return [b.text for b in clean(load(path)) if b.kind == "bullet"]


def test_rows_with_wrapped_cells_become_one_sentence_each(tmp_path):
    bullets = _bullets(_ruled_table_pdf(tmp_path / "steps.pdf", ROWS))
    assert bullets == [
        "Step: Step 1; Who acts: Worker to worker; Timescale: Within 2 working days.",
        "Step: Step 2; Who acts: Team leader or designated lead to the matching team leader in "
        "the other service; Timescale: Within 4 working days.",
        "Step: Step 3; Who acts: Head of service or named lead to their opposite number in the "
        "other service; Timescale: Within 6 working days.",
        "Step: Step 4; Who acts: Northshire Disputes Panel chaired by the partnership's "
        "independent scrutineer; Timescale: Within 12 working days."]


def test_a_table_continued_over_a_page_break_keeps_its_headers(tmp_path):
    # pushed down the page so that the last row falls on the next page, under a repeated header
    path = _ruled_table_pdf(tmp_path / "steps.pdf", ROWS, space_before=205)
    blocks = clean(load(path))
    rows = [b for b in blocks if b.kind == "bullet"]
    assert len({b.page for b in rows}) == 2  # the table really was split
    assert [b.text.split(";")[0] for b in rows] == [f"Step: Step {n}" for n in (1, 2, 3, 4)]
    assert all("Who acts: " in b.text and "Timescale: Within" in b.text for b in rows)
    assert not any("Step Who acts" in b.text for b in blocks)  # no repeated header left over


def test_a_table_cut_after_its_first_row_keeps_that_row(tmp_path):
    # pushed further down: only the header and step 1 fit on the first page; two lines alone
    # do not look like a table until the next page repeats their header
    path = _ruled_table_pdf(tmp_path / "steps.pdf", ROWS, space_before=232)
    blocks = clean(load(path))
    rows = [b for b in blocks if b.kind == "bullet"]
    assert [(b.page, b.text.split(";")[0]) for b in rows] == [
        (1, "Step: Step 1"), (2, "Step: Step 2"), (2, "Step: Step 3"), (2, "Step: Step 4")]
    assert not any("Step Who acts" in b.text or "Step 1 Worker" in b.text for b in blocks)


def test_wrapped_first_column_labels_and_year_columns(tmp_path):
    rows = [("Measure", "2023-24", "2024-25"),
            ("Requests for help from schools and early years settings", "212", "240"),
            ("Reviews started", "3", "5"),
            ("Children seen within the week by a practitioner", "88%", "91%")]
    bullets = _bullets(_ruled_table_pdf(tmp_path / "figures.pdf", rows, widths=(2, 1, 1)))
    assert bullets == [
        "Measure: Requests for help from schools and early years settings; 2023-24: 212; "
        "2024-25: 240.",
        "Measure: Reviews started; 2023-24: 3; 2024-25: 5.",
        "Measure: Children seen within the week by a practitioner; 2023-24: 88%; 2024-25: 91%."]


def test_year_labels_name_columns_only_beside_a_word_label():
    assert is_header_row(["Measure", "2023-24", "2024/25"])
    assert not is_header_row(["2023", "2024"])  # a row of years alone is data
    assert not is_header_row(["Referrals", "412", "388"])
