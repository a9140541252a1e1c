"""`bot.health`: the /healthz report on healthy and broken stores, and the container probe."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version

import pytest

from bot.health import health_report, health_status_code, probe
from knowledge.kb import KnowledgeBase
from tests.conftest import make_settings
from tests.deploy.conftest import closed_port
from tests.deploy.test_doctor import ingest_one


@pytest.fixture
def indexed(tmp_path):
    ingest_one(tmp_path / "data", tmp_path)
    return make_settings(tmp_path / "data")


def test_healthy_store_with_model_loaded_is_ok(indexed):
    kb = KnowledgeBase(indexed)
    kb.embedder.embed_query("warm up")  # what the servers do at start
    report = health_report(indexed, kb)
    assert report["status"] == "ok"
    assert report["store"] == {"ok": True, "documents": 1, "passages": 1, "vectors": 1,
                               "detail": ""}
    assert report["model"] == {"ok": True, "loaded": True, "name": "fake-256"}
    assert report["database"]["ok"] is True
    assert report["version"] == version("sgbot")
    assert health_status_code(report) == 200


def test_probe_never_loads_the_model(indexed):
    kb = KnowledgeBase(indexed)
    report = health_report(indexed, kb)
    assert report["model"] == {"ok": True, "loaded": False, "name": "fake"}
    assert kb._embedder is None
    assert report["status"] == "degraded" and health_status_code(report) == 200


def test_empty_store_is_degraded_not_dead(settings):
    kb = KnowledgeBase(settings)
    kb.embedder.embed_query("warm up")
    report = health_report(settings, kb)
    assert report["status"] == "degraded"
    assert report["store"]["documents"] == 0
    assert report["store"]["detail"] == "no documents indexed yet"
    assert health_status_code(report) == 200


def test_unreachable_chroma_server_is_an_error(settings):
    port = closed_port()
    broken = settings.with_overrides(chroma_host="127.0.0.1", chroma_port=port)
    report = health_report(broken, KnowledgeBase(broken))
    assert report["status"] == "error"
    assert report["store"]["ok"] is False and report["store"]["documents"] is None
    assert f"127.0.0.1:{port}" in report["store"]["detail"]
    assert health_status_code(report) == 503


def test_unreachable_feedback_database_is_an_error(settings):
    broken = settings.with_overrides(
        db_url=f"postgresql+psycopg://sgbot:pw@127.0.0.1:{closed_port()}/sgbot")
    report = health_report(broken, KnowledgeBase(broken))
    assert report["status"] == "error"
    assert report["database"]["ok"] is False
    assert "Connection refused" in report["database"]["detail"]
    assert report["store"]["ok"] is True


def test_unwritable_data_dir_is_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    broken = make_settings(blocker / "data")
    report = health_report(broken, KnowledgeBase(broken))
    assert report["status"] == "error"
    assert report["store"]["ok"] is False and report["database"]["ok"] is False


class _HangingKB:
    """A knowledge base whose registry hangs (a stalled database) until the test releases it."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.release = threading.Event()

    def documents(self):
        self.release.wait(60)
        return []


def test_a_hanging_store_is_reported_instead_of_hanging_the_probe(settings):
    kb = _HangingKB(settings)
    try:  # returning at all proves the budget: the store never answers while we wait
        report = health_report(settings, kb, timeout=0.2)
    finally:
        kb.release.set()
    assert report["status"] == "error"
    assert report["store"]["ok"] is False and "did not answer within" in report["store"]["detail"]
    assert report["store"]["detail"] == "the store did not answer within 0.2s"


# --- container probe -------------------------------------------------------------------------


def serve_healthz(status: int):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            body = b'{"status": "x"}'
            self.send_response(status if self.path == "/healthz" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize("status, expected", [(200, 0), (503, 1)])
def test_probe_asks_the_running_teams_server(settings, status, expected):
    server = serve_healthz(status)
    try:
        port = server.server_address[1]
        assert probe(settings.with_overrides(teams_port=port)) == expected
    finally:
        server.shutdown()
        server.server_close()


def test_probe_asks_the_slack_http_server_first(settings):
    healthy, unhealthy = serve_healthz(200), serve_healthz(503)
    try:
        tuned = settings.with_overrides(slack_mode="http", slack_port=healthy.server_address[1],
                                        teams_port=unhealthy.server_address[1])
        assert probe(tuned) == 0
        assert probe(tuned.with_overrides(slack_mode="socket")) == 1  # socket: no Slack port
    finally:
        for server in (healthy, unhealthy):
            server.shutdown()
            server.server_close()


def test_probe_without_a_server_checks_in_process(settings):
    """Slack Socket Mode has no HTTP port: the probe checks the stores itself."""
    quiet = settings.with_overrides(teams_port=closed_port())
    assert probe(quiet) == 0
    broken = quiet.with_overrides(chroma_host="127.0.0.1", chroma_port=closed_port())
    assert probe(broken) == 1
