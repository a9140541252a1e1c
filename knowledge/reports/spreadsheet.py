"""Spreadsheet exports for the business unit: submissions as CSV, or a workbook with
submissions, knowledge gaps and usage. All text was redacted when it was stored."""

from __future__ import annotations

import csv
from pathlib import Path

from knowledge.errors import FeedbackError, InvalidArgument
from knowledge.feedback.models import Submission

FORMATS = ("csv", "xlsx")
COLUMNS = ("id", "created_at", "kind", "kind_label", "theme", "agency", "locality", "text",
           "consent_to_quote", "may_contact", "submitter", "channel", "redactions")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Stop spreadsheet programs running text as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def submission_row(item: Submission) -> list:
    return [
        item.id, item.created_at.strftime("%Y-%m-%d %H:%M:%S"), item.kind, item.kind_label,
        item.theme, item.agency, item.locality, item.text,
        "yes" if item.consent_to_quote else "no", "yes" if item.may_contact else "no",
        item.submitter or "", item.channel,
        ", ".join(f"{k}={v}" for k, v in sorted(item.redactions.items())),
    ]


def export(store, *, since, until, out: Path, fmt: str = "csv") -> Path:
    """Write the period's records to `out`; returns the path written."""
    if fmt not in FORMATS:
        raise InvalidArgument(f"export format {fmt!r} is not one of {', '.join(FORMATS)}")
    out = Path(out)
    items = store.submissions(since, until)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            with out.open("w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow(COLUMNS)
                writer.writerows([safe_cell(v) for v in submission_row(i)] for i in items)
        else:
            _xlsx(store, items, since, until, out)
    except OSError as exc:
        raise FeedbackError(f"cannot write {out}: {exc.strerror}") from exc
    return out


def _xlsx(store, items: list[Submission], since, until, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Feedback"
    sheet.append(list(COLUMNS))
    for item in items:
        sheet.append([safe_cell(v) for v in submission_row(item)])
    gaps = book.create_sheet("Knowledge gaps")
    gaps.append(["question", "times", "unanswered", "marked unhelpful", "last seen",
                 "what was wrong"])
    for gap in store.gaps(since, until):
        gaps.append([safe_cell(gap.question), gap.count, gap.unanswered, gap.not_helpful,
                     gap.last_seen.strftime("%Y-%m-%d"),
                     safe_cell(" | ".join(gap.comments))])
    usage = store.usage(since, until)
    sheet_usage = book.create_sheet("Usage")
    for label, value in (("questions asked", usage.questions), ("answered", usage.answered),
                         ("abstained (knowledge gaps)", usage.abstained),
                         ("marked helpful", usage.helpful),
                         ("marked not helpful", usage.not_helpful),
                         ("distinct people asking", usage.users)):
        sheet_usage.append([label, value])
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    sheet.column_dimensions["H"].width = 80
    book.save(out)
