"""Structured JSON log lines: one object per line, for log shippers.

Loggers pass ids, timings and outcomes as `extra={...}` fields, which become top-level keys.
As a backstop against a careless `extra={"question": ...}`, fields whose names suggest user
text are replaced by their length: safeguarding messages must never reach log storage.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}

#: `extra` field names that would carry what people wrote; logged as a length only.
SENSITIVE_FIELDS = frozenset({
    "text", "question", "questions", "answer", "feedback", "message_text", "query", "body",
    "comment", "comments", "content", "prompt", "details", "description",
})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_"):
                continue
            if key.lower() in SENSITIVE_FIELDS:
                payload[key] = f"[redacted {len(str(value))} chars]"
            else:
                payload[key] = value
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str, ensure_ascii=False)
