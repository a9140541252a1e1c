"""Word version of the feedback digest (python-docx), charts embedded as pictures."""

from __future__ import annotations

from pathlib import Path

from knowledge.reports.digest import METHOD_NOTE, ReportData, usage_rows


def _table(doc, headers: list[str], rows: list[tuple]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
    doc.add_paragraph()


def write_docx(data: ReportData, out: Path) -> None:
    from docx import Document
    from docx.shared import Inches

    charts = {c.key: c for c in data.charts}
    doc = Document()
    doc.core_properties.title = data.title
    if data.partnership:
        doc.core_properties.author = data.partnership
    doc.add_heading(data.title, 0)
    doc.add_paragraph(f"{data.partnership} — {data.period}" if data.partnership else data.period)
    doc.add_heading("Summary", 1)
    for line in data.summary_lines():
        doc.add_paragraph(line, style="List Bullet")
    for key, heading, rows in (("kind", "Kind", data.by_kind), ("theme", "Theme", data.by_theme),
                               ("agency", "Agency or sector", data.by_agency),
                               ("locality", "Locality", data.by_locality),
                               ("month", "Month", data.by_month)):
        doc.add_heading(f"Feedback by {heading.lower()}", 1)
        _table(doc, [heading, "Submissions"], rows)
        if key in charts:
            doc.add_picture(str(charts[key].path), width=Inches(6))
    doc.add_heading("What's working well versus what gets in the way", 1)
    _table(doc, ["Theme", "Working well", "Gets in the way", "Ideas"], data.theme_kinds)
    if "balance" in charts:
        doc.add_picture(str(charts["balance"].path), width=Inches(6))
    doc.add_heading("In practitioners' words", 1)
    if not data.quotes:
        doc.add_paragraph("No quotes with consent in this period.")
    for theme, quotes in data.quotes.items():
        doc.add_heading(theme.capitalize(), 2)
        for quote, attribution in quotes:
            doc.add_paragraph(quote, style="Intense Quote")
            doc.add_paragraph(f"— {attribution}").runs[0].italic = True
    doc.add_heading("Knowledge gaps", 1)
    doc.add_paragraph("Questions the bot could not answer, and answers marked not helpful, "
                      "most frequent first.")
    _table(doc, ["Question", "Times", "Unanswered", "Marked not helpful"],
           [(g.question, g.count, g.unanswered, g.not_helpful) for g in data.gaps])
    doc.add_heading("Usage", 1)
    _table(doc, ["Measure", "Value"], usage_rows(data.usage))
    doc.add_heading("How this was produced", 1)
    doc.add_paragraph(METHOD_NOTE)
    doc.save(str(out))
