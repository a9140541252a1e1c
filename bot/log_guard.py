"""Keep message text out of the logs, including what third-party libraries log.

Our own loggers (`bot`, `knowledge`, `ingest`, `sgbot`) log ids, timings and outcomes by
convention. Libraries do not: slack-bolt logs the whole request body when a signature check fails
(stale timestamp, wrong secret), the Teams SDK logs whole activities at DEBUG, and error handlers
log exceptions whose text may quote the payload. `install()` does two things, once per process:

- holds those libraries' loggers at WARNING or above, so their chatty lines are never created;
- wraps the log-record factory so every record from a logger outside our namespaces keeps only
  the start of its message, up to the first character that usually opens data (`:`, `(`, `{`,
  `=`, a quote) or the words "body"/"text", and loses its arguments, exception text and stack
  (the exception's type name is kept). This acts before any handler, so no handler, formatter
  or test capture can see the body. Our own records pass through unchanged.
"""

from __future__ import annotations

import logging
import re
import threading

#: Logger namespaces whose records we trust to follow the no-message-text convention.
OWN_NAMESPACES = ("bot", "knowledge", "ingest", "sgbot", "bench", "__main__")

#: Libraries that log requests, activities or SQL parameters below WARNING.
QUIET_LOGGERS = ("slack_bolt", "slack_sdk", "microsoft_teams", "uvicorn", "uvicorn.error",
                 "uvicorn.access", "fastapi", "starlette", "aiohttp", "aiohttp.access",
                 "aiohttp.server", "aiohttp.web", "sqlalchemy", "sqlalchemy.engine",
                 "sqlalchemy.pool", "alembic", "httpx", "httpcore", "urllib3", "msal",
                 "websocket", "websockets", "asyncio")

#: Longest start of a third-party message we keep (enough for "Invalid request signature").
KEPT_CHARS = 80

WITHHELD = " [details withheld]"
_CUT = re.compile(r"""[:({\[="'<]|\b(?:body|text|payload|activity|params|parameters)\b""", re.I)
_lock = threading.Lock()
_installed = False


def is_own(name: str | None) -> bool:
    name = name or ""  # a hand-made LogRecord may carry no logger name
    return any(name == ns or name.startswith(ns + ".") for ns in OWN_NAMESPACES)


def scrub_message(message: str) -> str:
    """The start of a third-party message, cut before anything that may be data."""
    match = _CUT.search(message)
    kept = message[:match.start()] if match else message
    kept = kept[:KEPT_CHARS].rstrip(" ,;-")
    return kept + WITHHELD if len(kept) < len(message) else kept


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Strip data from a third-party record in place (see the module docstring)."""
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # arguments that don't fit the format: keep neither
        message = str(record.msg)
    message = scrub_message(message)
    if record.exc_info and record.exc_info[0] is not None:
        message += f" ({record.exc_info[0].__name__})"
    record.msg, record.args = message, None
    record.exc_info = record.exc_text = record.stack_info = None
    return record


def install() -> None:
    """Quiet the libraries' loggers and scrub their records; idempotent."""
    global _installed
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.level or logging.NOTSET, logging.WARNING))
    with _lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args, **kwargs) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            return record if is_own(record.name) else scrub_record(record)

        logging.setLogRecordFactory(factory)
        _installed = True


class ThirdPartyExtrasFilter(logging.Filter):
    """Handler filter: drop `extra` fields a library attached to its record (uvicorn's
    `color_message` repeats the message before it was scrubbed)."""

    _standard = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}

    def filter(self, record: logging.LogRecord) -> bool:
        if not is_own(record.name):
            for key in [k for k in vars(record) if k not in self._standard]:
                delattr(record, key)
        return True
