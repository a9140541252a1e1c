"""JSON logs (SGBOT_LOG_FORMAT=json): one object per line with ids, timings and outcomes; fields
that would carry what people wrote are reduced to their length."""

from __future__ import annotations

import io
import json
import logging

from bot.cli.common import configure_logging
from bot.logging_json import JsonFormatter
from tests.conftest import make_settings


def record(msg: str, *args, **extra) -> logging.LogRecord:
    rec = logging.makeLogRecord({"name": "bot.slack", "levelno": logging.INFO,
                                 "levelname": "INFO", "msg": msg, "args": args})
    rec.__dict__.update(extra)
    return rec


def test_one_object_with_ids_and_timings():
    line = JsonFormatter().format(record("ask done abstained=%s ms=%d", False, 42,
                                         channel="C123", user="U456", ms=42.5))
    payload = json.loads(line)
    assert payload["level"] == "INFO" and payload["logger"] == "bot.slack"
    assert payload["msg"] == "ask done abstained=False ms=42"
    assert (payload["channel"], payload["user"], payload["ms"]) == ("C123", "U456", 42.5)
    assert payload["ts"].endswith("+00:00")
    assert "\n" not in line


def test_text_like_fields_are_reduced_to_a_length():
    question = "Is the child in Flat 3 safe tonight?"
    payload = json.loads(JsonFormatter().format(record("asked", question=question,
                                                       Feedback="x" * 10, answer_id="a1")))
    assert payload["question"] == f"[redacted {len(question)} chars]"
    assert payload["Feedback"] == "[redacted 10 chars]"
    assert payload["answer_id"] == "a1"
    assert "Flat 3" not in json.dumps(payload)


def test_exceptions_are_included():
    try:
        raise RuntimeError("store down")
    except RuntimeError:
        import sys

        rec = record("failed")
        rec.exc_info = sys.exc_info()
    payload = json.loads(JsonFormatter().format(rec))
    assert "RuntimeError: store down" in payload["exc"]


def test_configure_logging_uses_json_when_asked(tmp_path, monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    root = logging.getLogger()
    root.__dict__.pop("_sgbot_configured", None)
    configure_logging(make_settings(tmp_path, log_format="json"))
    logging.getLogger("knowledge.kb").info("ask done citations=%d", 2)
    (line,) = stream.getvalue().splitlines()
    assert json.loads(line)["msg"] == "ask done citations=2"
