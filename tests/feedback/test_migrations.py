"""Upgrades keep old data: a database created at the first revision, with a submission in it,
is upgraded on open and the submission is still there (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import create_engine, inspect, text

from knowledge.feedback import FeedbackStore
from knowledge.feedback.migrate import current_revision, head_revision, upgrade


def test_upgrade_from_first_revision_keeps_submissions(fb_settings):
    url = fb_settings.resolved_db_url
    fb_settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "feedback_questions" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO feedback_submissions (id, created_at, kind, theme, agency, locality, "
            "text, consent_to_quote, may_contact, submitter, channel) VALUES "
            "('old1', :at, 'idea', 'training', 'Police', 'South', 'Run joint training', "
            "true, false, 'anon-x', 'slack')"), {"at": datetime(2024, 5, 1, 9, 30)})
    engine.dispose()

    store = FeedbackStore.open(fb_settings)
    try:
        assert current_revision(store.engine) == head_revision() == "0003"
        old = store.submissions()
        assert [(s.id, s.text, s.kind, s.redactions) for s in old] == [
            ("old1", "Run joint training", "idea", {})]
        assert old[0].created_at.year == 2024
        new = store.add_submission(kind="idea", theme="training", agency="Police",
                                   locality="South", text="More of it", consent_to_quote=False,
                                   may_contact=False, submitter_id=None, channel="cli")
        assert {s.id for s in store.submissions()} == {"old1", new.id}
    finally:
        store.close()


def test_reopening_an_up_to_date_database_is_a_no_op(fb_settings):
    first = FeedbackStore.open(fb_settings)
    item = first.add_submission(kind="idea", theme="other", agency="Housing", locality="East",
                                text="Keep it simple", consent_to_quote=True, may_contact=False,
                                submitter_id=None, channel="cli")
    first.close()
    for _ in range(2):
        again = FeedbackStore.open(fb_settings)
        try:
            assert [s.id for s in again.submissions()] == [item.id]
            assert current_revision(again.engine) == head_revision()
        finally:
            again.close()


def test_sqlite_uses_wal(tmp_path):
    from tests.conftest import make_settings

    store = FeedbackStore.open(make_settings(tmp_path / "data"))
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert (tmp_path / "data" / "sgbot.db").is_file()
        key = tmp_path / "data" / "pseudonym.key"
        assert key.stat().st_mode & 0o777 == 0o600
        assert len(key.read_bytes()) == 64
    finally:
        store.close()
