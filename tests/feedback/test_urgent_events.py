"""Urgent events: the safety net's showings are counted per channel and day; the message that
triggered it is never stored, unless SGBOT_KEEP_URGENT_TEXT asks for it, and then redacted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from knowledge.errors import FeedbackError
from knowledge.feedback import FeedbackStore
from knowledge.feedback.schema import urgent_events

MESSAGE = "Jasmine Okafor (07700 900461) told me her stepdad hit her"


def stored_texts(store) -> list:
    with store.engine.connect() as conn:
        return [r.text for r in conn.execute(select(urgent_events.c.text))]


def test_events_are_counted_per_channel_and_day_without_text(store):
    store.record_urgent_event("slack", MESSAGE)
    store.record_urgent_event("slack", None)
    store.record_urgent_event("teams", MESSAGE)
    today = datetime.now(UTC).date()
    counts = {(c.day, c.channel): c.count for c in store.urgent_counts()}
    assert counts == {(today, "slack"): 2, (today, "teams"): 1}
    assert stored_texts(store) == [None, None, None]  # the default keeps no text at all
    assert store.usage().urgent == 3
    assert store.usage(until=today - timedelta(days=1)).urgent == 0


def test_text_is_kept_only_redacted_when_enabled(fb_settings):
    store = FeedbackStore.open(fb_settings.with_overrides(keep_urgent_text=True))
    try:
        store.record_urgent_event("cli", MESSAGE)
        [text] = stored_texts(store)
    finally:
        store.close()
    assert text and "stepdad hit her" in text
    assert "Okafor" not in text and "07700 900461" not in text


def test_unknown_channel_is_refused(store):
    with pytest.raises(FeedbackError):
        store.record_urgent_event("carrier pigeon", None)


def test_report_usage_shows_the_count(store):
    from knowledge.reports.digest import usage_rows

    store.record_urgent_event("teams", None)
    assert ("Urgent routes shown", "1") in usage_rows(store.usage())
