"""Build the fictional Wyvernshire sample corpus in samples/ from the Markdown sources.

The sources live in scripts/sample_sources/ (outside samples/, so `sgbot ingest samples/`
ingests exactly the four published documents). PDFs are laid out like council PDFs: a cover
page, a running header, "Page N of M" footers, bullet glyphs and ruled tables, so the cleaner
has real work to do. The DOCX uses Word's own Heading, List Bullet and table styles.

    .venv/bin/python scripts/build_samples.py        # needs fpdf2 (dev extra) and python-docx
    .venv/bin/python scripts/build_samples.py bench/training/sources bench/training/docs

The generated files are committed; rebuild only after editing a source.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "sample_sources"
SAMPLES = ROOT / "samples"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FIXED_DATE = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)  # reproducible document metadata

PDFS = ("wyvernshire-masa-plan-2025", "wyvernshire-annual-report-2024-25")
DOCXS = ("wyvernshire-threshold-guidance",)
MARKDOWN = ("cspr-learning-brief-baby-k",)


@dataclass
class Element:
    kind: str  # title | heading | para | bullet | number | table
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Source:
    meta: dict[str, str]
    elements: list[Element]


def parse(path: Path) -> Source:
    """The small Markdown subset the sources use: front matter, #/##/###, -, 1., | tables."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    match = re.match(r"\A---\n(.*?)\n---\n", text, re.S)
    if match:
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
        text = text[match.end():]
    elements: list[Element] = []
    table: Element | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith("|"):
            table = None
        if not line:
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(re.fullmatch(r"-{3,}", c) for c in cells):
                continue
            if table is None:
                table = Element("table")
                elements.append(table)
            table.rows.append(cells)
        elif line.startswith("#"):
            hashes, _, title = line.partition(" ")
            kind = "title" if len(hashes) == 1 else "heading"
            elements.append(Element(kind, title.strip(), level=len(hashes) - 1))
        elif line.startswith("- "):
            elements.append(Element("bullet", line[2:].strip()))
        elif re.match(r"\d+\.\s", line):
            elements.append(Element("number", line))
        else:
            elements.append(Element("para", line))
    return Source(meta, elements)


# --- PDF -------------------------------------------------------------------------------------


def build_pdf(source: Source, out: Path) -> None:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    header_text = source.meta.get("header", "")

    class CouncilPDF(FPDF):
        def header(self) -> None:
            if self.page_no() == 1:
                return
            self.set_font(family, "", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 6, header_text, align="L")
            self.ln(10)
            self.set_text_color(0, 0, 0)

        def footer(self) -> None:
            if self.page_no() == 1:
                return
            self.set_y(-14)
            self.set_font(family, "", 8)
            self.set_text_color(90, 90, 90)
            self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")
            self.set_text_color(0, 0, 0)

    pdf = CouncilPDF(format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_title(source.meta["title"])
    pdf.set_author(source.meta.get("author", "Wyvernshire Safeguarding Children Partnership"))
    pdf.set_creator("WSCP sample builder")
    family = _register_fonts(pdf)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_margins(20, 18, 20)
    elements = list(source.elements)

    # cover page: a letter-spaced banner, placed glyph by glyph as design software exports it
    pdf.add_page()
    pdf.set_font(family, "B", 14)
    _letter_spaced(pdf, "SAFEGUARDING CHILDREN & YOUNG PEOPLE", pdf.l_margin, 60)
    pdf.set_y(72)
    title = elements.pop(0)
    pdf.set_font(family, "B", 24)
    pdf.multi_cell(0, 12, title.text, align="L")
    pdf.ln(4)
    pdf.set_font(family, "", 12)
    while elements and elements[0].kind == "para":
        pdf.multi_cell(0, 7, elements.pop(0).text, align="L")
        pdf.ln(2)
    pdf.add_page()

    for element in elements:
        if element.kind == "heading":
            size = 15 if element.level == 1 else 12
            if pdf.get_y() > 240:
                pdf.add_page()
            pdf.ln(4)
            pdf.set_font(family, "B", size)
            pdf.multi_cell(0, 8, element.text, align="L")
            pdf.ln(2)
        elif element.kind == "para":
            pdf.set_font(family, "", 10.5)
            _wrapped(pdf, element.text, pdf.l_margin)
            pdf.ln(3)
        elif element.kind in {"bullet", "number"}:
            pdf.set_font(family, "", 10.5)
            if element.kind == "bullet":
                pdf.set_x(pdf.l_margin + 4)
                pdf.cell(6, 5.6, "•")
            _wrapped(pdf, element.text, pdf.l_margin + 10)
            pdf.ln(1.5)
        elif element.kind == "table":
            pdf.ln(2)
            pdf.set_font(family, "", 9.5)
            heading = FontFace(emphasis="BOLD", fill_color=(222, 230, 240))
            with pdf.table(headings_style=heading, line_height=5.5, text_align="LEFT") as table:
                for row in element.rows:
                    cells = table.row()
                    for value in row:
                        cells.cell(value)
            pdf.ln(4)
    pdf.output(str(out))


#: Where long words may break across lines ("safe-" / "guarding"), as typesetting does.
HYPHENATION = {"safeguarding": 4, "practitioners": 6, "arrangements": 7, "exploitation": 7,
               "partnership": 7, "information": 5, "assessment": 6, "professional": 7,
               "responsibility": 8, "constabulary": 7, "commissioned": 6, "recommendations": 9,
               "communication": 6, "development": 7, "independent": 5, "notifications": 7}


def _wrapped(pdf, text: str, left: float, height: float = 5.6) -> None:
    """Left-aligned lines, hyphenating listed words that straddle the margin."""
    width = pdf.w - pdf.r_margin - left
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if pdf.get_string_width(candidate) <= width:
            current = candidate
            continue
        core = re.match(r"[A-Za-z]+", word)
        cut = HYPHENATION.get(core.group(0).lower()) if core else None
        if current and cut and core and cut < len(core.group(0)):
            head = f"{current} {word[:cut]}-"
            if pdf.get_string_width(head) <= width:
                lines.append(head)
                current = word[cut:]
                continue
        if current:
            lines.append(current)
        current = word
    if current:
        lines.append(current)
    for line in lines:
        pdf.set_x(left)
        pdf.cell(width, height, line, new_x="LMARGIN", new_y="NEXT")


def _letter_spaced(pdf, text: str, x: float, y: float) -> None:
    """Each glyph its own text object with uneven tracking, so extraction yields 'C HIL D RE N'."""
    gaps = (1.2, 1.8, 0.3, 1.5, 0.4)
    count = 0
    for word in text.split():
        for char in word:
            pdf.text(x, y, char)
            x += pdf.get_string_width(char) + gaps[count % len(gaps)]
            count += 1
        x += 4


def _register_fonts(pdf) -> str:
    """DejaVu (embedded, Unicode) when installed; else core Helvetica."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu"
    print("DejaVu fonts not found; using Helvetica (Latin-1 only)", file=sys.stderr)
    return "helvetica"


# --- DOCX ------------------------------------------------------------------------------------


def build_docx(source: Source, out: Path) -> None:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.title = source.meta["title"]
    props.author = source.meta.get("author", "")
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)
    props.last_modified_by = source.meta.get("builder", "sample builder")
    props.revision = 1
    section = document.sections[0]
    header = source.meta.get("header", "")
    section.header.paragraphs[0].text = header.partition(" | ")[0]
    section.footer.paragraphs[0].text = source.meta.get(
        "footer", header.partition(" | ")[2] or source.meta["title"])
    document.styles["Normal"].font.size = Pt(11)
    for element in source.elements:
        if element.kind == "title":
            document.add_heading(element.text, level=0)
        elif element.kind == "heading":
            document.add_heading(element.text, level=element.level)
        elif element.kind == "para":
            document.add_paragraph(element.text)
        elif element.kind == "bullet":
            document.add_paragraph(element.text, style="List Bullet")
        elif element.kind == "number":
            document.add_paragraph(re.sub(r"^\d+\.\s+", "", element.text), style="List Number")
        elif element.kind == "table":
            table = document.add_table(rows=0, cols=len(element.rows[0]))
            table.style = "Table Grid"
            for index, row in enumerate(element.rows):
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = value
                    if index == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    _rezip_with_fixed_dates(buffer.getvalue(), out)


def _rezip_with_fixed_dates(data: bytes, out: Path) -> None:
    """Word files are zips stamped with the save time; fix the stamps so rebuilds are identical."""
    stamp = FIXED_DATE.timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            target.writestr(info, source.read(item.filename))


# --- HTML ------------------------------------------------------------------------------------


_NUMBERING = re.compile(r"^\d+\.\s+")


def build_html(source: Source, out: Path) -> None:
    """A council web page: the document inside site navigation, a breadcrumb, a cookie banner
    and a footer, which ingestion must leave out."""
    from html import escape

    site = source.meta.get("header", source.meta["title"]).partition(" | ")[0]
    body: list[str] = []
    open_list = ""
    for element in source.elements:
        tag = {"bullet": "ul", "number": "ol"}.get(element.kind, "")
        if open_list and tag != open_list:
            body.append(f"</{open_list}>")
            open_list = ""
        if tag and not open_list:
            body.append(f"<{tag}>")
            open_list = tag
        text = escape(element.text)
        if element.kind == "title":
            body.append(f"<h1>{text}</h1>")
        elif element.kind == "heading":
            body.append(f"<h{element.level + 1}>{text}</h{element.level + 1}>")
        elif element.kind == "para":
            body.append(f"<p>{text}</p>")
        elif tag:
            body.append(f"<li>{escape(_NUMBERING.sub('', element.text))}</li>")
        elif element.kind == "table":
            head, *rows = element.rows
            body.append("<table><thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in head)
                        + "</tr></thead><tbody>")
            body += ["<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                     for row in rows]
            body.append("</tbody></table>")
    if open_list:
        body.append(f"</{open_list}>")
    menu = "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in
                   ("Home", "Professionals", "Parents and carers", "Children and young people",
                    "Training", "Contact us"))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(source.meta["title"])} | {escape(site)}</title></head>
<body>
<div class="cookie-banner">
<p>We use cookies to make this site work and to understand how you use it.</p>
<button>Accept all cookies</button> <button>Reject optional cookies</button></div>
<header><a class="logo" href="/">{escape(site)}</a><nav><ul>{menu}</ul></nav></header>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/professionals">Professionals</a> &gt;
{escape(source.meta["title"])}</div>
<main><article>
{chr(10).join(body)}
</article></main>
<footer><ul><li><a href="/accessibility">Accessibility statement</a></li>
<li><a href="/privacy">Privacy notice</a></li><li><a href="/cookies">Cookies</a></li></ul>
<p>&copy; {escape(site)} 2025. All rights reserved.</p></footer>
</body></html>
"""
    out.write_text(page, encoding="utf-8")


def build_folder(sources: Path, out: Path) -> None:
    """Every source in a folder, each in the format its front matter names (pdf, docx, html,
    md), e.g. the team-written training documents of bench/training."""
    builders = {"pdf": build_pdf, "docx": build_docx, "html": build_html}
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(sources.glob("*.md")):
        source = parse(path)
        kind = source.meta.get("format", "md")
        target = out / f"{path.stem}.{kind}"
        if kind == "md":
            shutil.copyfile(path, target)
        else:
            builders[kind](source, target)
        print(f"{target}  {target.stat().st_size:,} bytes")


def main() -> int:
    if len(sys.argv) == 3:  # build_samples.py SOURCES OUT
        build_folder(Path(sys.argv[1]), Path(sys.argv[2]))
        return 0
    SAMPLES.mkdir(exist_ok=True)
    for name in PDFS:
        build_pdf(parse(SOURCES / f"{name}.md"), SAMPLES / f"{name}.pdf")
    for name in DOCXS:
        build_docx(parse(SOURCES / f"{name}.md"), SAMPLES / f"{name}.docx")
    for name in MARKDOWN:
        shutil.copyfile(SOURCES / f"{name}.md", SAMPLES / f"{name}.md")
    for path in sorted(SAMPLES.iterdir()):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
