"""One-page briefing of a learning summary, for an LSCG meeting pack (Markdown or DOCX).

Transport-free: takes a `LearningSummary`, returns text or writes a file. Points are verbatim
quotes, so they are set in quotation marks with their location; the source list closes the page.
"""

from __future__ import annotations

from pathlib import Path

from knowledge.errors import InvalidArgument, StoreError
from knowledge.learning.types import LearningSummary

DOC_TYPE_LABELS = {"review_learning": "practice review learning", "annual_report": "annual report",
                   "masa_plan": "safeguarding arrangements", "threshold_guidance":
                   "threshold guidance", "other": "document"}
DISCLAIMER = ("Verbatim extracts from the partnership's documents, selected automatically; "
              "check the source before relying on a point.")


def title_of(summary: LearningSummary) -> str:
    theme = summary.theme[:1].upper() + summary.theme[1:]
    return f"Learning briefing: {theme}"


def _point_location(citation) -> str:
    parts = []
    if citation.section:
        parts.append(citation.section)
    if citation.page is not None:
        parts.append(f"p. {citation.page}")
    return ", ".join(parts)


def _source_line(doc) -> str:
    label = DOC_TYPE_LABELS.get(doc.doc_type, doc.doc_type)
    year = f", {doc.year}" if doc.year else ""
    name = Path(doc.source).name if doc.source else ""
    return f"{doc.title} ({label}{year})" + (f" — {name}" if name else "")


def _scope(summary: LearningSummary) -> str:
    bits = [f"Generated {summary.generated.isoformat()}"]
    if summary.partnership:
        bits.append(f"partnership: {summary.partnership}")
    if summary.since:
        bits.append(f"documents since {summary.since.isoformat()}")
    return " · ".join(bits)


def to_markdown(summary: LearningSummary) -> str:
    """The briefing as Markdown: title, date, points grouped by document, sources."""
    if not isinstance(summary, LearningSummary):
        raise InvalidArgument(f"expected a LearningSummary, got {type(summary).__name__}")
    lines = [f"# {title_of(summary)}", "", f"*{_scope(summary)}*", ""]
    if summary.thin:
        lines += [f"> **Thin evidence.** {summary.message}", ""]
        if summary.suggestions:
            lines += [f"Themes with more evidence: {', '.join(summary.suggestions)}.", ""]
    else:
        lines += [summary.message, ""]
    if summary.points:
        lines += ["## Key learning", ""]
        number = 0
        for doc, points in summary.groups():
            lines += [f"### {doc.title}", ""]
            for point in points:
                number += 1
                where = _point_location(point.citation)
                quote = point.text.replace("\n", " ")
                lines.append(f"{number}. “{quote}”" + (f" — *{where}*" if where else ""))
                if point.also:
                    also = "; ".join(c.location for c in point.also)
                    lines.append(f"   *Also made in: {also}*")
            lines.append("")
        lines += ["## Sources", ""]
        lines += [f"{i}. {_source_line(doc)}" for i, doc in enumerate(summary.sources, 1)]
        lines.append("")
    lines += [f"*{DISCLAIMER}*", ""]
    return "\n".join(lines)


def to_docx(summary: LearningSummary, path: Path) -> Path:
    """Write the briefing as a one-page Word document (10pt, narrow margins); returns the path."""
    if not isinstance(summary, LearningSummary):
        raise InvalidArgument(f"expected a LearningSummary, got {type(summary).__name__}")
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise InvalidArgument(f"the briefing path must end in .docx, got {path.name!r}")
    from docx import Document
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    for section in document.sections:
        section.top_margin = section.bottom_margin = Cm(1.6)
        section.left_margin = section.right_margin = Cm(1.8)
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(3)
    document.core_properties.title = title_of(summary)
    document.core_properties.subject = "Learning briefing"

    document.add_heading(title_of(summary), level=1)
    scope = document.add_paragraph()
    run = scope.add_run(_scope(summary))
    run.italic = True
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    message = document.add_paragraph()
    if summary.thin:
        message.add_run("Thin evidence. ").bold = True
    message.add_run(summary.message)
    if summary.thin and summary.suggestions:
        document.add_paragraph(f"Themes with more evidence: {', '.join(summary.suggestions)}.")

    if summary.points:
        document.add_heading("Key learning", level=2)
        for doc, points in summary.groups():
            heading = document.add_paragraph()
            heading.add_run(doc.title).bold = True
            heading.paragraph_format.space_before = Pt(4)
            for point in points:
                item = document.add_paragraph(style="List Number")
                item.add_run(f"“{point.text.replace(chr(10), ' ')}”")
                where = _point_location(point.citation)
                if where:
                    tail = item.add_run(f" — {where}")
                    tail.italic = True
                    tail.font.size = Pt(9)
                if point.also:
                    also = item.add_run(" (also made in: "
                                        + "; ".join(c.location for c in point.also) + ")")
                    also.italic = True
                    also.font.size = Pt(9)
        document.add_heading("Sources", level=2)
        for doc in summary.sources:
            line = document.add_paragraph(_source_line(doc), style="List Bullet")
            for run in line.runs:
                run.font.size = Pt(9)
    footer = document.add_paragraph()
    note = footer.add_run(DISCLAIMER)
    note.italic = True
    note.font.size = Pt(8)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        document.save(str(path))
    except OSError as exc:
        raise StoreError(f"could not write the briefing to {path}: {exc}") from exc
    return path
