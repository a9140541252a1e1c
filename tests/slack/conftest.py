"""Fixtures for the Slack scenario tests: a fake Slack Web API on loopback, a small fictional
corpus ingested once per session, and a bot built on them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import make_settings
from tests.slack.fake_slack import TOKEN, FakeSlack
from tests.slack.harness import ADMIN, SECRET, Harness, SpyKB

CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.fixture(scope="session")
def _slack_corpus_data(tmp_path_factory) -> Path:
    from ingest.pipeline import Ingester
    from knowledge.kb import KnowledgeBase

    data_dir = tmp_path_factory.mktemp("slackcorpus") / "data"
    kb = KnowledgeBase(make_settings(data_dir))
    report = Ingester(kb).ingest([CORPUS])
    assert not report.failed, [r.reason for r in report.failed]
    kb.index.close()
    return data_dir


@pytest.fixture
def fake_slack():
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def slack_settings(_slack_corpus_data, tmp_path, fake_slack):
    data_dir = tmp_path / "data"
    shutil.copytree(_slack_corpus_data, data_dir)
    return make_settings(data_dir, slack_bot_token=TOKEN, slack_signing_secret=SECRET,
                         slack_api_url=fake_slack.api_url, slack_mode="http",
                         admin_users=(ADMIN,), front_door_phone="0300 123 4567")


@pytest.fixture
def make_bot(fake_slack):
    """Build a bot for given settings; closes its executor and store afterwards."""
    from bot.slack.app import build_app
    from knowledge.kb import KnowledgeBase

    built = []

    def make(settings) -> Harness:
        kb = SpyKB(KnowledgeBase(settings))
        app, ctx = build_app(settings, kb)
        built.append(ctx)
        return Harness(app, ctx, fake_slack, kb)

    yield make
    for ctx in built:
        ctx.close()
        if ctx.assistant._store is not None:
            ctx.assistant._store.close()


@pytest.fixture
def bot(make_bot, slack_settings) -> Harness:
    return make_bot(slack_settings)
