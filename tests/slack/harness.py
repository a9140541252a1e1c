"""Drives a real Bolt app with signed Slack payloads (bolt-python's tests/scenario_tests style)
and reads back what it did from the fake Slack Web API."""

from __future__ import annotations

import itertools
import json
import threading
import time
from urllib.parse import urlencode

from slack_bolt import BoltRequest
from slack_sdk.signature import SignatureVerifier

from tests.slack.fake_slack import BOT_USER, TEAM, FakeSlack

SECRET = "test-signing-secret"
ADMIN = "UADMIN"
USER = "UPRAC"


def signed_headers(body: str, content_type: str, *, retry: int | None = None,
                   secret: str = SECRET) -> dict[str, str]:
    ts = str(int(time.time()))
    headers = {
        "content-type": content_type,
        "x-slack-request-timestamp": ts,
        "x-slack-signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
    }
    if retry is not None:
        headers["x-slack-retry-num"] = str(retry)
        headers["x-slack-retry-reason"] = "http_timeout"
    return headers


class SpyKB:
    """The real knowledge base, recording each `ask` call (question, previous)."""

    def __init__(self, kb) -> None:
        self._kb = kb
        self.asked: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()

    def ask(self, question, **kwargs):
        with self._lock:
            self.asked.append((question, kwargs.get("previous")))
        return self._kb.ask(question, **kwargs)

    def __getattr__(self, name):
        return getattr(self._kb, name)


class Harness:
    """Sends signed Slack payloads to the app and exposes what the bot did."""

    _ids = itertools.count(1)

    def __init__(self, app, ctx, fake: FakeSlack, kb: SpyKB) -> None:
        self.app, self.ctx, self.fake, self.kb = app, ctx, fake, kb

    @property
    def store(self):
        return self.ctx.assistant.store

    def dispatch(self, body: str, content_type: str, retry: int | None = None):
        return self.app.dispatch(BoltRequest(body=body, headers=signed_headers(
            body, content_type, retry=retry)))

    def event(self, event: dict, *, event_id: str | None = None, retry: int | None = None,
              team: str = TEAM):
        body = json.dumps({
            "token": "legacy", "team_id": team, "api_app_id": "A0TEST", "type": "event_callback",
            "event": event, "event_id": event_id or f"Ev{next(self._ids):06d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": BOT_USER, "is_bot": True}],
        })
        return self.dispatch(body, "application/json", retry=retry)

    def mention(self, text: str, *, channel: str = "C0GENERAL", ts: str = "1699999999.000100",
                thread_ts: str | None = None, user: str = USER, **kw):
        event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}",
                 "channel": channel, "ts": ts, "client_msg_id": f"m-{ts}"}
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event, **kw)

    def message(self, text: str, *, channel: str, ts: str, channel_type: str = "channel",
                thread_ts: str | None = None, user: str = USER, **kw):
        event = {"type": "message", "user": user, "text": text, "channel": channel, "ts": ts,
                 "channel_type": channel_type, "client_msg_id": f"m-{ts}"}
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event, **kw)

    def command(self, command: str, text: str = "", *, user: str = USER,
                channel: str = "C0GENERAL", name: str = "cmd", team: str = TEAM):
        body = urlencode({
            "token": "legacy", "team_id": team, "team_domain": "test", "channel_id": channel,
            "channel_name": "general", "user_id": user, "user_name": "someone",
            "command": command, "text": text, "api_app_id": "A0TEST",
            "response_url": self.fake.response_url(name), "trigger_id": f"trig-{name}",
        })
        return self.dispatch(body, "application/x-www-form-urlencoded")

    def interactive(self, payload: dict):
        payload.setdefault("team", {"id": TEAM, "domain": "test"})
        payload.setdefault("api_app_id", "A0TEST")
        payload.setdefault("token", "legacy")
        body = urlencode({"payload": json.dumps(payload)})
        return self.dispatch(body, "application/x-www-form-urlencoded")

    def click(self, action_id: str, value: str, *, user: str = USER, channel: str = "C0GENERAL",
              message_ts: str = "1700000000.000001", thread_ts: str | None = None,
              ephemeral: bool = False, name: str = "act"):
        container = {"type": "message", "message_ts": message_ts, "channel_id": channel,
                     "is_ephemeral": ephemeral}
        payload = {"type": "block_actions", "user": {"id": user}, "channel": {"id": channel},
                   "container": container, "trigger_id": f"trig-{name}",
                   "response_url": self.fake.response_url(name),
                   "actions": [{"type": "button", "action_id": action_id, "block_id": "b",
                                "value": value, "action_ts": "1"}]}
        if not ephemeral:
            payload["message"] = {"type": "message", "ts": message_ts, "text": "answer",
                                  **({"thread_ts": thread_ts} if thread_ts else {})}
        return self.interactive(payload)

    def submit(self, view: dict, values: dict, *, user: str = USER):
        state = {"values": values}
        return self.interactive({"type": "view_submission", "user": {"id": user},
                                 "view": {**view, "id": "V0TEST", "state": state}})


def answer_posts(fake: FakeSlack, **match):
    """chat.postMessage calls that carry an answer (they have the feedback buttons)."""
    return [c for c in fake.find("chat.postMessage", **match)
            if any(b.get("block_id") == "answer_actions" for b in c.params.get("blocks", []))]


def wait_answers(fake: FakeSlack, count: int = 1, timeout: float = 10.0, **match):
    deadline = time.monotonic() + timeout
    while len(answer_posts(fake, **match)) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {count} answers {match}; calls: "
                                 f"{[(c.method, c.params.get('channel')) for c in fake.calls]}")
        time.sleep(0.01)
    return answer_posts(fake, **match)


def all_text(blocks) -> str:
    return json.dumps(blocks, ensure_ascii=False)


