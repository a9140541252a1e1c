"""Document metadata inferred from names and content: type, title, partnership, period."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.cleaning import Block
from ingest.metadata import (
    infer_doc_type,
    infer_partnership,
    infer_period,
    infer_title,
    validate_doc_type,
)
from knowledge.errors import InvalidArgument


@pytest.mark.parametrize(("name", "title", "text", "expected"), [
    ("masa-2025.pdf", "", "These multi-agency safeguarding arrangements describe the partners.",
     "masa_plan"),
    ("wscp-annual-report-2023-24.pdf", "", "The year in numbers.", "annual_report"),
    ("doc1.pdf", "Annual Report 2022/23", "Our year.", "annual_report"),
    ("doc2.docx", "", "Level 1 universal. Level 2 early help. Levels of need and thresholds.",
     "threshold_guidance"),
    ("7mb-baby-k.md", "Seven-Minute Briefing: Baby K", "Learning from a practice review.",
     "review_learning"),
    ("minutes.pdf", "", "The meeting opened at ten and closed at noon.", "other"),
])
def test_doc_type_inference(name, title, text, expected):
    assert infer_doc_type(Path(name), title, text) == expected


def test_title_and_file_name_outweigh_body_mentions():
    body = "Our safeguarding arrangements are set out in the MASA. " * 3
    assert infer_doc_type(Path("annual-report.pdf"), "", body) == "annual_report"


def heading(text: str, level: int = 1) -> Block:
    return Block("heading", text, 1, level)


def test_metadata_title_wins():
    blocks = [heading("Contents"), heading("A Heading That Could Be A Title")]
    assert infer_title(Path("x.pdf"), "  Real Title  ", blocks, None) == "Real Title"


def test_title_line_in_the_text_is_used():
    blocks = [Block("para", "Report title: Learning from Child D", 1)]
    assert infer_title(Path("x.pdf"), None, blocks, None) == "Learning from Child D"


def test_first_meaningful_heading_is_the_title_and_caps_are_title_cased():
    blocks = [heading("Contents"), heading("Foreword"), heading("1. Introduction"),
              heading("WYVERNSHIRE THRESHOLD GUIDANCE")]
    assert infer_title(Path("x.pdf"), None, blocks, None) == "Wyvernshire Threshold Guidance"


def test_title_falls_back_to_partnership_and_type_then_file_name():
    partnership = "Wyvernshire Safeguarding Children Partnership"
    assert infer_title(Path("x.pdf"), None, [], partnership, "annual_report") == (
        "Wyvernshire Safeguarding Children Partnership: Annual Report")
    assert infer_title(Path("rapid_review-notes.pdf"), None, [], None) == "Rapid review notes"


@pytest.mark.parametrize(("title", "text", "expected"), [
    ("Annual Report 2024/25", "", "2024/25"),
    ("Annual Report 2020-21", "", "2020/21"),
    ("Annual Report 2022 to 2023", "", "2022/23"),
    ("Plan", "Published in 2025. Reviewed 2025. Previous plan 2022.", "2025"),
    ("Plan", "No dates at all.", None),
])
def test_period_inference(title, text, expected):
    assert infer_period(title, text) == expected


def test_partnership_named_most_often_wins():
    text = ("Wyvernshire Safeguarding Children Partnership works with the Marsh Safeguarding "
            "Children Board. The Wyvernshire Safeguarding Children Partnership publishes this "
            "plan. Our Safeguarding Children Partnership meets monthly.")
    assert infer_partnership(text) == "Wyvernshire Safeguarding Children Partnership"
    assert infer_partnership("No partnership is named here.") is None


def test_validate_doc_type():
    assert validate_doc_type("masa_plan") == "masa_plan"
    with pytest.raises(InvalidArgument, match="'minutes'"):
        validate_doc_type("minutes")
