"""One contract, every surface: Slack, Teams and the terminal behave the same because they all
go through `knowledge.assistant.Assistant`. Each scenario runs against each real adapter (the
Bolt app with signed payloads and a fake Slack Web API, the Teams server with a fake Bot
Connector, the `sgbot` CLI entry point) on the sample partnership's documents."""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from knowledge.errors import FeedbackNotSaved
from knowledge.feedback import FeedbackStore
from knowledge.kb import KnowledgeBase
from tests.slack.conftest import fake_slack  # noqa: F401 - fixture
from tests.slack.fake_slack import TOKEN as SLACK_TOKEN
from tests.teams.conftest import connector, start_bot  # noqa: F401 - fixtures

REPO_ROOT = Path(__file__).resolve().parent.parent
DISCLOSURE = "A child has just told me her stepdad hurts her, what now?"
UNANSWERABLE = "what is the recipe for banana bread?"
ANSWERABLE = "How old was Baby K when she was taken to the emergency department?"
SECRET_IN_ERROR = "db-internal.example:5432 password=hunter2"
FRONT_DOOR = "0300 123 4567"


class SlackSurface:
    """Mentions in a channel; the reply is complete when the 👀 reaction is removed."""

    name = "slack"

    def __init__(self, settings, api) -> None:
        from bot.slack.app import build_app
        from tests.slack.harness import Harness, SpyKB

        self.kb = SpyKB(KnowledgeBase(settings))
        app, self.ctx = build_app(settings, self.kb)
        self.harness = Harness(app, self.ctx, api, self.kb)
        self._ts = 1700000000

    def say(self, text: str) -> list[str]:
        self._ts += 1
        ts = f"{self._ts}.000100"
        assert self.harness.mention(text, channel="C0CONTRACT", ts=ts).status == 200
        self.harness.fake.wait_for("reactions.remove", timestamp=ts)
        posts = self.harness.fake.find("chat.postMessage", channel="C0CONTRACT", thread_ts=ts)
        return [json.dumps(p.params.get("blocks") or p.params.get("text"), ensure_ascii=False)
                for p in posts]

    def close(self) -> None:
        self.ctx.close()
        if self.ctx.assistant._store is not None:
            self.ctx.assistant._store.close()


class TeamsSurface:
    """Personal chat messages; the reply is complete when the expected messages arrived."""

    name = "teams"

    def __init__(self, settings, start, bridge) -> None:
        self.connector = bridge
        self.bot = start(settings.with_overrides(teams_insecure_no_auth=True,
                                                     host="127.0.0.1"), KnowledgeBase(settings))

    def say(self, text: str, expected: int = 1) -> list[str]:
        from tests.teams.conftest import message

        before = len(self.connector.messages())
        assert self.bot.post(message(text, self.connector.url))[0] == 200
        calls = self.connector.wait_messages(before + expected)[before:]
        return [json.dumps(c["body"], ensure_ascii=False) for c in calls]

    def close(self) -> None:
        pass


class CliSurface:
    """`sgbot ask` through the CLI's own entry point, text output."""

    name = "cli"

    def __init__(self, settings, monkeypatch) -> None:
        monkeypatch.setenv("SGBOT_DATA_DIR", str(settings.data_dir))
        monkeypatch.setenv("SGBOT_EMBED_BACKEND", "fake")
        monkeypatch.setenv("SGBOT_FRONT_DOOR_NAME", settings.front_door_name or "")
        monkeypatch.setenv("SGBOT_FRONT_DOOR_PHONE", settings.front_door_phone or "")
        monkeypatch.setenv("COLUMNS", "200")

    def say(self, text: str, expected: int = 1) -> list[str]:
        from bot.cli import main

        out = io.StringIO()
        with redirect_stdout(out):
            main(["--env-file", "/nonexistent", "ask", text])
        return [out.getvalue()]

    def close(self) -> None:
        pass


@pytest.fixture(params=["slack", "teams", "cli"])
def surface(request, sample_kb, tmp_path, monkeypatch):
    settings = sample_kb.settings.with_overrides(
        front_door_name="Wyvernshire Children's Front Door", front_door_phone=FRONT_DOOR,
        slack_bot_token=SLACK_TOKEN, slack_signing_secret="test-signing-secret",
        pseudonym_key="contract-key-0123456789")
    if request.param == "slack":
        fake = request.getfixturevalue("fake_slack")
        built = SlackSurface(settings.with_overrides(slack_api_url=fake.api_url), fake)
    elif request.param == "teams":
        built = TeamsSurface(settings, request.getfixturevalue("start_bot"),
                             request.getfixturevalue("connector"))
    else:
        built = CliSurface(settings, monkeypatch)
    built.settings = settings
    yield built
    built.close()


def _say(surface, text: str, expected: int = 1) -> str:
    if surface.name == "slack":
        return "\n".join(surface.say(text))
    return "\n".join(surface.say(text, expected))


def _stored(settings):
    with FeedbackStore.open(settings) as store:
        return store.usage(), store.gaps()


def test_a_disclosure_shows_the_routes_first(surface):
    shown = _say(surface, DISCLOSURE, expected=2)
    assert "999" in shown and FRONT_DOOR in shown
    assert shown.index("999") < min(i for i in (shown.find("Answer"), shown.find("couldn"),
                                                 shown.find("answer_actions"),
                                                 shown.find("adaptive")) if i >= 0)
    assert "0300 000 0000" not in shown


def test_an_unanswerable_question_is_recorded_as_a_gap(surface):
    shown = _say(surface, UNANSWERABLE)
    assert URGENT_MARKER[surface.name] not in shown  # (not "999": ids are random hex)
    usage, gaps = _stored(surface.settings)
    assert usage.questions == 1
    assert len(gaps) == 1 and "banana" in gaps[0].question.lower()


def test_a_storage_failure_still_delivers_the_answer(surface, monkeypatch):
    def refuse(self, **kwargs):
        raise FeedbackNotSaved("Sorry, your question could not be saved.")

    monkeypatch.setattr(FeedbackStore, "record_question", refuse)
    shown = _say(surface, ANSWERABLE)
    assert "nine weeks old" in shown, shown
    assert "could not be saved" not in shown


def test_an_internal_error_shows_fixed_wording_with_a_reference(surface, monkeypatch):
    def crash(self, *args, **kwargs):
        raise RuntimeError(SECRET_IN_ERROR)

    monkeypatch.setattr(KnowledgeBase, "ask", crash)
    shown = _say(surface, ANSWERABLE)
    assert "something went wrong" in shown
    assert re.search(r"reference [0-9a-f]{8}", shown), shown
    assert "hunter2" not in shown and "db-internal" not in shown and "RuntimeError" not in shown


def test_a_disclosure_is_counted_but_never_stored_or_logged(surface, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    _say(surface, DISCLOSURE, expected=2)
    with FeedbackStore.open(surface.settings) as store:
        counts = store.urgent_counts()
        assert [(c.channel, c.count) for c in counts] == [(surface.name, 1)]
        dumped = json.dumps([store.gaps(), store.submissions()], default=str)
    assert "stepdad" not in dumped
    assert "stepdad" not in caplog.text
    files = list(surface.settings.data_dir.glob("sgbot.db*"))  # the database and its WAL
    assert files and all(b"stepdad" not in f.read_bytes() for f in files)


SAFETY_SET = REPO_ROOT / "bench" / "data" / "safety_messages.jsonl"
#: Urgent-looking markers each surface renders only for the urgent routes.
URGENT_MARKER = {"slack": '"block_id": "urgent"', "teams": "**Urgent**", "cli": "Urgent"}


def _labelled_sample(per_label: int = 3) -> list[tuple[str, str]]:
    """A fixed sample of the team's labelled set: the first urgent messages of distinct
    categories that the patterns alone catch (unit tests run without the real model), and the
    first ordinary questions of distinct categories."""
    from knowledge.safety import pattern_family

    picked: dict[str, list[tuple[str, str]]] = {"urgent": [], "ordinary": []}
    categories: set[str] = set()
    for line in SAFETY_SET.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        bucket = picked[item["label"]]
        if len(bucket) >= per_label or item["category"] in categories:
            continue
        if (item["label"] == "urgent") != (pattern_family(item["text"]) is not None):
            continue
        categories.add(item["category"])
        bucket.append((item["label"], item["text"]))
    return picked["urgent"] + picked["ordinary"]


@pytest.mark.parametrize("label, text", _labelled_sample())
def test_labelled_messages_get_routes_only_when_urgent(surface, label, text):
    shown = _say(surface, text, expected=2 if label == "urgent" else 1)
    marker = URGENT_MARKER[surface.name]
    assert (marker in shown) is (label == "urgent"), shown[:500]
