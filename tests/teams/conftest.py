"""A fake Bot Connector on loopback and the real Teams app served on a free loopback port.

The fake connector is a real HTTP server: it records every POST to
`/v3/conversations/{id}/activities[/{replyToId}]` and answers with an id, and can serve a JWKS
for the authentication tests. Activities are real Teams JSON posted to `/api/messages`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest

BOT_ID = "28:sgbot-test"
TENANT = "tenant-wyvern"
_PATH = re.compile(r"^/v3/conversations/(?P<conv>[^/]+)/activities(?:/(?P<reply>[^/?]+))?")


class FakeConnector:
    """Records the bot's outbound Bot Connector calls; serves `jwks` when set."""

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.jwks: dict | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        connector = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _reply(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                if self.path.endswith("/keys") and connector.jwks is not None:
                    self._reply(200, connector.jwks)
                else:
                    self._reply(404, {"error": "not found"})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                match = _PATH.match(self.path)
                if not match:
                    self._reply(404, {"error": "not found"})
                    return
                new_id = f"bot-msg-{next(connector._ids)}"
                with connector._lock:
                    connector.calls.append({
                        "path": self.path, "conversation": unquote(match["conv"]),
                        "reply_to": unquote(match["reply"]) if match["reply"] else None,
                        "authorization": self.headers.get("Authorization"),
                        "body": body, "id": new_id,
                    })
                self._reply(201, {"id": new_id})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def messages(self) -> list[dict]:
        """Recorded message activities (typing indicators left out), in arrival order."""
        with self._lock:
            return [c for c in self.calls if c["body"].get("type") == "message"]

    def wait_messages(self, count: int, timeout: float = 15.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages()
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} messages, got {len(self.messages())}: "
                             f"{[m['body'].get('text') for m in self.messages()]}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def connector() -> Iterator[FakeConnector]:
    fake = FakeConnector()
    yield fake
    fake.close()


class RunningBot:
    """The real Teams server in a background thread with its own event loop."""

    def __init__(self, settings, kb, **build) -> None:
        from bot.teams.server import TeamsServer

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        self.settings = settings.with_overrides(host="127.0.0.1", teams_port=port)
        try:
            self.server = TeamsServer(self.settings, kb, sock=sock, **build)
        except BaseException:
            sock.close()
            raise
        self.url = f"http://127.0.0.1:{port}"
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if self.error or time.monotonic() > deadline:
                raise AssertionError(f"teams server did not start: {self.error!r}")
            time.sleep(0.01)

    def _run(self) -> None:
        try:
            asyncio.run(self.server.serve())
        except BaseException as exc:  # noqa: BLE001 - surfaced by the fixture
            self.error = exc

    def post(self, activity: dict, *, token: str | None = None) -> tuple[int, dict | None]:
        """POST an activity to /api/messages; returns (status, JSON body or None)."""
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(f"{self.url}/api/messages",
                                         data=json.dumps(activity).encode(), headers=headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            return exc.code, json.loads(raw) if raw else None

    def get(self, path: str) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(f"{self.url}{path}", timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    def stop(self) -> None:
        self.server.stop()
        self._thread.join(timeout=15)


@pytest.fixture
def start_bot() -> Iterator[Callable[..., RunningBot]]:
    bots: list[RunningBot] = []

    def start(settings, kb, **build) -> RunningBot:
        bot = RunningBot(settings, kb, **build)
        bots.append(bot)
        return bot

    yield start
    for bot in bots:
        bot.stop()


_activity_ids = itertools.count(1_700_000_000_000)


def message(text: str, service_url: str, *, scope: str = "personal", mention: bool = False,
            tenant: str = TENANT, user: str = "29:user-pat", aad: str = "aad-pat",
            value: dict | None = None, conversation: str | None = None) -> dict:
    """A Teams message activity as the Bot Connector delivers it."""
    activity_id = str(next(_activity_ids))
    if scope == "channel":
        conv = {"isGroup": True, "conversationType": "channel", "tenantId": tenant,
                "id": conversation or f"19:general@thread.tacv2;messageid={activity_id}"}
        channel_data = {"tenant": {"id": tenant}, "team": {"id": "19:team@thread.tacv2"},
                        "channel": {"id": "19:general@thread.tacv2"},
                        "teamsTeamId": "19:team@thread.tacv2",
                        "teamsChannelId": "19:general@thread.tacv2"}
    else:
        conv = {"conversationType": "personal", "tenantId": tenant,
                "id": conversation or f"a:1personal-{user}"}
        channel_data = {"tenant": {"id": tenant}}
    activity = {
        "type": "message", "id": activity_id, "timestamp": "2025-06-01T09:00:00.000Z",
        "localTimestamp": "2025-06-01T10:00:00.000+01:00", "serviceUrl": service_url,
        "channelId": "msteams", "from": {"id": user, "name": "Pat Example", "aadObjectId": aad},
        "conversation": conv, "recipient": {"id": BOT_ID, "name": "sgbot"},
        "textFormat": "plain", "locale": "en-GB", "channelData": channel_data,
        "text": f"<at>sgbot</at> {text}" if mention else text,
    }
    if mention:
        activity["entities"] = [{"type": "mention", "text": "<at>sgbot</at>",
                                 "mentioned": {"id": BOT_ID, "name": "sgbot"}}]
    if value is not None:
        activity["value"] = value
    return activity


def card_action(data: dict, service_url: str, *, verb: str | None = None,
                tenant: str = TENANT, reply_to: str = "bot-msg-1", aad: str = "aad-pat") -> dict:
    """An `adaptiveCard/action` invoke, as Teams sends when an Action.Execute button is pressed."""
    return {
        "type": "invoke", "name": "adaptiveCard/action", "id": f"f:{next(_activity_ids)}",
        "timestamp": "2025-06-01T09:01:00.000Z", "serviceUrl": service_url,
        "channelId": "msteams", "from": {"id": "29:user-pat", "name": "Pat Example",
                                         "aadObjectId": aad},
        "conversation": {"conversationType": "personal", "tenantId": tenant,
                         "id": "a:1personal-29:user-pat"},
        "recipient": {"id": BOT_ID, "name": "sgbot"}, "replyToId": reply_to,
        "channelData": {"tenant": {"id": tenant}, "source": {"name": "message"}},
        "value": {"action": {"type": "Action.Execute", "verb": verb or data.get("sgbot"),
                             "data": data}, "trigger": "manual"},
    }


def card_of(call: dict) -> dict:
    """The Adaptive Card content attached to a recorded message."""
    attachments = call["body"].get("attachments") or []
    cards = [a["content"] for a in attachments
             if a.get("contentType") == "application/vnd.microsoft.card.adaptive"]
    assert cards, f"no adaptive card in {call['body']}"
    return cards[0]


def card_text(content: dict) -> str:
    """All visible text of a card (TextBlocks and FactSet facts), for assertions."""
    parts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                parts.append(node.get("text", ""))
            if node.get("type") == "FactSet":
                parts.extend(f"{f['title']} {f['value']}" for f in node.get("facts", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(content.get("body", []))
    return "\n".join(parts)
