"""Every write path of the feedback store (questions, ratings' comments, gaps, submissions)
redacts before writing: a question or comment with each chat-typed hard case never reaches the
database rows (SQLite and PostgreSQL), the report or the XLSX export verbatim."""

from __future__ import annotations

from datetime import date, timedelta

from knowledge.feedback import build_report
from knowledge.reports.spreadsheet import export
from tests.feedback.test_store import answer, raw_rows

#: Invented personal items, typed the hard ways (case, spacing, hyphens, nicknames, brackets).
HARD_ITEMS = [
    "rowan-lee pilkbury", "TAMSIN OKWUOSA", "Gaz", "mrs fennimore", "pupil R.J.",
    "kx 12 34 56 d", "wy93qt", "07 700 900 318", "(deb.halloran@example.org)",
]
QUESTION = ("what do i do about " + ", ".join(HARD_ITEMS[:5]) + " - ni " + HARD_ITEMS[5]
            + ", lives wy93qt, mum on 07 700 900 318 (deb.halloran@example.org)")
FRAGMENTS = ["pilkbury", "OKWUOSA", "Gaz", "fennimore", "R.J.", "kx 12 34 56 d", "wy93qt",
             "900 318", "halloran"]


def _leaks(text: str) -> list[str]:
    return [f for f in FRAGMENTS if f.lower() in text.lower()]


def test_hard_cases_never_reach_rows_report_or_export(store, fb_settings, db_url, tmp_path):
    asked = store.record_question(question=QUESTION, answer=answer(True), user_id="U1",
                                  channel="slack")
    rated = store.record_question(question=QUESTION, answer=answer(False), user_id="U2",
                                  channel="teams")
    store.record_answer_feedback(answer_id=rated, helpful=False, user_id="U2", comment=QUESTION)
    store.add_submission(kind="idea", theme=fb_settings.feedback_themes[0],
                         agency="primary school, ask for " + HARD_ITEMS[1],
                         locality=fb_settings.localities[0], text=QUESTION,
                         consent_to_quote=True, may_contact=False, submitter_id="U3",
                         channel="cli")
    from knowledge.feedback.schema import answer_ratings, questions, submissions

    rows = [str(row) for table in (questions, answer_ratings, submissions)
            for row in raw_rows(fb_settings.resolved_db_url, table.name)]
    assert asked and len(rows) >= 4
    for row in rows:
        assert _leaks(row) == [], row
    assert all(_leaks(g.question) == [] and not any(_leaks(c) for c in g.comments)
               for g in store.gaps())
    today = date.today()
    report = build_report(store, since=today - timedelta(days=1), until=today,
                          out=tmp_path / "digest.md", settings=fb_settings)
    assert _leaks(report.read_text(encoding="utf-8")) == []
    xlsx = export(store, since=today - timedelta(days=1), until=today, out=tmp_path / "x.xlsx",
                  fmt="xlsx")
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
    assert "[NAME]" in cells and _leaks(cells) == []
