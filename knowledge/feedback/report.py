"""Annual-report digest (work in progress)."""

from knowledge.errors import FeedbackError


def build_report(store, *, since, until, out, settings):
    raise FeedbackError("report generation is not available yet")
