"""The annual-report digest on a seeded database: the Word file opens and holds the charts,
no personal data appears, and quotes without consent are absent (Word, Markdown and HTML)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from knowledge.errors import InvalidArgument
from knowledge.feedback import FeedbackStore, build_report
from knowledge.types import Answer
from tests.conftest import make_settings

PERSONAL = ("Sarah", "Jones", "07700 900123", "WV1 2AB", "943 476 5919", "Okafor", "Kai",
            "12/03/2015", "14 Elm Road", "j.bloggs@example.org", "Tracey", "U-SECRET")
QUOTED = "Joint training with the Police was excellent."
NOT_QUOTED = "The duty desk ignored my emails for a month."
PNG = b"\x89PNG\r\n\x1a\n"


def seed(store: FeedbackStore) -> None:
    rows = [
        ("working_well", "training", "Police", "North", QUOTED, True),
        ("getting_in_the_way", "thresholds", "Health", "South", NOT_QUOTED, False),
        ("getting_in_the_way", "neglect", "Education", "East",
         "I spoke to Sarah Jones on 07700 900123 at 14 Elm Road, WV1 2AB: six weeks wait.", True),
        ("idea", "early help", "Health", "West",
         "Dr Okafor suggested a shared NHS 943 476 5919 lookup; email j.bloggs@example.org", True),
        ("working_well", "neglect", "Health", "North",
         "Her son Kai (12/03/2015) got help fast thanks to Early Help.", False),
        ("idea", "voice of the child", "Voluntary sector", "Countywide",
         "Ask children what helped, in their words.", True),
    ]
    for kind, theme, agency, locality, body, consent in rows:
        store.add_submission(kind=kind, theme=theme, agency=agency, locality=locality, text=body,
                             consent_to_quote=consent, may_contact=False,
                             submitter_id="U-SECRET", channel="slack")
    # a record written before redaction existed (or by an older redactor) still gets cleaned
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE feedback_submissions SET text = :t WHERE text LIKE 'Ask%'"),
                     {"t": "Ask children like Tracey what helped, in their words."})
    gap = Answer(question="q", answer="", abstained=True, confidence=0.1)
    ok = Answer(question="q", answer="a", abstained=False, confidence=0.9)
    for _ in range(3):
        store.record_question(question="Where is the neglect toolkit for Kai?", answer=gap,
                              user_id="U1", channel="slack")
    good = store.record_question(question="Who chairs the partnership?", answer=ok,
                                 user_id="U2", channel="teams")
    bad = store.record_question(question="When is the next DSL training?", answer=ok,
                                user_id="U3", channel="slack")
    store.record_answer_feedback(answer_id=good, helpful=True, user_id="U2")
    store.record_answer_feedback(answer_id=bad, helpful=False, user_id="U3",
                                 comment="Old dates; ask Sarah Jones")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    settings = make_settings(root / "data", pseudonym_key="report-test-key-0123456789")
    store = FeedbackStore.open(settings)
    seed(store)
    today = date.today()
    paths = {suffix: build_report(store, since=today - timedelta(days=30), until=today,
                                  out=root / "out" / f"digest.{suffix}", settings=settings)
             for suffix in ("docx", "md", "html")}
    store.close()
    return root, paths


def docx_text(path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_docx_opens_and_has_every_section_and_chart(reports):
    from docx import Document

    _, paths = reports
    doc = Document(str(paths["docx"]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for heading in ("Summary", "Feedback by theme", "Feedback by kind", "Feedback by agency or "
                    "sector", "Feedback by locality", "Feedback by month", "Knowledge gaps",
                    "Usage", "In practitioners' words",
                    "What's working well versus what gets in the way"):
        assert heading in headings
    assert len(doc.inline_shapes) == 6  # kind, theme, agency, locality, month, balance
    body = docx_text(paths["docx"])
    assert "6 pieces of frontline feedback" in body


def test_no_personal_data_and_no_unconsented_quotes(reports):
    _, paths = reports
    bodies = {"docx": docx_text(paths["docx"]), "md": paths["md"].read_text(),
              # the embedded PNGs are base64: drop them, random letters can spell "Kai"
              "html": re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "",
                             paths["html"].read_text())}
    for name, body in bodies.items():
        for item in PERSONAL:
            assert item not in body, (name, item)
        assert NOT_QUOTED not in body, name
        assert QUOTED in body, name
        assert "I spoke to [NAME] on [PHONE] at [ADDRESS], [POSTCODE]" in body, name
        assert "Ask children like [NAME] what helped" in body, name


def test_gaps_and_usage_are_reported_most_frequent_first(reports):
    _, paths = reports
    md = paths["md"].read_text()
    toolkit = md.index("| Where is the neglect toolkit for [NAME]? | 3 | 3 | 0 |")
    dsl = md.index("| When is the next DSL training? | 1 | 0 | 1 |")
    assert toolkit < dsl
    assert "| Questions asked | 5 |" in md
    assert "| Share answered | 40% |" in md
    assert "| Share rated helpful | 50% |" in md


def test_markdown_links_real_png_charts_and_html_embeds_them(reports):
    root, paths = reports
    md = paths["md"].read_text()
    links = [line.split("](")[1].rstrip(")") for line in md.splitlines()
             if line.startswith("![")]
    assert len(links) == 6
    for link in links:
        assert (paths["md"].parent / link).read_bytes().startswith(PNG)
    assert paths["html"].read_text().count('src="data:image/png;base64,') == 6


def test_counts_by_theme_kind_and_locality(reports):
    _, paths = reports
    md = paths["md"].read_text()
    assert "| neglect | 2 |" in md
    assert "| What gets in the way | 2 |" in md
    assert "| North | 2 |" in md
    assert "| neglect | 1 | 1 | 0 |" in md  # theme, working well, in the way, ideas
    assert f"| {date.today():%b %Y} | 6 |" in md  # by month, every month of the period listed
    earlier = date.today().replace(day=1) - timedelta(days=1)
    assert f"| {earlier:%b %Y} | 0 |" in md


def test_empty_period_and_bad_arguments(tmp_path):
    settings = make_settings(tmp_path / "data")
    with FeedbackStore.open(settings) as store:
        out = build_report(store, since=date(2020, 1, 1), until=date(2020, 12, 31),
                           out=tmp_path / "empty.md", settings=settings)
        assert "No quotes with consent in this period." in out.read_text()
        with pytest.raises(InvalidArgument, match="must end in"):
            build_report(store, since=date(2020, 1, 1), until=date(2020, 2, 1),
                         out=tmp_path / "r.pdf", settings=settings)
        with pytest.raises(InvalidArgument, match="starts"):
            build_report(store, since=date(2021, 1, 1), until=date(2020, 2, 1),
                         out=tmp_path / "r.md", settings=settings)
