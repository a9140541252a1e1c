"""Connection hygiene of the real Slack HTTP server on loopback, driven over raw sockets:
malformed bodies, oversize bodies on kept-alive connections, stalled clients, the connection cap.
The Bolt app is a stub: these tests are about framing, not about answering."""

from __future__ import annotations

import json
import socket
import time

import pytest
from slack_bolt import BoltResponse

from bot.slack.http_hygiene import DRAIN_LIMIT, MAX_BODY
from bot.slack.server import EVENTS_PATH, SlackHttpServer
from tests.http_raw import DEADLINE, connect, exchange, read_response, request_bytes, wait_closed

HEALTH = request_bytes("GET", "/healthz", content_type=None)


class StubApp:
    def __init__(self) -> None:
        self.bodies: list[str] = []

    def dispatch(self, request) -> BoltResponse:
        self.bodies.append(request.raw_body)
        return BoltResponse(status=200, body="ok")


@pytest.fixture
def serve():
    servers: list[SlackHttpServer] = []

    def start(**limits) -> tuple[SlackHttpServer, StubApp]:
        app = StubApp()
        server = SlackHttpServer(app, ("127.0.0.1", 0), **limits)
        server.start_background()
        servers.append(server)
        return server, app

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("content_type, body, message", [
    ("application/json", b'{"type": "event_callback", ', b"malformed JSON body"),
    ("application/json", b"[1, 2]", b"malformed JSON body"),
    ("application/json", b'{"text": "\xff"}', b"body is not UTF-8"),
    ("application/x-www-form-urlencoded", b"command=%2Fask&text=%FF%FE", b"malformed form body"),
    ("application/x-www-form-urlencoded", b"payload=%7Bnot-json", b"malformed payload field"),
    ("application/x-www-form-urlencoded", b"no-equals-sign", b"malformed form body"),
    ("text/plain", b"hello", b"unsupported content type"),
    (None, b'{"type": "x"}', b"unsupported content type"),
])
def test_malformed_body_is_a_400_and_the_connection_stays_usable(serve, content_type, body,
                                                                 message):
    server, app = serve()
    with connect(server.url) as sock:
        status, _, text = exchange(sock, request_bytes("POST", EVENTS_PATH, body,
                                                       content_type=content_type))
        assert (status, text) == (400, message)
        status, _, _ = exchange(sock, HEALTH)  # same connection, next request
        assert status == 200
    assert app.bodies == []


def test_well_formed_bodies_reach_the_app(serve):
    server, app = serve()
    with connect(server.url) as sock:
        event = json.dumps({"type": "event_callback", "event": {"text": "hi"}}).encode()
        assert exchange(sock, request_bytes("POST", EVENTS_PATH, event))[0] == 200
        form = b"command=%2Fask&text=who+chairs"
        assert exchange(sock, request_bytes(
            "POST", EVENTS_PATH, form, content_type="application/x-www-form-urlencoded"))[0] == 200
    assert len(app.bodies) == 2


def test_oversize_body_is_drained_so_keep_alive_is_not_desynced(serve):
    server, app = serve()
    # The oversize body itself looks like a request: if it were left unread, it would be
    # answered as the next request on this connection.
    smuggled = request_bytes("GET", "/smuggled", content_type=None)
    body = smuggled + b"x" * (MAX_BODY + 1 - len(smuggled))
    with connect(server.url) as sock:
        status, headers, _ = exchange(sock, request_bytes("POST", EVENTS_PATH, body))
        assert status == 413 and headers.get("connection", "").lower() != "close"
        status, _, text = exchange(sock, HEALTH)
        assert status == 200 and json.loads(text) == {"status": "ok"}
    assert app.bodies == []


def test_huge_declared_body_gets_413_and_a_clean_close(serve):
    server, _ = serve()
    with connect(server.url) as sock:
        sock.sendall(request_bytes("POST", EVENTS_PATH, b"x" * 1000, length=DRAIN_LIMIT + 1))
        status, headers, text = read_response(sock)
        assert (status, text) == (413, b"request too large")
        assert headers["connection"].lower() == "close"
        assert wait_closed(sock)


@pytest.mark.parametrize("partial", [
    b"",                                                   # connected, never spoke
    b"POST /slack/events HTTP/1.1\r\nHost: x\r\n",         # headers never finished
    request_bytes("POST", EVENTS_PATH, b'{"type"', length=100),  # body stalls
])
def test_stalled_connection_is_closed_after_the_idle_timeout(serve, partial):
    server, app = serve(idle_timeout=0.2)
    with connect(server.url) as sock:
        sock.sendall(partial)
        assert wait_closed(sock)
    assert app.bodies == []


def _wait_active(server: SlackHttpServer, count: int) -> None:
    end = time.monotonic() + DEADLINE
    while server.active != count:
        assert time.monotonic() < end, f"{server.active} active, expected {count}"
        time.sleep(0.01)


def test_connections_beyond_the_cap_get_a_quick_503(serve):
    server, _ = serve(max_connections=2)
    held = [connect(server.url) for _ in range(2)]
    try:
        _wait_active(server, 2)
        with connect(server.url) as sock:
            status, headers, _ = exchange(sock, HEALTH)
            assert status == 503 and headers["retry-after"] == "1"
            assert wait_closed(sock)
        assert server.refused == 1
        assert exchange(held[0], HEALTH)[0] == 200  # admitted connections are unaffected
        held.pop().close()
        _wait_active(server, 1)
        with connect(server.url) as sock:
            assert exchange(sock, HEALTH)[0] == 200
    finally:
        for sock in held:
            sock.close()


def test_limits_come_from_settings(settings):
    assert settings.http_idle_timeout == 15.0 and settings.http_max_connections == 64
    server = SlackHttpServer(StubApp(), ("127.0.0.1", 0), idle_timeout=settings.http_idle_timeout,
                             max_connections=settings.http_max_connections)
    try:
        assert (server.idle_timeout, server.max_connections) == (15.0, 64)
    finally:
        server.server_close()


def test_refused_connection_does_not_block_the_accept_loop(serve):
    """A refused client that never reads nor closes must not hold up the next one."""
    server, _ = serve(max_connections=1)
    held = connect(server.url)
    try:
        _wait_active(server, 1)
        silent = socket.create_connection(server.server_address[:2], timeout=DEADLINE)
        with silent, connect(server.url) as sock:
            sock.sendall(HEALTH)
            assert read_response(sock)[0] == 503
        assert server.refused == 2
    finally:
        held.close()
