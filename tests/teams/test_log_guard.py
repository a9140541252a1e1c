"""No message text in any log line from the Teams server: each failure path (unsigned token,
malformed body, oversize body, internal error while answering, the urgent path), driven over
real HTTP with a marker in the message, leaves the marker in no log record at any level, with
the Teams SDK's and uvicorn's loggers opened to DEBUG as an operator debugging might."""

from __future__ import annotations

import json

import pytest

from bot.teams.http_guard import MAX_BODY
from bot.teams.server import MESSAGING_ENDPOINT
from knowledge.kb import KnowledgeBase
from tests.http_raw import connect, exchange, request_bytes
from tests.log_capture import capture_all
from tests.teams.conftest import message
from tests.teams.test_auth import _cloud

MARKER = "Zephyrquill Marrowby 07700 900613"  # invented; stands for what a practitioner typed
LIBRARIES = ("microsoft_teams", "uvicorn", "uvicorn.error", "uvicorn.access", "fastapi",
             "httpx")


@pytest.fixture
def captured():
    with capture_all(LIBRARIES) as handler:
        yield handler


def test_failure_paths_never_log_the_message(start_bot, connector, sample_kb, captured,
                                             monkeypatch):
    settings = sample_kb.settings.with_overrides(
        teams_insecure_no_auth=True, host="127.0.0.1", front_door_name="Front Door",
        front_door_phone="0300 123 4567")
    bot = start_bot(settings, sample_kb)
    activity = message(f"who chairs the SPRG, asks {MARKER}?", connector.url)
    with connect(bot.url) as sock:
        malformed = json.dumps(activity).encode()[:-5]
        assert exchange(sock, request_bytes("POST", MESSAGING_ENDPOINT, malformed))[0] == 400
        oversize = json.dumps({**activity, "text": MARKER + "x" * (MAX_BODY + 10)}).encode()
        assert exchange(sock, request_bytes("POST", MESSAGING_ENDPOINT, oversize))[0] == 413

    def crash(self, *args, **kwargs):
        raise RuntimeError(f"boom while answering {MARKER}")

    monkeypatch.setattr(KnowledgeBase, "ask", crash)
    assert bot.post(activity)[0] == 200
    reply = connector.wait_messages(1)[0]["body"]["text"]
    assert "something went wrong" in reply and MARKER not in reply
    monkeypatch.undo()

    urgent = message(f"a child just told me {MARKER} hits her at home", connector.url)
    assert bot.post(urgent)[0] == 200
    connector.wait_messages(3)

    secure = sample_kb.settings.with_overrides(teams_client_id="00000000-0000-0000-0000-0b07",
                                               teams_client_secret="s", teams_tenant_id="t")
    guarded = start_bot(secure, sample_kb, cloud=_cloud(connector))
    assert guarded.post(activity, token="not-a-jwt")[0] == 401

    assert captured.lines, "the capture saw nothing: the test would prove nothing"
    assert [line for line in captured.lines if MARKER in line or "Zephyrquill" in line] == []
