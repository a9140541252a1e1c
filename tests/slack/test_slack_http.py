"""HTTP mode end to end: the real server on a loopback port, signed events over real HTTP."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.health import health_response
from bot.slack.server import SlackHttpServer, check_settings
from knowledge.errors import ConfigError
from tests.slack.fake_slack import BOT_USER, TEAM
from tests.slack.harness import answer_posts, signed_headers, wait_answers
from tests.slack.served import start_served

REPO = Path(__file__).resolve().parents[2]


def _post(url: str, body: str, headers: dict, timeout: float = 10) -> tuple[int, str, float]:
    started = time.perf_counter()
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode(), time.perf_counter() - started
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode(), time.perf_counter() - started


@contextmanager
def _answers_held(bot):
    """Questions block inside the knowledge base until `release()`: a 200 that arrives while
    they are held proves Slack is acknowledged before (not after) the answer is worked out."""
    gate = threading.Event()
    real = bot.kb._kb.ask

    def held(question, **kwargs):
        assert gate.wait(30), "the test never released the held questions"
        return real(question, **kwargs)

    bot.kb._kb.ask = held
    try:
        yield gate.set
    finally:
        gate.set()
        bot.kb._kb.ask = real


def _event(text: str, channel: str, ts: str, event_id: str) -> str:
    return json.dumps({
        "token": "legacy", "team_id": TEAM, "api_app_id": "A0TEST", "type": "event_callback",
        "event_id": event_id, "event_time": int(time.time()),
        "event": {"type": "message", "channel_type": "im", "user": "UPRAC", "text": text,
                  "channel": channel, "ts": ts},
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    })


@pytest.fixture
def http_bot(bot, slack_settings):
    server = SlackHttpServer(bot.app, ("127.0.0.1", 0),
                             health=lambda: health_response(slack_settings, bot.kb))
    server.start_background()
    yield bot, server.url
    server.shutdown()
    server.server_close()


def test_http_mode_answers_a_signed_event_and_serves_healthz(http_bot):
    bot, url = http_bot
    challenge = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "x"})
    status, body, _ = _post(url + "/slack/events", challenge,
                            signed_headers(challenge, "application/json"))
    assert status == 200 and "c-123" in body

    event = _event("Who chairs the partnership?", "D0HTTP", "1700003000.000100", "EvHTTP1")
    forged = signed_headers(event, "application/json", secret="wrong-secret")
    assert _post(url + "/slack/events", event, forged)[0] == 401
    assert bot.kb.asked == []

    with _answers_held(bot) as release:  # acknowledged while the answer is still being worked on
        status, _, _ = _post(url + "/slack/events", event,
                             signed_headers(event, "application/json"))
        assert status == 200 and bot.fake.find("chat.postMessage", channel="D0HTTP") == []
        release()
    post = wait_answers(bot.fake, channel="D0HTTP")[0]
    assert "Quillfeather" in json.dumps(post.params["blocks"])

    with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
        report = json.loads(response.read())
        assert response.status == 200
    assert report["status"] in {"ok", "degraded"} and report["store"]["documents"] == 2
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(url + "/nowhere", timeout=10)
    assert missing.value.code == 404
    missing.value.close()


def test_http_mode_handles_twenty_simultaneous_questions(http_bot):
    bot, url = http_bot
    results: list[tuple[int, float]] = []
    lock = threading.Lock()

    def send(i: int) -> None:
        body = _event(f"Who chairs the partnership? ({i})", f"D0C{i:02d}",
                      f"1700004000.{i:06d}", f"EvC{i:02d}")
        status, _, elapsed = _post(url + "/slack/events", body,
                                   signed_headers(body, "application/json"))
        with lock:
            results.append((status, elapsed))

    with _answers_held(bot) as release:  # every delivery is acknowledged before any answer
        threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert len(results) == 20 and all(status == 200 for status, _ in results)
        assert answer_posts(bot.fake) == []
        release()
    for i in range(20):
        wait_answers(bot.fake, channel=f"D0C{i:02d}", timeout=30)


def test_serve_refuses_incomplete_settings(slack_settings):
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        check_settings(slack_settings.with_overrides(slack_mode="socket", slack_app_token=None))
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        check_settings(slack_settings.with_overrides(slack_signing_secret=None))
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        check_settings(slack_settings.with_overrides(slack_bot_token=None))


@pytest.mark.slow
@pytest.mark.integration
def test_sgbot_serve_slack_http_process(slack_settings, fake_slack, tmp_path):
    """`sgbot serve slack --mode http` as a real process: answers, /healthz, stops on SIGTERM."""
    process, url = start_served(slack_settings, fake_slack, tmp_path)
    try:
        body = _event("Who chairs the partnership?", "D0PROC", "1700005000.000100", "EvPROC")
        status, _, _ = _post(url + "/slack/events", body,
                             signed_headers(body, "application/json"))
        assert status == 200
        wait_answers(fake_slack, channel="D0PROC", timeout=30)
    finally:
        process.terminate()
        assert process.wait(timeout=20) == 0
        process.stdout.close()
        process.stderr.close()


def test_socket_mode_handler_uses_the_configured_web_api(bot, fake_slack):
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(bot.app, "xapp-test-token")
    assert handler.client.web_client.base_url == fake_slack.api_url
    handler.client.close()
