"""A fake Slack Web API on a real loopback HTTP server, in the style of bolt-python's
`tests/mock_web_api_server`: it answers the methods the bot calls, records every call, enforces
Block Kit limits like Slack does (`invalid_blocks`), and also receives response_url posts and
file uploads."""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "xoxb-test-token"
BOT_USER = "UBOT"
TEAM = "T0TEST"


@dataclass
class Call:
    method: str  # Web API method, "respond" (response_url) or "upload"
    params: dict
    path: str = ""
    data: bytes = b""
    at: float = field(default_factory=time.monotonic)


def block_limit_problems(blocks) -> list[str]:
    """What real Slack would reject: >50 blocks, section text >3,000, empty texts."""
    problems = []
    if not isinstance(blocks, list):
        return problems
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks")
    for block in blocks:
        text = (block.get("text") or {}).get("text") if block.get("type") == "section" else None
        if text is not None and not 0 < len(text) <= 3000:
            problems.append(f"section text of {len(text)} chars")
        for element in block.get("elements", []) if block.get("type") == "context" else []:
            if not 0 < len(element.get("text", "")) <= 3000:
                problems.append("context text length")
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if len(element.get("value", "")) > 2000:
                problems.append("button value > 2000")
    return problems


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.errors: dict[str, str] = {}  # method -> error to return
        self.reject_blocks = False  # answer every call carrying blocks with invalid_blocks
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def response_url(self, name: str) -> str:
        return f"{self.base}/respond/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- inspection ------------------------------------------------------------------------

    def find(self, method: str, **match) -> list[Call]:
        with self._lock:
            calls = list(self.calls)
        return [c for c in calls if c.method == method
                and all(c.params.get(k) == v for k, v in match.items())]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0, **match) -> list[Call]:
        """Poll until `count` matching calls were recorded (deterministic, no fixed sleeps)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.find(method, **match)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                seen = [(c.method, c.path) for c in self.calls]
                raise AssertionError(f"expected {count} x {method} {match}, got {len(found)}; "
                                     f"calls: {seen}")
            time.sleep(0.01)

    # --- server ----------------------------------------------------------------------------

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def _answer(self, method: str, params: dict) -> dict:
        if method in self.errors:
            return {"ok": False, "error": self.errors[method]}
        if method == "auth.test":
            return {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "sgbot",
                    "team_id": TEAM, "user_id": BOT_USER, "bot_id": "BBOT"}
        problems = block_limit_problems(params.get("blocks"))
        if problems or (self.reject_blocks and params.get("blocks")):
            return {"ok": False, "error": "invalid_blocks", "problems": problems}
        if method == "chat.postMessage":
            ts = f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": params.get("channel"), "ts": ts,
                    "message": {"text": params.get("text"), "ts": ts}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000001.{next(self._ts):06d}"}
        if method in {"views.open", "views.publish", "views.update"}:
            view = params.get("view") or {}
            problems = block_limit_problems([b for b in view.get("blocks", [])][:50])
            if len(view.get("blocks", [])) > 100 or problems:
                return {"ok": False, "error": "invalid_arguments"}
            return {"ok": True, "view": {"id": "V0TEST", **view}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "X"))}}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "upload_url": f"{self.base}/upload/F0TEST", "file_id": "F0TEST"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F0TEST", "title": params.get("files")}]}
        return {"ok": True}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _reply(self, status: int, payload: dict | str) -> None:
                body = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if isinstance(payload, dict)
                                 else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = urlsplit(self.path).path
                if path.startswith("/upload/"):
                    fake._record(Call("upload", {}, path, raw))
                    self._reply(200, f"OK - {len(raw)}")
                    return
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(raw or b"{}")
                else:
                    params = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                for key in ("blocks", "view", "files"):
                    if isinstance(params.get(key), str):
                        params[key] = json.loads(params[key])
                if path.startswith("/respond/"):
                    fake._record(Call("respond", params, path))
                    self._reply(200, "ok")
                    return
                if not path.startswith("/api/"):
                    self._reply(404, "not found")
                    return
                method = path.removeprefix("/api/")
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    self._reply(200, {"ok": False, "error": "invalid_auth"})
                    return
                fake._record(Call(method, params, path))
                self._reply(200, fake._answer(method, params))

        return Handler
