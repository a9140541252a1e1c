"""`sgbot serve slack`: Socket Mode (default) or an HTTP endpoint at `/slack/events`.

The HTTP server is a threading `http.server`: one thread per connection, so Slack's concurrent
deliveries (and `GET /healthz` probes) never queue behind a slow search. Connection hygiene
lives in `bot.slack.http_hygiene`: malformed bodies get a 400, oversize ones a 413 without
desyncing keep-alive, idle connections time out, and connections beyond a cap get a quick 503.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from slack_bolt import BoltRequest

from bot.health import health_response
from bot.slack.app import build_app
from bot.slack.http_hygiene import (
    BadRequest,
    ConnectionCap,
    read_body,
    send_and_linger,
    validate_body,
)
from knowledge.errors import ConfigError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


class SlackHttpServer(ConnectionCap, ThreadingHTTPServer):
    """Serves a Bolt app's `dispatch` at /slack/events and a health report at /healthz.

    `idle_timeout` and `max_connections` default to the settings' defaults
    (SGBOT_HTTP_IDLE_TIMEOUT, SGBOT_HTTP_MAX_CONNECTIONS).
    """

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, app, address: tuple[str, int], health=None, *,
                 idle_timeout: float | None = None, max_connections: int | None = None) -> None:
        from knowledge.settings import Settings

        self.app = app
        self.health = health or (lambda: (200, {"status": "ok"}))
        self.idle_timeout = Settings.http_idle_timeout if idle_timeout is None else idle_timeout
        self.init_cap(Settings.http_max_connections if max_connections is None
                      else max_connections)
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, args=(0.1,), name="sgbot-slack-http",
                                  daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: SlackHttpServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        self.timeout = self.server.idle_timeout  # every read and write on the socket
        super().setup()

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (TimeoutError, ConnectionError):  # stalled or vanished client: just close
            self.close_connection = True

    def _send(self, status: int, body: bytes, headers: dict[str, list[str]] | None = None,
              *, close: bool = False) -> None:
        if close:
            send_and_linger(self, status, body)
            return
        self.send_response(status)
        sent = set()
        for name, values in (headers or {}).items():
            if name.lower() in {"content-length", "connection"}:
                continue
            for value in values:
                self.send_header(name, value)
            sent.add(name.lower())
        if "content-type" not in sent:
            self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        if urlsplit(self.path).path == "/healthz":
            status, report = self.server.health()
            self._send(status, json.dumps(report).encode(),
                       {"Content-Type": ["application/json"]})
        else:
            self._send(404, b"not found")

    def do_POST(self) -> None:  # noqa: N802
        started = time.perf_counter()
        parts = urlsplit(self.path)
        if parts.path != EVENTS_PATH:
            self._send(404, b"not found")
            return
        try:
            raw = read_body(self)
            body = validate_body(self.headers.get("Content-Type"), raw)
        except BadRequest as exc:
            self._send(exc.status, str(exc).encode(), close=exc.close)
            return
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        response = self.server.app.dispatch(BoltRequest(body=body, query=parts.query,
                                                        headers=headers))
        self._send(response.status, response.body.encode("utf-8"), response.headers)
        log.debug("slack http status=%s ms=%.0f", response.status,
                  1000 * (time.perf_counter() - started))

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server API)
        log.debug("slack http %s", format % args)


def check_settings(settings) -> None:
    if not settings.slack.bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set",
                          hint="install the app from manifest.yml and copy its Bot User OAuth "
                               "Token (xoxb-…); see docs/slack.md")
    if settings.slack.mode == "socket" and not settings.slack.app_token:
        raise ConfigError("SLACK_APP_TOKEN is not set (needed for Socket Mode)",
                          hint="create an app-level token with connections:write (xapp-…), or "
                               "use SGBOT_SLACK_MODE=http with SLACK_SIGNING_SECRET")
    if settings.slack.mode == "http" and not settings.slack.signing_secret:
        raise ConfigError("SLACK_SIGNING_SECRET is not set (needed for HTTP mode)",
                          hint="copy the Signing Secret from the app's Basic Information page")


def serve(settings, kb) -> int:
    """Run the Slack bot until interrupted or terminated."""
    check_settings(settings)
    app, _ = build_app(settings, kb)
    if settings.slack.mode == "socket":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        log.info("slack bot starting in Socket Mode")
        SocketModeHandler(app, settings.slack.app_token).start()
        return 0
    server = SlackHttpServer(app, (settings.host, settings.slack.port),
                             health=lambda: health_response(settings, kb),
                             idle_timeout=settings.http_idle_timeout,
                             max_connections=settings.http_max_connections)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    log.info("slack bot listening on %s%s (HTTP mode)", server.url, EVENTS_PATH)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("slack bot interrupted")
    finally:
        server.server_close()
    return 0
