"""Connection hygiene of the real Teams server (uvicorn + the SDK) on loopback over raw sockets:
malformed bodies, oversize bodies on kept-alive connections, stalled clients, the connection
cap. Runs in the loopback no-auth test mode; token claims are covered in test_auth.py."""

from __future__ import annotations

import json
import time

import pytest

from bot.teams.http_guard import DRAIN_LIMIT, MAX_BODY, check_token_claims
from bot.teams.server import MESSAGING_ENDPOINT
from knowledge.errors import BadRequest
from tests.http_raw import DEADLINE, connect, exchange, read_response, request_bytes, wait_closed

HEALTH = request_bytes("GET", "/healthz", content_type=None)


@pytest.fixture
def teams_settings(sample_kb):
    return sample_kb.settings.with_overrides(teams_insecure_no_auth=True, host="127.0.0.1")


@pytest.mark.parametrize("content_type, body, error", [
    ("application/json", b'{"type": "message", ', "malformed JSON body"),
    ("application/json", b'["message"]', "malformed JSON body"),
    ("application/json", b'{"text": "\xff"}', "malformed JSON body"),
    ("text/plain", b'{"type": "message"}', "unsupported content type"),
    (None, b'{"type": "message"}', "unsupported content type"),
])
def test_malformed_body_is_a_400_and_the_connection_stays_usable(start_bot, teams_settings,
                                                                 sample_kb, content_type, body,
                                                                 error):
    bot = start_bot(teams_settings, sample_kb)
    with connect(bot.url) as sock:
        status, _, text = exchange(sock, request_bytes("POST", MESSAGING_ENDPOINT, body,
                                                       content_type=content_type))
        assert (status, json.loads(text)) == (400, {"error": error})
        assert exchange(sock, HEALTH)[0] == 200  # same connection, next request


def test_oversize_body_does_not_desync_keep_alive(start_bot, teams_settings, sample_kb):
    bot = start_bot(teams_settings, sample_kb)
    smuggled = request_bytes("GET", "/smuggled", content_type=None)
    body = smuggled + b"x" * (MAX_BODY + 1 - len(smuggled))
    with connect(bot.url) as sock:
        status, _, text = exchange(sock, request_bytes("POST", MESSAGING_ENDPOINT, body))
        assert (status, json.loads(text)) == (413, {"error": "request too large"})
        status, _, text = exchange(sock, HEALTH)
        assert status == 200 and "status" in json.loads(text)


def test_huge_declared_body_gets_413_and_a_clean_close(start_bot, teams_settings, sample_kb):
    bot = start_bot(teams_settings, sample_kb)
    with connect(bot.url) as sock:
        sock.sendall(request_bytes("POST", MESSAGING_ENDPOINT, b"x" * 1000,
                                   length=DRAIN_LIMIT + 1))
        status, headers, _ = read_response(sock)
        assert status == 413 and headers["connection"].lower() == "close"
        assert wait_closed(sock)


@pytest.mark.parametrize("partial", [
    b"",
    b"POST /api/messages HTTP/1.1\r\nHost: x\r\n",
    request_bytes("POST", MESSAGING_ENDPOINT, b'{"type"', length=100),
    HEALTH,  # answered, then idle on keep-alive
])
def test_stalled_connection_is_closed_after_the_idle_timeout(start_bot, teams_settings,
                                                             sample_kb, partial):
    bot = start_bot(teams_settings.with_overrides(http_idle_timeout=0.2), sample_kb)
    with connect(bot.url) as sock:
        sock.sendall(partial)
        assert wait_closed(sock)


def test_connections_beyond_the_cap_get_a_quick_503(start_bot, teams_settings, sample_kb):
    bot = start_bot(teams_settings.with_overrides(http_max_connections=2), sample_kb)
    held = [connect(bot.url) for _ in range(2)]
    try:
        assert exchange(held[0], HEALTH)[0] == 200  # both admitted connections are open
        assert exchange(held[1], HEALTH)[0] == 200
        with connect(bot.url) as sock:
            assert exchange(sock, HEALTH)[0] == 503
        held.pop().close()
        end = time.monotonic() + DEADLINE
        while True:  # the server notices the close asynchronously
            with connect(bot.url) as sock:
                if exchange(sock, HEALTH)[0] == 200:
                    break
            assert time.monotonic() < end
            time.sleep(0.02)
    finally:
        for sock in held:
            sock.close()


def _bearer(**claims) -> str:
    import jwt

    return "Bearer " + jwt.encode(claims, "k" * 32, algorithm="HS256")


@pytest.mark.parametrize("claims, ok", [
    ({"exp": 2000}, True),
    ({"exp": 2000, "iat": 1000, "nbf": 1000}, True),
    ({"exp": 2000, "iat": 1000 + 299}, True),          # within the clock leeway
    ({}, False),
    ({"exp": "2000"}, False),
    ({"exp": True}, False),
    ({"exp": 1000 - 301}, False),                      # expired beyond the leeway
    ({"exp": 5000, "iat": 1000 + 301}, False),
    ({"exp": 5000, "nbf": "soon"}, False),
    ({"exp": 1000 + 24 * 3600 + 1, "iat": 1000}, False),
])
def test_token_claim_rules(claims, ok):
    if ok:
        check_token_claims(_bearer(**claims), now=1000)
    else:
        with pytest.raises(BadRequest) as refused:
            check_token_claims(_bearer(**claims), now=1000)
        assert refused.value.status == 401


def test_missing_or_garbled_bearer_is_refused():
    for value in (None, "", "Basic abc", "Bearer not-a-jwt"):
        with pytest.raises(BadRequest):
            check_token_claims(value, now=1000)
