"""Tables in text PDFs: find them in pypdf's layout-mode text, turn rows into sentences.

pypdf's plain text runs a row's cells together ("Rapid review Case Review Group within 15
working days"). Its layout mode keeps the page geometry, so cells are separated by runs of
spaces and a table's columns start at the same offsets line after line. Justified prose also
has wide gaps, but never at the same offsets on consecutive lines, so alignment is the test.

Cells that wrap make a row several layout lines, and a short label in the first column may
sit on the middle one (cells centred vertically), so layout lines alone cannot say where a row
starts. The plain text can: most PDF writers draw a table cell by cell, so plain text lists a
row's first cell, then its second, and a new row begins when the column goes back left. Each
plain line is matched to the layout fragments it holds; the matched plain lines are replaced by
the row sentences and everything else is left alone. A table cut by a page break continues on
the next page when that page repeats its header row (`PageTables` carries it over).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ingest.tables import table_sentences

log = logging.getLogger(__name__)

#: Cells are separated by at least this many spaces in layout text.
_GAP = re.compile(r"\S+(?:  ?\S+)*")
#: Column starts may drift this many characters between rows (proportional fonts).
_ALIGN_SLACK = 2
#: A table has a header and at least two rows; more than this many cells is word-spaced prose.
_MIN_ROWS, _MIN_COLUMNS, _MAX_COLUMNS = 3, 2, 8
#: ...or a header and one row when it continues a table from the previous page.
_MIN_CONTINUED_ROWS = 2
#: Pages worth the (1.5x plain) cost of layout extraction: this many consecutive short lines
#: without sentence punctuation, as table rows look in plain text.
_SHORT_LINE, _MIN_SHORT_RUN = 100, 3
#: A cell holding only a bullet glyph or a list number ("•", "1.", "(a)") makes a list.
_MARKER = re.compile(r"[•●▪■◦○‣∙·►▶➢✓✔\uf0b7\uf0a7*–-]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]")


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


@dataclass
class Candidate:
    """An aligned block of layout lines: `lines[i]` holds (column, text) fragments, the first
    line the header cells."""

    starts: list[int]
    lines: list[list[tuple[int, str]]] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return [text for _, text in self.lines[0]]


def _fragments(line: str, starts: list[int]) -> list[tuple[int, str]] | None:
    """The line's cells as (column, text), or None when it does not fit the columns: a cell
    off the column starts, two cells in one column, or text running into the next column
    (prose under a table)."""
    out = []
    for position, text in _split_at_columns(_cells(line), starts):
        column = _column(starts, position)
        if column is None or (out and column <= out[-1][0]):
            return None
        if column + 1 < len(starts) and position + len(text) >= starts[column + 1]:
            return None
        out.append((column, text))
    return out


def _split_at_columns(cells: list[tuple[int, str]], starts: list[int]
                      ) -> list[tuple[int, str]]:
    """Cells split where two spaces fall right before a column start: a full cell leaves
    only two spaces before the next column ("or likely significant  Ravensholt")."""
    out = []
    for position, text in cells:
        piece_start = 0
        for gap in re.finditer(r"  (?=\S)", text):
            if _column(starts, position + gap.end()) is not None:
                out.append((position + piece_start, text[piece_start:gap.start()]))
                piece_start = gap.end()
        out.append((position + piece_start, text[piece_start:]))
    return out


def find_candidates(layout: str) -> list[Candidate]:
    """Blocks of layout lines aligned on a header line's cell starts (the rows are grouped
    later, with the plain text: see `group_rows`)."""
    found: list[Candidate] = []
    lines = layout.splitlines()
    index = 0
    while index < len(lines):
        head = _cells(lines[index])
        if not _MIN_COLUMNS <= len(head) <= _MAX_COLUMNS:
            index += 1
            continue
        candidate = Candidate([start for start, _ in head])
        candidate.lines.append(list(enumerate(text for _, text in head)))
        following = index + 1
        while following < len(lines):
            fragments = _fragments(lines[following], candidate.starts)
            if not fragments:
                break
            candidate.lines.append(fragments)
            following += 1
        if len(candidate.lines) >= _MIN_CONTINUED_ROWS:
            found.append(candidate)
        index = following if len(candidate.lines) >= _MIN_ROWS else index + 1
    return found


def find_tables(layout: str) -> list[list[list[str]]]:
    """Each table as rows of cell texts (first row the header), from layout text alone: a
    layout line with text in the first column starts a row (used when no plain text matches)."""
    tables = []
    for candidate in find_candidates(layout):
        order = [(n, column, text) for n, line in enumerate(candidate.lines)
                 for column, text in line]
        rows = group_rows([[item] for item in order], len(candidate.starts), by_cell=False)
        if _is_table(rows, _MIN_ROWS):
            tables.append(rows)
    return tables


def group_rows(plain_order: list[list[tuple[int, int, str]]], width: int, *,
               by_cell: bool) -> list[list[str]]:
    """Rows of cell texts from fragments (layout line, column, text) in plain-text order, one
    list per plain line. Drawn cell by cell (`by_cell`), a row starts where the column goes
    back left; drawn line by line, where a layout line has text in the first column beside
    other cells (a first-column label that wraps alone continues its row)."""
    rows: list[list[list[str]]] = []
    last_column = width
    line_columns: dict[int, set[int]] = {}
    for group in plain_order:
        for line, column, _ in group:
            line_columns.setdefault(line, set()).add(column)
    seen_lines: set[int] = set()
    for group in plain_order:
        first_line, first_column, _ = group[0]
        if by_cell:
            new_row = not rows or first_column < last_column
        else:
            new_row = not rows or (first_line not in seen_lines and 0 in line_columns[first_line]
                                   and len(line_columns[first_line]) > 1)
        if new_row:
            rows.append([[] for _ in range(width)])
        for line, column, text in group:
            rows[-1][column].append(text)
            seen_lines.add(line)
        last_column = group[-1][1]
    return [[_join(parts) for parts in row] for row in rows]


def _join(parts: list[str]) -> str:
    """A wrapped cell's lines as one text; a word broken without a hyphen inside an address
    ("name@exam" / "ple.org") is rejoined."""
    out = ""
    for part in parts:
        glued = out and ("@" in out.split()[-1] or part.startswith("@")) and " " not in part
        out = f"{out}{part}" if glued else f"{out} {part}".strip()
    return out


def _is_table(rows: list[list[str]], min_rows: int) -> bool:
    """Enough rows, no column of bullets or list numbers, and some words."""
    if len(rows) < min_rows:
        return False
    columns = list(zip(*rows, strict=True))
    if any(all(not cell or _MARKER.fullmatch(cell) for cell in column[1:]) for column in columns):
        return False
    return any(len(re.findall(r"[A-Za-z]", cell)) >= 3 for column in columns for cell in column)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _match_plain(plain: list[str], start: int, candidate: Candidate
                 ) -> tuple[int, list[list[tuple[int, int, str]]]] | None:
    """Plain lines from `start` that hold exactly the candidate's fragments: (end, fragments
    of each plain line, in reading order). Among equal texts the topmost unused fragment is
    taken, as drawing goes top to bottom."""
    left = {(n, column): text for n, line in enumerate(candidate.lines) for column, text in line}
    keys = {key: _squash(text) for key, text in left.items()}
    order: list[list[tuple[int, int, str]]] = []
    index = start
    budget = [_MATCH_BUDGET]
    while left and index < len(plain):
        found = _split_line(_squash(plain[index]), left, keys, budget)
        if not found:
            return None
        order.append([(n, column, left.pop((n, column))) for n, column in found])
        index += 1
    return (index, order) if not left else None


#: Steps allowed to find one table's fragments in the plain text (repeated short cells such
#: as "Yes" could otherwise make the search slow); a table not found stays plain text.
_MATCH_BUDGET = 5000


def _split_line(target: str, left: dict, keys: dict, budget: list[int]
                ) -> list[tuple[int, int]] | None:
    """The unused fragments whose texts, in order, make up one plain line: usually cells of
    one layout line, but pypdf joins the lines of a cell that sit close to a neighbour's."""
    if not target:
        return []
    for key in sorted(left):
        budget[0] -= 1
        if budget[0] < 0:
            return None
        text = keys[key]
        if target == text or target.startswith(text + " "):
            taken = left.pop(key)
            rest = _split_line(target[len(text):].lstrip(), left, keys, budget)
            left[key] = taken
            if rest is not None:
                return [key, *rest]
    return None


def replace_rows(plain_lines: list[str], layout: str, carried: list[str] | None = None,
                 continues: list[str] | None = None
                 ) -> tuple[list[tuple[str, bool]], list[str] | None]:
    """Plain lines with each table's lines replaced by its row sentences: (text, is_row), and
    the header of the page's last table (to recognise its continuation on the next page). A
    table whose fragments are not found in the plain text is left as it was. `carried` is the
    previous page's last table header: a table repeating it needs only one row; `continues`
    the next page's first table header: a table the page break cuts after one row (its header
    repeated over the next page's rows) needs only that row too."""
    out: list[tuple[str | None, bool]] = [(line, False) for line in plain_lines]
    used = [False] * len(plain_lines)
    last_header = None
    for candidate in find_candidates(layout):
        header = [_squash(c) for c in candidate.header]
        continued = any(other is not None and header == [_squash(c) for c in other]
                        for other in (carried, continues))
        min_rows = _MIN_CONTINUED_ROWS if continued else _MIN_ROWS
        for start in range(len(plain_lines)):
            if used[start]:
                continue
            matched = _match_plain(plain_lines, start, candidate)
            if matched is None:
                continue
            end, order = matched
            if any(used[start:end]):
                continue
            flat = [item for group in order for item in group]
            by_cell = flat != sorted(flat)
            rows = group_rows(order, len(candidate.starts), by_cell=by_cell)
            if not _is_table(rows, min_rows):
                break
            sentences = table_sentences(rows)
            out[start:end] = [(s, True) for s in sentences] + [(None, False)] * (
                end - start - len(sentences))
            used[start:end] = [True] * (end - start)
            last_header = candidate.header
            break
    return [(text, is_row) for text, is_row in out if text is not None], last_header


class PageTables:
    """Reads one PDF's pages in order, carrying the last table's header across page breaks."""

    def __init__(self) -> None:
        self.carried: list[str] | None = None
        self._layouts: dict[int, str | None] = {}  # the next page's layout, read once

    def _layout(self, page) -> str | None:
        from pypdf.errors import PyPdfError

        key = id(page)
        if key not in self._layouts:
            self._layouts.clear()
            try:
                self._layouts[key] = page.extract_text(extraction_mode="layout") or ""
            except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
                    ZeroDivisionError) as exc:  # layout mode is best effort: plain text is kept
                log.debug("layout extraction failed: %s", type(exc).__name__)
                self._layouts[key] = None
        return self._layouts[key]

    def page_lines(self, page, plain: str, next_page=None) -> list[tuple[str, bool]]:
        """A pypdf page's plain-text lines, table rows as sentences when a table is found
        (`next_page`: to see whether a table cut by the page break continues there)."""
        lines = plain.splitlines()
        # a table's header and first row alone at the foot of a page are too short a run to
        # look like a table, unless the next page goes on with the same header
        tail = [line for line in lines if line.strip()][-2:]
        cut = next_page is not None and len(tail) == 2 and all(
            len(line) < _SHORT_LINE for line in tail)
        layout = self._layout(page) if might_have_table(plain) or cut else None
        if layout is None:
            self.carried = None
            return [(line, False) for line in lines]
        following = self._layout(next_page) if next_page is not None else None
        first = find_candidates(following)[:1] if following else []
        out, self.carried = replace_rows(lines, layout, self.carried,
                                         first[0].header if first else None)
        return out


def page_lines(page, plain: str) -> list[tuple[str, bool]]:
    """One page on its own (no table carried over from a previous page)."""
    return PageTables().page_lines(page, plain)
