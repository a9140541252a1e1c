"""Table rows as quotable sentences, the same form for every format (HTML, DOCX, PDF, Markdown).

A fact that only exists in a table row ("Rapid review | Case Review Group | 15 working days")
is useless quoted as run-together cells: the reader loses which value is which. Each row becomes
one line that names its columns and ends with a full stop, so the sentence splitter keeps it as
one unit the answerer can quote whole:

    "Stage: Rapid review; Who: Case Review Group; Timescale: within 15 working days."

Without a header row, a two-column row reads "Label: value." and wider rows join their cells
with "; ".
"""

from __future__ import annotations

import re

#: A header cell is a short label; longer cells are data (prose, addresses).
MAX_HEADER_CHARS = 60
#: ...and a few words: "Meeting title | Children and Young People's Committee" is a form's
#: first label/value pair, not two column names.
MAX_HEADER_WORDS = 4
#: A year or financial year ("2024", "2023-24", "2024/25") beside a word label names a
#: column ("Measure | 2023-24 | 2024-25"), though it is all digits.
_PERIOD = re.compile(r"(?:19|20)\d\d(?:\s*[-/–]\s*(?:(?:19|20)?\d\d))?")
_SPACES = re.compile(r"\s+")
_END = (".", "!", "?")


def clean_cell(text: str) -> str:
    """One line of text, trailing full stops dropped (the row adds its own)."""
    text = _SPACES.sub(" ", text).strip()
    while text.endswith((".", ";", ",")) and not text.endswith("..."):
        text = text[:-1].rstrip()
    return text


def is_header_row(cells: list[str]) -> bool:
    """Short labels in every column and no sentence: reads as column headers."""
    values = [clean_cell(c) for c in cells]
    if len(values) < 2 or not all(values):
        return False
    if len(set(v.lower() for v in values)) < len(values):
        return False  # repeated values are merged data cells, not distinct column names
    periods = [bool(_PERIOD.fullmatch(v)) for v in values]
    if all(periods):
        return False  # a row of years alone is data
    return all(len(v) <= MAX_HEADER_CHARS and len(v.split()) <= MAX_HEADER_WORDS
               and (period or not re.fullmatch(r"[\d.,%£$ -]+", v))
               and not v.endswith(":") for v, period in zip(values, periods, strict=True)
               ) and not any(raw.strip().endswith(_END) for raw in cells)


def row_sentence(cells: list[str], headers: list[str] | None = None) -> str:
    """One row as a sentence; '' when the row has no text or repeats the headers."""
    values = [clean_cell(c) for c in cells]
    if not any(values):
        return ""
    names = [clean_cell(h) for h in headers] if headers else []
    if names and [v.lower() for v in values] == [n.lower() for n in names[: len(values)]]:
        return ""  # a header row repeated on a later page
    filled = [(i, v) for i, v in enumerate(values) if v]
    if len(filled) == 1:
        text = filled[0][1]  # a row spanning the table: a group label or a note
    elif names:
        parts = []
        for index, value in filled:
            name = names[index] if index < len(names) else ""
            parts.append(f"{name}: {value}" if name and name.lower() != value.lower() else value)
        text = "; ".join(parts)
    elif len(filled) == 2:
        text = f"{filled[0][1]}: {filled[1][1]}"
    else:
        text = "; ".join(v for _, v in filled)
    return text if text.endswith(_END) else text + "."


def table_sentences(rows: list[list[str]], header_rows: int | None = None) -> list[str]:
    """Sentences for a table's rows. `header_rows` says how many leading rows are headers
    (HTML <th>/<thead>); None means guess from the first row's shape (Word, PDF)."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return []
    if header_rows is None:
        header_rows = 1 if len(rows) >= 2 and is_header_row(rows[0]) else 0
    headers = [clean_cell(c) for c in rows[header_rows - 1]] if header_rows else None
    out = []
    for row in rows[header_rows:]:
        sentence = row_sentence(row, headers)
        if sentence:
            out.append(sentence)
    return out


def table_lines(rows: list[list[str]], line_factory, header_rows: int | None = None) -> list:
    """Loader lines for a table: one bullet line per row sentence. A table with one column of
    text is a box around paragraphs (common in Word), so its cells stay paragraphs."""
    if max((sum(1 for c in row if c.strip()) for row in rows), default=0) <= 1:
        lines = []
        for row in rows:
            for cell in row:
                for paragraph in cell.split("\n"):
                    if paragraph.strip():
                        lines.append(line_factory(_SPACES.sub(" ", paragraph).strip()))
                        lines.append(line_factory("", kind="break"))
        return lines
    lines = [line_factory(s, kind="bullet") for s in table_sentences(rows, header_rows)]
    return [*lines, line_factory("", kind="break")]


def docx_rows(table) -> list[list[str]]:
    """Cell texts of a python-docx table; a merged cell counts once (later slots are empty)."""
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        texts = []
        for cell in row.cells:
            key = id(cell._tc)  # noqa: SLF001 - python-docx repeats merged cells by element
            texts.append("" if key in seen else cell.text)
            seen.add(key)
        rows.append(texts)
    return rows
