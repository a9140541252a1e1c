"""Feedback-store fixtures: every store test runs on SQLite and on the real PostgreSQL
(127.0.0.1:5432, database `test`), each test in its own schema so parallel runs never clash."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest

from tests.conftest import make_settings

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_unreachable() -> str | None:
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "no server to test against"
        return f"PostgreSQL at 127.0.0.1:5432/test is unreachable: {type(exc).__name__}"


@pytest.fixture(scope="session")
def pg_skip_reason() -> str | None:
    return _pg_unreachable()


@pytest.fixture
def pg_schema_url(pg_skip_reason):
    """A SQLAlchemy URL whose search_path is a fresh schema, dropped afterwards."""
    if pg_skip_reason:
        pytest.skip(pg_skip_reason)
    import psycopg

    schema = f"fb_{uuid.uuid4().hex[:12]}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{PG_URL}?options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
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
