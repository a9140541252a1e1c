"""Shared fixtures. Unit tests use the deterministic FakeEmbedder; tests marked `integration`
use the real model and real servers."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import uuid
from pathlib import Path

import pytest

from knowledge.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
SHARED = REPO.parent / "shared"
#: The PostgreSQL every machine (CI included) runs; tests that need it are marked `postgres`.
PG_URL = os.environ.get("SGBOT_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
#: Fixtures that need the real PostgreSQL: a test using one gets the `postgres` marker.
PG_FIXTURES = {"pg_schema", "pg_schema_url", "pg_index_url", "pg_db_url"}


def load_bench_module(filename: str):
    """A script of bench/ as a module (bench/ is not a package: its scripts run by path)."""
    spec = importlib.util.spec_from_file_location(f"bench_{Path(filename).stem}",
                                                  REPO / "bench" / filename)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


def pytest_collection_modifyitems(items) -> None:
    """Mark every test that uses PostgreSQL, so `-m "not postgres"` deselects them explicitly."""
    for item in items:
        if PG_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def pg_schema():
    """A unique schema in the test database, dropped afterwards; yields its name.

    PostgreSQL down is a failure, never a skip: CI must not go green without the tests that
    prove the PostgreSQL backends work. Deselect them explicitly with `-m "not postgres"`.
    """
    import psycopg

    name = f"sgbot_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is required at {PG_URL} for this test ({type(exc).__name__}); "
                    "start it, or deselect these tests with -m 'not postgres'", pytrace=False)
    try:
        admin.execute(f'CREATE SCHEMA "{name}"')
        yield name
    finally:
        admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        admin.close()


def make_settings(data_dir: Path, **overrides) -> Settings:
    """Settings for tests: isolated data dir, fake embedder, no .env, no process env."""
    base = Settings.from_env({}, env_file=None)
    return base.with_overrides(data_dir=data_dir, embed_backend="fake", **overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def kb(settings):
    from knowledge.kb import KnowledgeBase

    return KnowledgeBase(settings)


@pytest.fixture
def kb_with(kb, tmp_path):
    """`kb_with({"name.md": text, ...})`: the knowledge base holding those invented documents
    (fake embedder), for end-to-end checks of one answering rule."""
    from ingest.pipeline import Ingester

    def ingest(documents: dict[str, str]):
        folder = tmp_path / "docs"
        folder.mkdir(exist_ok=True)
        for name, text in documents.items():
            (folder / name).write_text(text, encoding="utf-8")
        report = Ingester(kb).ingest([folder])
        assert not report.failed
        return kb

    return ingest


@pytest.fixture(scope="session")
def _sample_data(tmp_path_factory) -> Path:
    """Sample corpus ingested once per session with the fake embedder; tests get a copy."""
    from ingest.pipeline import Ingester
    from knowledge.kb import KnowledgeBase

    data_dir = tmp_path_factory.mktemp("sample") / "data"
    kb = KnowledgeBase(make_settings(data_dir))
    report = Ingester(kb).ingest([SAMPLES])
    assert not report.failed, [r.reason for r in report.failed]
    kb.index.close()
    return data_dir


@pytest.fixture
def sample_kb(_sample_data: Path, tmp_path: Path):
    """A knowledge base holding the repo's sample partnership documents (fake embedder)."""
    from knowledge.kb import KnowledgeBase

    data_dir = tmp_path / "data"
    shutil.copytree(_sample_data, data_dir)
    return KnowledgeBase(make_settings(data_dir))
