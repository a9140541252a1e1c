"""No message text in any log line: every failure path of the Slack HTTP endpoint, driven over
real HTTP with a marker in the message, leaves the marker in no log output at any level (a root
handler at DEBUG in process, and the stderr of a real `sgbot serve slack --mode http`)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from pathlib import Path

import pytest

from bot import log_guard
from bot.slack.http_hygiene import MAX_BODY
from bot.slack.server import SlackHttpServer
from tests.log_capture import capture_all
from tests.slack.harness import SECRET, signed_headers
from tests.slack.served import start_served
from tests.slack.test_slack_http import _event, _post

REPO = Path(__file__).resolve().parents[2]
MARKER = "Quokkamarble Zephyrine 07700 900612"  # invented; stands for what a practitioner typed
OLD = 60 * 60  # seconds: Slack rejects request timestamps older than five minutes


def _stale_headers(body: str) -> dict[str, str]:
    ts = str(int(time.time()) - OLD)
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"content-type": "application/json", "x-slack-request-timestamp": ts,
            "x-slack-signature": f"v0={digest}"}


LIBRARIES = ("slack_bolt", "slack_sdk")


@pytest.fixture
def captured():
    with capture_all(LIBRARIES) as handler:
        yield handler


def _failure_requests(event: str):
    """(what, body, headers, expected status) for each way a request can fail."""
    malformed = '{"type": "event_callback", "event": {"text": "' + MARKER
    oversize = _event(MARKER + " " + "x" * (MAX_BODY + 10), "D0LOG", "1700009000.000200",
                      "EvBig")
    return [
        ("bad signature", event, signed_headers(event, "application/json", secret="wrong"),
         {401}),
        ("stale timestamp", event, _stale_headers(event), {401}),
        ("malformed body", malformed, signed_headers(malformed, "application/json"),
         {400, 401, 404, 500}),
        ("oversize body", oversize, signed_headers(oversize, "application/json"), {413}),
    ]


def test_third_party_records_are_scrubbed_and_ours_kept(captured):
    logging.getLogger("slack_bolt.App").warning(f"Invalid request (body: {MARKER})")
    logging.getLogger("uvicorn.error").error("Exception in ASGI app", exc_info=ValueError(MARKER))
    logging.getLogger("sqlalchemy.engine").warning("params %s", (MARKER,))
    logging.getLogger("bot.slack.server").info("slack http status=%s ms=%d", 401, 3)
    text = "\n".join(captured.lines)
    assert MARKER not in text
    assert "Invalid request [details withheld]" in text and "(ValueError)" in text
    assert "slack http status=401 ms=3" in text


def test_scrub_message_keeps_plain_status_lines():
    assert log_guard.scrub_message("Uvicorn running") == "Uvicorn running"
    assert log_guard.scrub_message("x" * 200) == "x" * log_guard.KEPT_CHARS + log_guard.WITHHELD


def test_every_failure_path_keeps_message_text_out_of_the_logs(captured, make_bot,
                                                                slack_settings):
    bot = make_bot(slack_settings)  # built after the capture, so Bolt's loggers log at DEBUG
    server = SlackHttpServer(bot.app, ("127.0.0.1", 0))
    server.start_background()
    failed = threading.Event()

    def broken_ask(question, **kwargs):
        failed.set()
        raise RuntimeError("knowledge base unavailable")

    try:
        event = _event(f"Is {MARKER} safe at home?", "D0LOG", "1700009000.000100", "EvLog1")
        for what, body, headers, expected in _failure_requests(event):
            status, _, _ = _post(server.url + "/slack/events", body, headers)
            assert status in expected, what
        bot.kb.ask = broken_ask  # internal error while answering a genuine request
        status, _, _ = _post(server.url + "/slack/events", event,
                             signed_headers(event, "application/json"))
        assert status == 200
        assert failed.wait(30)
        server.shutdown()  # joins request threads, so the error has been handled and logged
    finally:
        server.server_close()
    text = "\n".join(captured.lines)
    assert "signature" in text  # Bolt did log the failures (scrubbed)
    assert MARKER not in text
    assert "Quokkamarble" not in text and "900612" not in text


@pytest.mark.slow
@pytest.mark.integration
def test_sgbot_serve_slack_stderr_has_no_message_text(slack_settings, fake_slack, tmp_path):
    process, url = start_served(slack_settings, fake_slack, tmp_path, SGBOT_LOG_LEVEL="DEBUG")
    try:
        event = _event(f"Is {MARKER} safe at home?", "D0LOGP", "1700009100.000100", "EvLogP")
        for what, body, headers, expected in _failure_requests(event):
            status, _, _ = _post(url + "/slack/events", body, headers)
            assert status in expected, what
    finally:
        process.terminate()
        out, err = process.communicate(timeout=20)
    stderr = err.decode("utf-8", "replace")
    assert "listening" in stderr  # our own structured lines still reach the log
    assert MARKER not in stderr and "Quokkamarble" not in stderr
    assert MARKER not in out.decode("utf-8", "replace")

