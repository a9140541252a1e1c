"""Format loaders: each turns a file into `Line`s (text, page, kind), or raises an IngestError.

Structured formats (Markdown, HTML, DOCX) say what is a heading; PDF and plain text only give
lines, and `ingest.cleaning` works out the structure.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest import problems
from ingest.encoding import decode_text
from knowledge.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    ImageOnlyDocument,
    OverLimit,
    ParseFailed,
    UnreadableFile,
    UnsupportedFormat,
)

SUPPORTED_SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html",
                      ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text"}


@dataclass
class Line:
    text: str
    page: int | None = None
    kind: str = "text"  # text | heading | bullet | cont (continues a bullet) | row | break
    level: int = 0  # heading level (1 = top)


@dataclass
class RawDocument:
    path: Path
    format: str
    lines: list[Line]
    title: str | None = None  # from document metadata, when trustworthy
    url: str | None = None
    structured: bool = False  # headings are explicit (no heuristics needed)
    pages: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def detect_format(path: Path) -> str:
    fmt = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise UnsupportedFormat(
            problems.unsupported_format(path),
            hint="supported: " + ", ".join(sorted(set(SUPPORTED_SUFFIXES))),
        )
    return fmt


def load(path: Path, *, max_pages: int | None = None) -> RawDocument:
    """`max_pages`: a PDF with more pages is refused before any page is parsed."""
    fmt = detect_format(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"{path.name}: cannot be read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise EmptyDocument(f"{path.name}: the file is empty")
    loader = {"pdf": _load_pdf, "docx": _load_docx, "html": _load_html,
              "markdown": _load_markdown, "text": _load_text}[fmt]
    doc = loader(path, data, max_pages) if fmt == "pdf" else loader(path, data)
    if not any(line.text.strip() for line in doc.lines if line.kind != "break"):
        raise EmptyDocument(f"{path.name}: no text found in the document")
    return doc


def _decode(path: Path, data: bytes) -> str:
    return decode_text(path.name, data)  # BOMs, UTF-16, cp1252; binary data is refused


# --- PDF -------------------------------------------------------------------------------------


class _PypdfErrors(logging.Handler):
    """Captures (instead of printing) what pypdf logs while one PDF is read. pypdf recovers
    from a damaged content stream by logging a warning and returning no text, so a PDF whose
    pages all failed that way is unparseable, not a scan. Cross-reference repairs
    (pypdf._reader) are routine and not counted."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self._saved: tuple[int, bool] = (logging.NOTSET, True)

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith("pypdf._reader"):
            self.messages.append(record.getMessage())

    def start(self) -> None:
        pypdf_log = logging.getLogger("pypdf")
        self._saved = (pypdf_log.level, pypdf_log.propagate)
        pypdf_log.setLevel(logging.WARNING)
        pypdf_log.propagate = False
        pypdf_log.addHandler(self)

    def stop(self) -> None:
        pypdf_log = logging.getLogger("pypdf")
        pypdf_log.removeHandler(self)
        pypdf_log.setLevel(self._saved[0])
        pypdf_log.propagate = self._saved[1]


def _load_pdf(path: Path, data: bytes, max_pages: int | None = None) -> RawDocument:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    from ingest.pdf_tables import PageTables

    pypdf_log = logging.getLogger("pypdf")
    pypdf_log.setLevel(logging.ERROR)  # malformed-but-readable noise
    if not data.lstrip().startswith(b"%PDF"):
        raise CorruptDocument(f"{path.name}: not a PDF file (no %PDF header)")
    # pypdf internals raise all sorts on damaged content streams: one bad page loses that page.
    page_failures = (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError,
                     IndexError, RecursionError, ZeroDivisionError, OverflowError)
    page_errors: list[str] = []
    pypdf_errors = _PypdfErrors()
    pypdf_errors.start()
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise EncryptedDocument(
                        f"{path.name}: the PDF is password-protected",
                        hint="save an unprotected copy and ingest that",
                    )
            except (NotImplementedError, PdfReadError) as exc:
                raise EncryptedDocument(f"{path.name}: the PDF is encrypted ({exc})") from exc
        lines: list[Line] = []
        page_count = len(reader.pages)
        if max_pages is not None and page_count > max_pages:
            raise OverLimit(problems.too_many_pages(path.name, page_count, max_pages))
        tables = PageTables()  # a table cut by a page break continues on the next page
        for number, page in enumerate(reader.pages, start=1):
            try:
                text = page.extract_text() or ""
            except page_failures as exc:
                page_errors.append(f"{type(exc).__name__}: {exc}")
                text = ""
            following = reader.pages[number] if number < page_count else None
            for raw, is_row in tables.page_lines(page, text, following):  # rows -> sentences
                lines.append(Line(raw, page=number, kind="row" if is_row else "text"))
            lines.append(Line("", page=number, kind="break"))
        meta_title = None
        if reader.metadata is not None:
            meta_title = (reader.metadata.title or "").strip() or None
    except RecursionError as exc:  # objects nested thousands deep
        raise ParseFailed(problems.could_not_parse(path.name, exc)) from exc
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorruptDocument(
            f"{path.name}: the PDF is damaged and cannot be read ({exc})") from exc
    finally:
        pypdf_errors.stop()
    if page_count == 0:
        raise EmptyDocument(f"{path.name}: the PDF has no pages")
    failures = page_errors + pypdf_errors.messages
    if failures and not any(line.text.strip() for line in lines):
        raise ParseFailed(problems.clip(f"{path.name}: could not be parsed: {failures[0]}"))
    if not any(line.text.strip() for line in lines):
        raise ImageOnlyDocument(
            f"{path.name}: none of its {page_count} pages has a text layer",
            hint="run OCR (e.g. ocrmypdf) and ingest the result",
        )
    if meta_title and (re.search(r"\.(txt|docx?|pdf|indd)$", meta_title, re.I) or
                       meta_title.lower().startswith(("microsoft word", "untitled"))):
        meta_title = None  # a file name or tool default, not a title
    return RawDocument(path, "pdf", lines, title=meta_title, pages=page_count)


# --- DOCX ------------------------------------------------------------------------------------


def _load_docx(path: Path, data: bytes) -> RawDocument:
    import io
    import zipfile

    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise CorruptDocument(f"{path.name}: not a valid Word document ({exc})") from exc
    lines: list[Line] = []
    body = document.element.body
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from ingest.tables import docx_rows, table_lines

    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.strip()
            style = (para.style.name if para.style is not None else "") or ""
            if not text:
                lines.append(Line("", kind="break"))
                continue
            match = re.match(r"Heading (\d)", style)
            if style == "Title":
                lines.append(Line(text, kind="heading", level=1))
            elif match:
                lines.append(Line(text, kind="heading", level=int(match.group(1))))
            elif "List" in style:
                lines.append(Line(text, kind="bullet"))
            else:
                lines.append(Line(text))
                lines.append(Line("", kind="break"))
        elif tag == "tbl":
            lines.extend(table_lines(docx_rows(Table(child, document)), Line))
    title = (document.core_properties.title or "").strip() or None
    return RawDocument(path, "docx", lines, title=title, structured=True)


# --- HTML ------------------------------------------------------------------------------------


def _load_html(path: Path, data: bytes) -> RawDocument:
    """Main content only (see ingest.html): no navigation, breadcrumbs, banners or footers."""
    from ingest import html

    root = html.parse(_decode(path, data))
    canonical = root.xpath("//link[@rel='canonical']/@href")
    html.strip_furniture(root)
    content = html.main_content(root)
    title = html.page_title(root, content)
    lines = html.content_lines(content, Line)
    return RawDocument(path, "html", lines, title=title, url=canonical[0] if canonical else None,
                       structured=True)


# --- Markdown and text -----------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def _load_markdown(path: Path, data: bytes) -> RawDocument:
    text = _decode(path, data)
    extra: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        for raw in match.group(1).splitlines():
            if ":" in raw:
                key, value = raw.split(":", 1)
                extra[key.strip().lower()] = value.strip().strip("'\"")
        text = text[match.end():]
    from ingest.tables import row_sentence

    lines: list[Line] = []
    in_code = False
    header: list[str] | None = None  # column names of the table being read
    table_row: list[str] | None = None  # cells of the table row just emitted
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped.startswith("|"):
            header = table_row = None
        if stripped.startswith("```"):
            in_code = not in_code
            continue
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", stripped)
        if heading and not in_code:
            lines.append(Line(_strip_inline_md(heading.group(2)), kind="heading",
                              level=len(heading.group(1))))
        elif not stripped:
            lines.append(Line("", kind="break"))
        elif re.match(r"^([-*+]|\d+[.)])\s+", stripped) and not in_code:
            item = re.sub(r"^([-*+])\s+", "", stripped)
            lines.append(Line(_strip_inline_md(item), kind="bullet"))
        elif stripped.startswith("|") and not in_code:
            cells = [_strip_inline_md(c.strip()) for c in stripped.strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                if table_row is not None:  # the row above the separator names the columns
                    lines.pop()
                    header, table_row = table_row, None
                continue
            sentence = row_sentence(cells, header)
            if sentence:
                lines.append(Line(sentence, kind="bullet"))
                table_row = cells
            continue
        elif raw[:1] in " \t" and lines and lines[-1].kind in {"bullet", "cont"}:
            lines.append(Line(_strip_inline_md(stripped), kind="cont"))  # wrapped list item
        else:
            lines.append(Line(_strip_inline_md(stripped.lstrip("> "))))
    return RawDocument(path, "markdown", lines, title=extra.get("title"), url=extra.get("url"),
                       structured=True, extra=extra)


def _strip_inline_md(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])", r"\2", text)
    return text.replace("`", "")


def _load_text(path: Path, data: bytes) -> RawDocument:
    text = _decode(path, data)
    lines: list[Line] = []
    page = 1
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "\f" in raw:  # form feed: page break in text exports
            for index, part in enumerate(raw.split("\f")):
                if index:
                    lines.append(Line("", page=page, kind="break"))
                    page += 1
                if part.strip():
                    lines.append(Line(part, page=page))
            continue
        lines.append(Line(raw, page=page) if raw.strip() else Line("", page=page, kind="break"))
    has_pages = page > 1
    if not has_pages:
        for line in lines:
            line.page = None
    return RawDocument(path, "text", lines, pages=page if has_pages else None)
