"""A figure for another year is never the answer to a question about one year (issue 13)."""

from __future__ import annotations

import pytest

from knowledge.answering.periods import period_conflict
from knowledge.periods import Period, periods

REPORT_DOC = """# Northshire Safeguarding Children Partnership Annual Report 2024-25

## Rapid reviews

In 2024-25 the partnership held 6 rapid reviews, up from 4 rapid reviews in 2023-24.

In 2023-24 the partnership held 4 rapid reviews after serious incident notifications.
"""


def test_financial_years_spans_and_years_are_read():
    assert periods("in 2024-25, 2023/24 and 2024 to 2026, since 2019") == [
        Period(2024, 2025, True), Period(2023, 2024, True), Period(2024, 2026, False),
        Period(2019, 2019, False)]
    assert periods("pages 2024-3 of the plan") == [Period(2024, 2024, False)]


@pytest.mark.parametrize(("question", "sentence", "conflict"), [
    ("how many reviews in 2022-23?", "In 2023-24 the partnership held 3 reviews.", True),
    ("who chaired it in 2023-24?", "For 2025-26 the group is chaired by the police.", True),
    ("how many plans in 2022-23?", "Plans; 2023-24: 401; 2024-25: 437.", True),
    ("how many plans in 2023-24?", "Plans; 2023-24: 401; 2024-25: 437.", False),
    ("how many plans at 31 March 2024?", "In 2023-24 there were 401 plans.", False),
    ("priorities for 2024 to 2026", "During 2024/25 we worked to priorities set in 2022.", False),
    ("how many reviews in 2024-25?", "The panel met twelve times.", False),  # no year said
    ("how many reviews were held?", "In 2023-24 the partnership held 3 reviews.", False),
])
def test_period_conflicts(question, sentence, conflict):
    assert period_conflict(question, sentence) is conflict


def test_last_years_figure_is_not_quoted_for_this_year(kb_with):
    kb = kb_with({"report.md": REPORT_DOC})
    answer = kb.ask("how many rapid reviews did the Northshire partnership hold in 2022-23?")
    assert answer.abstained  # the report gives 2024-25 and 2023-24 only
    answer = kb.ask("how many rapid reviews did the Northshire partnership hold in 2023-24?")
    assert "2023-24" in answer.answer or answer.abstained


def test_practitioners_shorthand_for_a_financial_year():
    assert periods("did we underspend in 24/25?") == [Period(2024, 2025, True)]
    assert periods("open 24/7, 12/13 pupils, £24-25") == []
    assert period_conflict("how much did we underspend in 24/25?",
                           "In 2023-24 the partnership overspent by £9,300.")
    assert not period_conflict("how much did we underspend in 24/25?",
                               "Spending in 2024-25 left an underspend of £16,650.")


@pytest.mark.parametrize(("question", "sentence", "conflict"), [
    ("which theme is new this year compared to 2023-24?", "The theme is new for 2024-25.", False),
    ("how many reviews in 2024-25?", "All 5 were on time, an improvement on 2023-24.", False),
    ("how much was underspent in 24/25?", "The underspend will be carried into 2025-26.", False),
    ("how many plans in 2022-23?", "There were 437 plans, up from 401 in 2023-24.", True),
    ("how many plans in 2023-24?", "There were 437, compared with 401 in 2023-24.", False),
])
def test_a_period_named_for_comparison_is_not_the_period_spoken_of(question, sentence, conflict):
    assert period_conflict(question, sentence) is conflict


def test_a_short_span_before_a_comma_or_full_stop_is_a_year_but_a_decimal_is_not():
    assert periods("In 24/25, how many reviews were held?") == [Period(2024, 2025, True)]
    assert periods("How many reviews were held in 24/25.") == [Period(2024, 2025, True)]
    assert periods("The scores ranged 22-23.5 across the cohort.") == []
