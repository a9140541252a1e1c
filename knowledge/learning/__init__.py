"""Learning summaries for LSCG leads: what the documents teach on a theme, as cited quotes.

    summariser = LearningSummariser(kb)
    summary = summariser.summarise("neglect", since=date(2022, 1, 1))
    summariser.themes()                    # what the corpus covers, with passage counts
    knowledge.reports.briefing.to_markdown(summary) / to_docx(summary, path)
"""

from knowledge.learning.summariser import DOC_TYPE_WEIGHTS, LearningSummariser, period_end
from knowledge.learning.types import LearningPoint, LearningSummary, SourceDocument, ThemeCount

__all__ = ["DOC_TYPE_WEIGHTS", "LearningPoint", "LearningSummariser", "LearningSummary",
           "SourceDocument", "ThemeCount", "period_end"]
