"""FeedbackStore on SQLite and real PostgreSQL: validation, redaction before storage,
pseudonyms, durability, answer ratings, gaps and usage."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from knowledge.errors import FeedbackError, FeedbackNotSaved
from knowledge.feedback import KIND_LABELS, KINDS, FeedbackStore
from knowledge.types import Answer, Citation


def submit(store, **overrides):
    values = dict(kind="getting_in_the_way", theme="neglect", agency="Health", locality="North",
                  text="Waiting lists for assessments are long.", consent_to_quote=True,
                  may_contact=False, submitter_id="U123", channel="slack")
    values.update(overrides)
    return store.add_submission(**values)


def answer(abstained: bool, titles=("Neglect Strategy",)) -> Answer:
    cites = () if abstained else tuple(
        Citation(title=t, source=f"{t}.pdf", text="quote", score=0.8) for t in titles)
    return Answer(question="q", answer="" if abstained else "quote", abstained=abstained,
                  confidence=0.2 if abstained else 0.8, citations=cites)


def raw_rows(url: str, table: str) -> list[dict]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(text(f"SELECT * FROM {table}")).mappings()]
    finally:
        engine.dispose()


def test_kinds_and_labels_match():
    assert KINDS == ("working_well", "getting_in_the_way", "idea")
    assert KIND_LABELS["working_well"] == "What's working well"
    assert set(KIND_LABELS) == set(KINDS)


def test_submission_is_redacted_before_it_reaches_the_database(store, fb_settings):
    item = submit(store, text="I spoke to Sarah Jones on 07700 900123 about WV1 2AB.")
    assert item.text == "I spoke to [NAME] on [PHONE] about [POSTCODE]."
    assert item.redactions == {"NAME": 1, "PHONE": 1, "POSTCODE": 1}
    rows = raw_rows(fb_settings.resolved_db_url, "feedback_submissions")
    stored = " ".join(str(v) for v in rows[0].values())
    for secret in ("Sarah", "Jones", "07700", "WV1 2AB", "U123"):
        # as a word: a random hex id or pseudonym may contain "07700" by chance
        assert not re.search(rf"\b{re.escape(secret)}\b", stored), secret


def test_submitter_is_pseudonymised_unless_contactable(store):
    anon = submit(store, submitter_id="U42", may_contact=False)
    again = submit(store, submitter_id="U42", may_contact=False)
    other = submit(store, submitter_id="U43", may_contact=False)
    contact = submit(store, submitter_id="U42", may_contact=True)
    assert anon.submitter.startswith("anon-") and "U42" not in anon.submitter
    assert anon.submitter == again.submitter != other.submitter
    assert contact.submitter == "U42"
    assert submit(store, submitter_id=None).submitter is None


def test_pseudonym_depends_on_the_key(tmp_path, fb_settings):
    a = FeedbackStore.open(fb_settings)
    b = FeedbackStore.open(fb_settings.with_overrides(pseudonym_key="another-key-0123456789"))
    try:
        assert a.pseudonymise("U1") != b.pseudonymise("U1")
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("kind", "complaint", "kind 'complaint' is not one of"),
    ("theme", "parking", "theme 'parking' is not one of"),
    ("locality", "Atlantis", "locality 'Atlantis' is not one of"),
    ("agency", "  ", "which agency"),
    ("text", "   ", "empty"),
    ("text", "x" * 2001, "too long (2001 characters, at most 2000)"),
    ("channel", "fax", "channel 'fax' is not one of"),
])
def test_invalid_submissions_are_refused_with_a_clear_message(store, field, value, message):
    with pytest.raises(FeedbackError, match=message.replace("(", r"\(").replace(")", r"\)")):
        submit(store, **{field: value})
    assert store.submissions() == []


def test_choices_are_matched_case_insensitively_and_labels_accepted(store):
    item = submit(store, kind="What's working well", theme="Early Help", locality="north")
    assert (item.kind, item.theme, item.locality) == ("working_well", "early help", "North")


def test_acknowledged_submission_survives_reopening(fb_settings):
    first = FeedbackStore.open(fb_settings)
    item = submit(first, text="The new referral form is much clearer.")
    first.close()
    reopened = FeedbackStore.open(fb_settings)
    try:
        found = reopened.submissions()
        assert [s.id for s in found] == [item.id]
        assert found[0].text == "The new referral form is much clearer."
        assert found[0].created_at == item.created_at
    finally:
        reopened.close()


def test_database_failure_raises_feedback_not_saved(store, fb_settings):
    engine = create_engine(fb_settings.resolved_db_url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE feedback_submissions"))
    engine.dispose()
    with pytest.raises(FeedbackNotSaved, match="could not be saved, so nothing was recorded"):
        submit(store)


def test_unreachable_database_is_a_clear_error(tmp_path):
    from tests.conftest import make_settings

    settings = make_settings(tmp_path / "d", db_url="postgresql+psycopg://postgres@127.0.0.1:1/x")
    with pytest.raises(FeedbackError, match="feedback database could not be opened"):
        FeedbackStore.open(settings)


def test_feedback_text_is_never_logged(store, caplog):
    caplog.set_level(logging.DEBUG)
    submit(store, text="Mrs Patel waited nine weeks for a reply")
    aid = store.record_question(question="Where is the neglect toolkit?", answer=answer(True),
                                user_id="U9", channel="slack")
    store.record_answer_feedback(answer_id=aid, helpful=False, user_id="U9",
                                 comment="wrong toolkit entirely")
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "stored" in logged  # outcomes are logged...
    for secret in ("Patel", "nine weeks", "neglect toolkit", "wrong toolkit"):
        assert secret not in logged  # ...text never is


def test_questions_ratings_gaps_and_usage(store, fb_settings):
    gap_q = "What is the threshold for Kai Smith's referral?"
    ids = [store.record_question(question=gap_q, answer=answer(True), user_id=f"U{i}",
                                 channel="slack") for i in range(3)]
    ok = store.record_question(question="Who chairs the partnership?", answer=answer(False),
                               user_id="U1", channel="teams")
    bad = store.record_question(question="When is the neglect training?", answer=answer(False),
                                user_id="U2", channel="slack")
    store.record_answer_feedback(answer_id=ok, helpful=True, user_id="U1")
    store.record_answer_feedback(answer_id=bad, helpful=True, user_id="U2")
    # changing one's mind replaces the earlier rating (idempotent per answer and user)
    store.record_answer_feedback(answer_id=bad, helpful=False, user_id="U2",
                                 comment="It quoted the 2019 dates, ring 07700 900123")
    store.record_answer_feedback(answer_id=bad, helpful=False, user_id="U2",
                                 comment="It quoted the 2019 dates, ring 07700 900123")
    gaps = store.gaps()
    assert [g.question for g in gaps] == ["What is the threshold for [NAME]'s referral?",
                                          "When is the neglect training?"]
    assert (gaps[0].count, gaps[0].unanswered, gaps[0].not_helpful) == (3, 3, 0)
    assert (gaps[1].count, gaps[1].not_helpful) == (1, 1)
    assert gaps[1].comments == ("It quoted the 2019 dates, ring [PHONE]",)
    usage = store.usage()
    assert (usage.questions, usage.answered, usage.helpful, usage.not_helpful, usage.users) == (
        5, 2, 1, 1, 3)
    assert usage.share_answered == pytest.approx(0.4)
    assert usage.share_helpful == pytest.approx(0.5)
    submit(store)
    assert store.admin_counts() == {"questions": 5, "helpful": 1, "not_helpful": 1, "gaps": 4,
                                    "submissions": 1}
    rows = raw_rows(fb_settings.resolved_db_url, "feedback_questions")
    assert all("Kai" not in r["question"] for r in rows)
    assert {r["user"] for r in rows} == {store.pseudonymise(f"U{i}") for i in range(3)}
    assert ids[0] != ids[1]


def test_rating_an_unknown_answer_is_refused(store):
    with pytest.raises(FeedbackError, match="unknown answer id"):
        store.record_answer_feedback(answer_id="nope", helpful=True, user_id="U1")


def test_date_windows_cover_whole_days(store, fb_settings):
    item = submit(store)
    today = item.created_at.date()
    assert [s.id for s in store.submissions(today, today)] == [item.id]
    assert store.submissions(today + timedelta(days=1), None) == []
    assert store.submissions(None, today - timedelta(days=1)) == []
    moment = datetime.now(UTC) + timedelta(hours=1)
    assert [s.id for s in store.submissions(None, moment)] == [item.id]
    with pytest.raises(FeedbackError, match="is not a date"):
        store.submissions("2024-01-01", None)
    assert isinstance(today, date)


def test_concurrent_writers_lose_nothing(store):
    from concurrent.futures import ThreadPoolExecutor

    def write(n: int) -> str:
        return submit(store, text=f"Point number {n} about waiting times").id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(write, range(24)))
    assert sorted(s.id for s in store.submissions()) == sorted(ids)


def test_plain_postgresql_urls_use_psycopg3():
    from knowledge.feedback.store import normalise_url

    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_short_pseudonym_key_is_a_config_error(tmp_path):
    from knowledge.errors import ConfigError
    from tests.conftest import make_settings

    with pytest.raises(ConfigError, match="SGBOT_PSEUDONYM_KEY is too short"):
        FeedbackStore.open(make_settings(tmp_path / "d", pseudonym_key="short"))
