"""Test helpers: builders for input files (text PDFs, Word files, encrypted and image-only
PDFs) and an embedder that counts its calls."""

from __future__ import annotations

from pathlib import Path

from knowledge.search.embedder import FakeEmbedder


def write_pdf(path: Path, pages: list[list[str]], *, title: str | None = None) -> Path:
    """A text PDF (core Helvetica), one list of lines per page, each line its own row."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    if title:
        pdf.set_title(title)
    pdf.set_font("helvetica", size=10)
    pdf.set_auto_page_break(False)
    for lines in pages:
        pdf.add_page()
        pdf.set_y(15)
        for line in lines:
            pdf.cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_docx(path: Path, items: list[tuple[str, str]], *, title: str | None = None) -> Path:
    """A Word file from (style, text) pairs: style is a Word style name or 'table:a|b;c|d'."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    for style, text in items:
        if style == "table":
            rows = [row.split("|") for row in text.split(";")]
            table = document.add_table(rows=0, cols=len(rows[0]))
            for row in rows:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = value
        elif style.startswith("Heading"):
            document.add_heading(text, level=int(style.split()[-1]))
        else:
            document.add_paragraph(text, style=style)
    document.save(str(path))
    return path


def encrypt_pdf(source: Path, target: Path, password: str = "s3cret") -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=password, owner_password=password, algorithm="AES-128")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def blank_pdf(path: Path, pages: int = 2) -> Path:
    """Pages with drawings but no text layer, like a scan."""
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.set_fill_color(200, 200, 200)
        pdf.rect(20, 20, 170, 250, style="F")
    pdf.output(str(path))
    return path


PARA = ("The partnership expects every practitioner to share information promptly when a child "
        "may be at risk of harm. Managers should check in supervision that this has happened.")


class CountingEmbedder(FakeEmbedder):
    """FakeEmbedder that records how many texts it was asked to embed for documents."""

    def __init__(self) -> None:
        super().__init__()
        self.document_calls = 0
        self.documents_embedded = 0

    def embed_documents(self, texts: list[str]):
        self.document_calls += 1
        self.documents_embedded += len(texts)
        return super().embed_documents(texts)
