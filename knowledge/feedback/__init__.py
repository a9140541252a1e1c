"""Frontline feedback and answer ratings: store, export and the annual-report digest.

Adapters (CLI, Slack, Teams) call only what is re-exported here; see docs/feedback.md.
"""

from __future__ import annotations

from knowledge.feedback.models import (
    AGENCY_SUGGESTIONS,
    CHANNELS,
    KIND_LABELS,
    KINDS,
    Gap,
    Submission,
    Usage,
)
from knowledge.feedback.store import FeedbackStore


def build_report(store, *, since, until, out, settings):
    """Write the digest for `since`..`until` to `out` (.docx, .md or .html); return the path."""
    from knowledge.reports.report import build_report as _build

    return _build(store, since=since, until=until, out=out, settings=settings)


def export(store, *, since, until, out, fmt: str = "csv"):
    """Write submissions (and, for xlsx, gaps and usage) to `out` as csv or xlsx."""
    from knowledge.reports.spreadsheet import export as _export

    return _export(store, since=since, until=until, out=out, fmt=fmt)


__all__ = ["AGENCY_SUGGESTIONS", "CHANNELS", "KINDS", "KIND_LABELS", "FeedbackStore", "Gap",
           "Submission", "Usage", "build_report", "export"]
