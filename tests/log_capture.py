"""Capturing every log record at DEBUG, with the log guard installed as `sgbot serve` does and
the named libraries' loggers opened to DEBUG again (as an operator debugging might), so a test
proves that record scrubbing keeps message text out, not logger levels."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from bot import log_guard


class Capture(logging.Handler):
    """Every record's formatted line plus its raw attributes (args, exception text)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + " " + repr(vars(record)))


@contextmanager
def capture_all(libraries: Iterable[str]) -> Iterator[Capture]:
    log_guard.install()
    libraries = list(libraries)
    levels = {name: logging.getLogger(name).level for name in libraries}
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    # A server started earlier in the session (uvicorn's dictConfig) may have stopped its
    # loggers propagating; every record must reach the root handler for the test to mean much.
    chains = {part for name in [*libraries, "uvicorn"] for part in _ancestors(name)}
    propagation = {name: logging.getLogger(name).propagate for name in chains}
    for name in chains:
        logging.getLogger(name).propagate = True
    root = logging.getLogger()
    handler, level = Capture(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)
        for name, old in propagation.items():
            logging.getLogger(name).propagate = old


def _ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
