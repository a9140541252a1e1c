"""Shared fixtures. Unit tests use the deterministic FakeEmbedder; tests marked `integration`
use the real model and real servers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
SHARED = REPO.parent / "shared"


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
