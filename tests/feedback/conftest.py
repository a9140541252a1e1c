"""Feedback-store fixtures: every store test runs on SQLite and on the real PostgreSQL
(127.0.0.1:5432, database `test`), each test in its own schema so parallel runs never clash."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import make_settings

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def pg_schema_url(pg_schema):
    """A SQLAlchemy URL whose search_path is a fresh schema (see tests/conftest.py `pg_schema`)."""
    return f"{PG_URL}?options={quote(f'-csearch_path={pg_schema}')}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'feedback.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def fb_settings(tmp_path, db_url):
    return make_settings(tmp_path / "data", db_url=db_url,
                         pseudonym_key="test-key-0123456789abcdef")


@pytest.fixture
def store(fb_settings):
    from knowledge.feedback import FeedbackStore

    s = FeedbackStore.open(fb_settings)
    yield s
    s.close()
