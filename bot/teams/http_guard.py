"""Connection hygiene and token-claim checks in front of the Teams SDK's `/api/messages`.

Why each piece exists:
- the SDK's FastAPI route calls `request.json()` unguarded, so a malformed body became a 500
  with a traceback: `MessagesGuard` answers 400 for a wrong content type or bad JSON, and 413
  for an oversize body (with `Connection: close` beyond `DRAIN_LIMIT`; below it uvicorn reads
  and discards the rest, so keep-alive stays in sync);
- the SDK validates signatures with PyJWT, which checks `exp` only when present: a signed token
  without `exp` never expired. `check_token_claims` requires `exp` and sane `nbf`/`iat`;
  signature, audience, issuer and service URL stay the SDK's job;
- uvicorn times out only idle keep-alive gaps: `IdleTimeoutProtocol` also closes a connection
  that stalls before or inside a request. The connection cap is uvicorn's `limit_concurrency`
  (quick 503s), see `uvicorn_options`.
"""

from __future__ import annotations

import json
import time

import jwt

try:  # uvicorn's fast parser when httptools is installed (it is, via chromadb's uvicorn[standard])
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _UvicornProtocol
except ImportError:  # pragma: no cover - h11 always ships with uvicorn; same cycle attributes
    from uvicorn.protocols.http.h11_impl import H11Protocol as _UvicornProtocol

from knowledge.errors import BadRequest

#: The Bot Connector's activities are a few kB; attachments arrive as URLs, not inline.
MAX_BODY = 1_000_000
#: Below this an oversize body is discarded by uvicorn and keep-alive kept; above, close.
DRAIN_LIMIT = 4 * MAX_BODY
#: Clock skew tolerated, as the SDK's own validator (JWT_LEEWAY_SECONDS).
CLOCK_LEEWAY = 300
#: Bot Framework and Entra tokens live about an hour; a longer-lived one is refused.
MAX_TOKEN_LIFETIME = 24 * 3600
UNAUTHORIZED = "Unauthorized"

__all__ = ["MessagesGuard", "IdleTimeoutProtocol", "check_token_claims", "uvicorn_options",
           "with_stall_timer"]


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_token_claims(authorization: str | None, now: float | None = None) -> None:
    """Raise BadRequest(401) unless the bearer token has a current `exp` and sane `nbf`/`iat`.

    Claims are read without verifying the signature: this only adds rules the SDK's verified
    decode lacks, and refuses early; it never accepts a token the SDK would refuse.
    """
    refused = BadRequest(UNAUTHORIZED, status=401)
    if not authorization or not authorization.startswith("Bearer "):
        raise refused
    try:
        claims = jwt.decode(authorization.removeprefix("Bearer "),
                            options={"verify_signature": False})
    except jwt.InvalidTokenError:
        raise refused from None
    now = time.time() if now is None else now
    exp, nbf, iat = claims.get("exp"), claims.get("nbf"), claims.get("iat")
    if not _number(exp) or exp < now - CLOCK_LEEWAY:
        raise refused
    for issued in (nbf, iat):
        if issued is not None and (not _number(issued) or issued > now + CLOCK_LEEWAY):
            raise refused
    start = iat if iat is not None else nbf if nbf is not None else now
    if exp - start > MAX_TOKEN_LIFETIME:
        raise refused


class MessagesGuard:
    """ASGI middleware: checks POST `path` bodies (and token claims when `check_claims`)."""

    def __init__(self, app, *, path: str, check_claims: bool) -> None:
        self.app = app
        self.path = path
        self.check_claims = check_claims

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value.decode("latin-1") for name, value in scope["headers"]}
        try:
            body = await _read_body(headers, receive)
            if body is None:  # client went away
                return
            _check_json(headers.get(b"content-type"), body)
            if self.check_claims:
                check_token_claims(headers.get(b"authorization"))
        except BadRequest as exc:
            await _respond(send, exc.status, str(exc), close=exc.close)
            return
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _read_body(headers: dict, receive) -> bytes | None:
    declared = headers.get(b"content-length", "").strip()
    if declared and not declared.isdigit():
        raise BadRequest("bad content length", close=True)
    if declared and int(declared) > MAX_BODY:
        raise BadRequest("request too large", status=413, close=int(declared) > DRAIN_LIMIT)
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:  # chunked transfer without a declared length
            raise BadRequest("request too large", status=413, close=True)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _check_json(content_type: str | None, body: bytes) -> None:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json":
        raise BadRequest("unsupported content type")
    try:
        parsed = json.loads(body)
    except ValueError:  # includes bad UTF-8
        raise BadRequest("malformed JSON body") from None
    if not isinstance(parsed, dict):
        raise BadRequest("malformed JSON body")


async def _respond(send, status: int, error: str, *, close: bool) -> None:
    body = json.dumps({"error": error}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def with_stall_timer(base: type) -> type:
    """`base` (a uvicorn HTTP protocol class) that also closes stalled connections."""

    class IdleTimeoutProtocol(base):
        """uvicorn's HTTP protocol, also closing connections that stall mid-request.

        The timer (the keep-alive timeout) restarts on every read; when it fires, the connection
        is closed unless the app is working on a complete request or uvicorn's own keep-alive
        timer is already counting.
        """

        _read_timer = None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self._arm()

        def connection_lost(self, exc) -> None:
            if self._read_timer is not None:
                self._read_timer.cancel()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._read_timer is not None:
                self._read_timer.cancel()
            self._read_timer = self.loop.call_later(self.timeout_keep_alive, self._stalled)

        def _stalled(self) -> None:
            self._read_timer = None
            cycle = self.cycle
            app_working = (cycle is not None and not cycle.more_body
                           and not cycle.response_complete)
            if app_working or self.timeout_keep_alive_task is not None:
                return
            if not self.transport.is_closing():
                self.transport.close()

    return IdleTimeoutProtocol


IdleTimeoutProtocol = with_stall_timer(_UvicornProtocol)


def uvicorn_options(settings) -> dict:
    """uvicorn.Config keywords for the idle timeout and the connection cap.

    uvicorn answers 503 once its open connections (the requesting one included) reach
    `limit_concurrency`, hence the +1 for `SGBOT_HTTP_MAX_CONNECTIONS` connections served.
    """
    return {"http": IdleTimeoutProtocol, "timeout_keep_alive": settings.http_idle_timeout,
            "limit_concurrency": settings.http_max_connections + 1}
