"""Raw-socket HTTP/1.1 helpers for connection-hygiene tests: what a proxy or a hostile client
does on one kept-alive connection, which urllib and http.client would hide by reconnecting."""

from __future__ import annotations

import http.client
import socket
import time

#: Generous: only a broken server reaches these; passing runs take milliseconds.
DEADLINE = 10.0


def connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=DEADLINE)
    return sock


def request_bytes(method: str, path: str, body: bytes = b"", *,
                  content_type: str | None = "application/json",
                  headers: dict[str, str] | None = None, length: int | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    if method == "POST":
        lines.append(f"Content-Length: {len(body) if length is None else length}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One response from `sock` (sent before: nothing else is pending, so no over-read)."""
    response = http.client.HTTPResponse(sock)
    response.begin()
    body = response.read()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def exchange(sock: socket.socket, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    sock.sendall(raw)
    return read_response(sock)


def wait_closed(sock: socket.socket, deadline: float = DEADLINE) -> bool:
    """True once the peer closes (EOF or reset) within `deadline`; data is read and dropped."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        sock.settimeout(max(0.01, end - time.monotonic()))
        try:
            if not sock.recv(65536):
                return True
        except ConnectionError:
            return True
        except TimeoutError:
            return False
    return False
