"""Parse each file in a worker process under a deadline, so no file can stall or abort a batch.

Parsers are third-party code fed untrusted files: broken XML raises types nobody lists, a page
of unclosed tags or nesting thousands deep can take minutes, a recursion can crash. One worker
process (forked from a pre-warmed fork server, so a fresh one costs milliseconds) parses file
after file; whatever goes wrong in it comes back as that file's `IngestError`, and a worker
that overruns `timeout_s` or dies is killed and replaced before the next file.

As with any spawn/forkserver multiprocessing, a script that ingests must keep its entry point
under `if __name__ == "__main__":` (the fork server imports the main module once).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection

from ingest import problems
from ingest.parse import Parsed, ParseJob, parse_file
from knowledge.errors import IngestError, OverLimit, ParseFailed, ParseTimeout

log = logging.getLogger(__name__)

#: Seconds a worker gets to exit when the pool closes, before it is killed.
SHUTDOWN_GRACE_S = 5.0
#: Imported once by the fork server, so each (re)started worker is warm: importing these
#: costs ~1 s per process otherwise.
PRELOAD = ["ingest.parse", "pypdf", "docx", "bs4", "lxml.etree", "lxml.html"]


@dataclass(frozen=True)
class ParseLimits:
    """Per-file bounds (see Settings.ingest_* for what each protects against)."""

    max_file_mb: float
    max_pages: int
    max_passages: int
    timeout_s: float
    max_memory_mb: int  # extra address space a parse may use; 0 = no cap

    @classmethod
    def from_settings(cls, settings) -> ParseLimits:
        return cls(max_file_mb=settings.ingest_max_file_mb,
                   max_pages=settings.ingest_max_pages,
                   max_passages=settings.ingest_max_passages,
                   timeout_s=settings.ingest_timeout_s,
                   max_memory_mb=settings.ingest_max_memory_mb)


def _context():
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")  # Windows: slower restarts, same guarantees


class ParserPool:
    """One reusable parser process with a per-file deadline. Use as a context manager."""

    def __init__(self, limits: ParseLimits) -> None:
        self.limits = limits
        self._process = None
        self._conn: Connection | None = None
        self.restarts = 0  # workers replaced after a timeout or crash (for benchmarks/tests)

    def __enter__(self) -> ParserPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def parse(self, job: ParseJob) -> Parsed:
        """The parsed file, or the file's IngestError (timeout and crashes included)."""
        name = job.path.name
        conn = self._ensure_worker()
        try:
            conn.send(job)
        except (BrokenPipeError, ConnectionResetError):  # died since the last file
            self._kill()
            conn = self._ensure_worker()
            conn.send(job)
        if not conn.poll(self.limits.timeout_s):
            self._kill()  # the pipeline logs the reason, in the summary's words
            raise ParseTimeout(problems.timed_out(name, self.limits.timeout_s))
        try:
            status, payload = conn.recv()
        except (EOFError, ConnectionResetError) as exc:
            code = self._kill()
            raise ParseFailed(problems.parser_crashed(name, code)) from exc
        if status == "ok":
            return payload
        raise payload

    def close(self) -> None:
        if self._process is None:
            return
        try:
            self._conn.send(None)
        except (BrokenPipeError, ConnectionResetError):
            pass  # already gone; join below reaps it
        self._process.join(SHUTDOWN_GRACE_S)
        self._kill()

    def _ensure_worker(self) -> Connection:
        if self._process is None or not self._process.is_alive():
            if self._process is not None:
                self._kill()
            context = _context()
            parent, child = context.Pipe()
            process = context.Process(target=_serve, args=(child, self.limits.max_memory_mb),
                                      name="sgbot-parser", daemon=True)
            process.start()
            child.close()
            self._process, self._conn = process, parent
        return self._conn

    def _kill(self) -> int | None:
        """Stop the worker (if any) and forget it; returns its exit code."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is None:
            return None
        if process.is_alive():
            process.kill()
            self.restarts += 1
        process.join()
        conn.close()
        code = process.exitcode
        process.close()
        return code


# --- inside the worker process -----------------------------------------------------------


def _serve(conn: Connection, max_memory_mb: int) -> None:
    """Worker loop: a ParseJob in, ("ok", Parsed) or ("error", IngestError) out; None ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's; it stops us
    if max_memory_mb:
        _cap_memory(max_memory_mb)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        reply = _run(job, max_memory_mb)
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("error", OverLimit(problems.out_of_memory(job.path.name, max_memory_mb))))


def _run(job: ParseJob, max_memory_mb: int) -> tuple[str, object]:
    try:
        return "ok", parse_file(job)
    except IngestError as exc:
        return "error", exc
    except MemoryError:
        return "error", OverLimit(problems.out_of_memory(job.path.name, max_memory_mb))
    except Exception as exc:  # noqa: BLE001 - any parser failure is this file's reported error
        log.debug("parser failed file=%s", job.path.name, exc_info=True)
        return "error", ParseFailed(problems.could_not_parse(job.path.name, exc))


def _cap_memory(extra_mb: int) -> None:
    """Limit this worker's address space to what it has now plus `extra_mb` (Linux), so a
    parse that balloons fails with MemoryError instead of swapping the machine."""
    try:
        import resource

        with open("/proc/self/statm") as handle:
            current = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (ImportError, OSError, ValueError):
        return  # not Linux: the deadline still bounds the parse
    limit = current + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
