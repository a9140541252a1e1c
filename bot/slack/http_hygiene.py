"""Connection hygiene for the threaded Slack HTTP server (`bot.slack.server`).

Why each piece exists:
- a body Bolt cannot parse (bad JSON, bad form encoding, wrong content type) used to raise in
  the handler thread and drop the connection: it is checked first and answered 400;
- a refused oversize body left unread on a kept-alive connection is parsed as the next request
  (desync behind a proxy): it is read and discarded up to `DRAIN_LIMIT`, else the connection is
  closed with `Connection: close` after a short lingering read so the 413 is not lost to a reset;
- `ThreadingHTTPServer` spends one thread per connection, so connections beyond a cap get a
  quick 503 from the accepting thread. Slack retries a failed delivery with back-off and stops
  waiting after 3 s, so a fast 503 (the retry comes later, when a slot may be free) serves it
  better than a queue whose wait would use up those 3 s anyway.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from urllib.parse import parse_qsl

from knowledge.errors import BadRequest, InvalidArgument

log = logging.getLogger(__name__)

#: Largest body accepted: Slack's event and interaction payloads are a few kB to ~100 kB.
MAX_BODY = 1_000_000
#: An oversize body up to this size is read and discarded so the connection stays usable.
DRAIN_LIMIT = 4 * MAX_BODY
#: After a `Connection: close` answer, read at most this long/much so closing sends FIN, not RST.
LINGER_SECONDS = 1.0
LINGER_BYTES = 1_000_000
_CHUNK = 65_536
JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"
REFUSAL = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
           b"Content-Length: 12\r\nRetry-After: 1\r\nConnection: close\r\n\r\nserver busy\n")

__all__ = ["BadRequest", "ConnectionCap", "read_body", "send_and_linger", "validate_body",
           "MAX_BODY", "DRAIN_LIMIT"]


def read_body(handler) -> bytes:
    """The request body per Content-Length; raises BadRequest (413/400/411) or ConnectionError."""
    if handler.headers.get("Transfer-Encoding"):
        raise BadRequest("length required", status=411, close=True)  # cannot frame: close
    raw = (handler.headers.get("Content-Length") or "0").strip()
    if not raw.isdigit():
        raise BadRequest("bad content length", close=True)
    length = int(raw)
    if length > MAX_BODY:
        if length > DRAIN_LIMIT:
            raise BadRequest("request too large", status=413, close=True)
        _discard(handler.rfile, length)
        raise BadRequest("request too large", status=413)
    body = handler.rfile.read(length)
    if len(body) < length:
        raise ConnectionError("client closed the connection mid-body")
    return body


def _discard(rfile, length: int) -> None:
    while length > 0:
        got = rfile.read(min(_CHUNK, length))
        if not got:
            raise ConnectionError("client closed the connection mid-body")
        length -= len(got)


def validate_body(content_type: str | None, raw: bytes) -> str:
    """The body as text if Bolt can parse it (mirrors `slack_bolt`'s `parse_body`)."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media not in {JSON_TYPE, FORM_TYPE}:
        raise BadRequest("unsupported content type")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("body is not UTF-8") from None
    if not text:
        raise BadRequest("empty body")
    if media == JSON_TYPE or text.startswith("{"):
        _json_object(text, "malformed JSON body")
        return text
    try:
        fields = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True,
                                errors="strict"))
    except ValueError:  # includes UnicodeDecodeError from bad percent-escapes
        raise BadRequest("malformed form body") from None
    if "payload" in fields:
        _json_object(fields["payload"], "malformed payload field")
    return text


def _json_object(text: str, message: str) -> None:
    try:
        parsed = json.loads(text)
    except ValueError:
        raise BadRequest(message) from None
    if not isinstance(parsed, dict):
        raise BadRequest(message)


def send_and_linger(handler, status: int, body: bytes) -> None:
    """Answer with `Connection: close`, then read briefly so the close does not reset."""
    handler.close_connection = True
    handler.send_response(status)
    handler.send_header("Content-Type", "text/plain; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(body)
    handler.wfile.flush()
    linger(handler.connection)


def linger(sock: socket.socket) -> None:
    """Half-close, then discard input until EOF or a bound: unread input at close means RST."""
    try:
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(LINGER_SECONDS)
        received = 0
        while received < LINGER_BYTES:
            got = sock.recv(_CHUNK)
            if not got:
                return
            received += len(got)
    except OSError:  # timeout or reset: the connection is being closed either way
        return


class ConnectionCap:
    """Mixin for a `ThreadingMixIn` server: at most `max_connections` handler threads."""

    def init_cap(self, max_connections: int) -> None:
        if max_connections < 1:
            raise InvalidArgument(f"max_connections must be >= 1, got {max_connections}")
        self.max_connections = max_connections
        self.active = 0
        self.refused = 0
        self._cap_lock = threading.Lock()

    def process_request(self, request, client_address) -> None:
        with self._cap_lock:
            admitted = self.active < self.max_connections
            if admitted:
                self.active += 1
            else:
                self.refused += 1
                refused = self.refused
        if not admitted:
            log.warning("http connection refused: %d open (cap), %d refused so far",
                        self.max_connections, refused)
            _refuse(request)
            return
        try:
            super().process_request(request, client_address)  # type: ignore[misc]
        except BaseException:
            self._release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)  # type: ignore[misc]
        finally:
            self._release()

    def _release(self) -> None:
        with self._cap_lock:
            self.active -= 1


def _refuse(sock: socket.socket) -> None:
    """503 from the accepting thread without blocking it: a fresh socket's send buffer takes
    the few bytes at once; whatever request already arrived is discarded before closing."""
    try:
        sock.setblocking(False)
        sock.send(REFUSAL)
        sock.shutdown(socket.SHUT_WR)
        sock.recv(_CHUNK)
    except OSError:  # nothing to read yet, or the client left: closing is all that is left
        pass
    finally:
        sock.close()
