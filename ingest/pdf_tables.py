"""Tables in text PDFs: find them in pypdf's layout-mode text, turn rows into sentences.

pypdf's plain text runs a row's cells together ("Rapid review Case Review Group within 15
working days"). Its layout mode keeps the page geometry, so cells are separated by runs of
spaces and a table's columns start at the same offsets line after line. Justified prose also
has wide gaps, but never at the same offsets on consecutive lines, so alignment is the test.
Rows found this way replace the matching plain-text lines; everything else is left alone.
"""

from __future__ import annotations

import logging
import re

from ingest.tables import table_sentences

log = logging.getLogger(__name__)

#: Cells are separated by at least this many spaces in layout text.
_GAP = re.compile(r"\S+(?:  ?\S+)*")
#: Column starts may drift this many characters between rows (proportional fonts).
_ALIGN_SLACK = 2
#: A table has a header and at least two rows; more than this many cells is word-spaced prose.
_MIN_ROWS, _MIN_COLUMNS, _MAX_COLUMNS = 3, 2, 8
#: Pages worth the (1.5x plain) cost of layout extraction: this many consecutive short lines
#: without sentence punctuation, as table rows look in plain text.
_SHORT_LINE, _MIN_SHORT_RUN = 100, 3


def might_have_table(plain: str) -> bool:
    run = 0
    for line in plain.splitlines():
        stripped = line.strip()
        if stripped and len(stripped) <= _SHORT_LINE and not stripped.endswith((".", ";", ",")):
            run += 1
            if run >= _MIN_SHORT_RUN:
                return True
        else:
            run = 0
    return False


def _cells(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group().strip()) for m in _GAP.finditer(line)]


def _column(starts: list[int], position: int) -> int | None:
    for index, start in enumerate(starts):
        if abs(start - position) <= _ALIGN_SLACK:
            return index
    return None


def find_tables(layout: str) -> list[list[list[str]]]:
    """Each table as rows of cell texts (first row the header), from layout-mode text."""
    tables: list[list[list[str]]] = []
    lines = layout.splitlines()
    index = 0
    while index < len(lines):
        head = _cells(lines[index])
        if not _MIN_COLUMNS <= len(head) <= _MAX_COLUMNS:
            index += 1
            continue
        starts = [start for start, _ in head]
        rows = [[text for _, text in head]]
        following = index + 1
        while following < len(lines):
            cells = _cells(lines[following])
            if not cells:
                break
            columns = [_column(starts, start) for start, _ in cells]
            if None in columns or len(set(columns)) != len(columns):
                break
            row = [""] * len(starts)
            for column, (_, text) in zip(columns, cells, strict=True):
                row[column] = text
            if columns[0] != 0 and len(rows) > 1:  # a wrapped cell continues the row above
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], row, strict=True)]
            elif len(cells) >= _MIN_COLUMNS:
                rows.append(row)
            else:
                break
            following += 1
        if len(rows) >= _MIN_ROWS and all(_has_words(column) for column in zip(*rows, strict=True)):
            tables.append(rows)
            index = following
        else:
            index += 1
    return tables


def _has_words(column: tuple[str, ...]) -> bool:
    """A column of only bullets or list numbers ("•", "1.") makes a list, not a table."""
    return any(len(re.findall(r"[A-Za-z]", cell)) >= 3 for cell in column)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def replace_rows(plain_lines: list[str], layout: str) -> list[tuple[str, bool]]:
    """Plain lines with each table's lines replaced by its row sentences: (text, is_row).
    A table whose rows are not found line for line in the plain text is left as it was."""
    out = [(line, False) for line in plain_lines]
    keys = [_squash(line) for line in plain_lines]
    for rows in find_tables(layout):
        wanted = [_squash(" ".join(c for c in row if c)) for row in rows]
        for start in range(len(keys) - len(wanted) + 1):
            if keys[start:start + len(wanted)] == wanted:
                sentences = table_sentences(rows)
                out[start:start + len(wanted)] = [(s, True) for s in sentences] + [
                    (None, False)] * (len(wanted) - len(sentences))
                keys[start:start + len(wanted)] = [""] * len(wanted)
                break
    return [(text, is_row) for text, is_row in out if text is not None]


def page_lines(page, plain: str) -> list[tuple[str, bool]]:
    """A pypdf page's plain-text lines, table rows as sentences when a table is found."""
    from pypdf.errors import PyPdfError

    lines = plain.splitlines()
    if not might_have_table(plain):
        return [(line, False) for line in lines]
    try:
        layout = page.extract_text(extraction_mode="layout") or ""
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            ZeroDivisionError) as exc:  # layout mode is best effort: plain text is kept
        log.debug("layout extraction failed: %s", type(exc).__name__)
        return [(line, False) for line in lines]
    return replace_rows(lines, layout)
