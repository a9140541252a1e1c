"""Liveness/readiness report behind `GET /healthz` on the Slack and Teams HTTP servers.

Cheap by design: it counts what the registry holds, pings the vector store and the feedback
database, and reports whether the embedding model is already in memory, but never loads it
(`sgbot doctor` does the full check). Every part runs under a time budget so a hung server
cannot stall a probe.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Seconds each part of the report may take before it is reported as timed out.
PART_TIMEOUT = 3.0

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_engines: dict[str, Any] = {}
_engines_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sgbot-health")
        return _executor


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("sgbot")
    except PackageNotFoundError:
        return "unknown"


def _timed(fn, timeout: float, what: str) -> dict:
    """Run `fn` in the health pool; a part that overruns is reported, not waited for."""
    future = _pool().submit(fn)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        return {"ok": False, "detail": f"{what} did not answer within {timeout:g}s"}


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


# --- parts -----------------------------------------------------------------------------------


def check_store(kb) -> dict:
    """Registry counts plus a vector-store round trip (count) so an unreachable Chroma shows."""
    try:
        documents = len(kb.documents())
        passages = kb.index.passage_count()
        vectors = kb.vectors.count()
    except Exception as exc:  # noqa: BLE001 - chromadb/SQL raise many types; reported, logged
        log.warning("health store check failed error=%s", type(exc).__name__)
        return {"ok": False, "documents": None, "passages": None, "vectors": None,
                "detail": _describe(exc)}
    detail = "no documents indexed yet" if documents == 0 else ""
    return {"ok": True, "documents": documents, "passages": passages, "vectors": vectors,
            "detail": detail}


def model_state(kb) -> dict:
    """Whether the embedder is in memory; never triggers a load."""
    embedder = getattr(kb, "_embedder", None)
    name = kb.settings.embed_model if kb.settings.embed_backend != "fake" else "fake"
    if embedder is None:
        return {"ok": True, "loaded": False, "name": name}
    loaded = getattr(embedder, "_model", True) is not None  # FakeEmbedder has nothing to load
    return {"ok": True, "loaded": bool(loaded), "name": getattr(embedder, "name", name)}


def _new_engine(url: str):
    from sqlalchemy import create_engine

    return create_engine(url, pool_pre_ping=True, pool_size=1, max_overflow=0,
                         connect_args={"connect_timeout": 3})


def _engine(url: str):
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = _new_engine(url)
        return engine


def check_database(url: str, *, keep: bool = True) -> dict:
    """`SELECT 1` against the URL; SQLite files are opened read-only and never created.

    `keep` caches the connection pool for the next probe (servers); one-off callers pass False.
    """
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if not path.exists():
            writable = _nearest_dir_writable(path.parent)
            return {"ok": writable, "detail": "not created yet" if writable
                    else f"{path.parent} is not writable"}
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
            try:
                conn.execute("SELECT 1").fetchone()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            return {"ok": False, "detail": _describe(exc)}
        return {"ok": True, "detail": "sqlite"}
    try:
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        engine = _engine(url) if keep else _new_engine(url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            if not keep:
                engine.dispose()
    except (SQLAlchemyError, ImportError, OSError, ValueError) as exc:
        return {"ok": False, "detail": _describe(exc).splitlines()[0]}
    return {"ok": True, "detail": url.split("://", 1)[0]}


def _nearest_dir_writable(path: Path) -> bool:
    import os

    while not path.exists() and path != path.parent:
        path = path.parent
    return path.is_dir() and os.access(path, os.W_OK)


# --- report ----------------------------------------------------------------------------------


def health_report(settings, kb, *, timeout: float = PART_TIMEOUT) -> dict:
    """Health of one bot process as a JSON-able dict.

    `status` is "error" if the store or database is unreachable, "degraded" if they work but
    nothing is indexed yet or the model is not loaded yet, else "ok".
    """
    started = time.perf_counter()
    store = _timed(lambda: check_store(kb), timeout, "the store")
    store.setdefault("documents", None)
    store.setdefault("passages", None)
    database = _timed(lambda: check_database(settings.resolved_db_url), timeout, "the database")
    model = model_state(kb)
    if not (store["ok"] and database["ok"] and model["ok"]):
        status = "error"
    elif not store["documents"] or not model["loaded"]:
        status = "degraded"
    else:
        status = "ok"
    report = {"status": status, "store": store, "model": model, "database": database,
              "version": version(), "ms": round(1000 * (time.perf_counter() - started), 1)}
    if status == "error":
        log.warning("health status=error store_ok=%s database_ok=%s", store["ok"], database["ok"])
    return report


def health_status_code(report: dict) -> int:
    """HTTP status for a report: 503 only on "error" (an empty index is not a dead container)."""
    return 503 if report.get("status") == "error" else 200


def health_response(settings, kb) -> tuple[int, dict]:
    """(HTTP status, report) for `GET /healthz`, the same on the Slack and Teams servers."""
    report = health_report(settings, kb)
    return health_status_code(report), report


def probe(settings, *, timeout: float = 5.0) -> int:
    """Container HEALTHCHECK: 0 healthy, 1 not.

    Asks the running server's `/healthz` on loopback (Slack HTTP mode, then Teams); if no
    server listens (Slack Socket Mode has no HTTP port) it builds the report in-process.
    """
    import urllib.error
    import urllib.request

    ports = [settings.slack.port] if settings.slack.mode == "http" else []
    ports.append(settings.teams.port)
    for port in ports:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz",
                                        timeout=timeout) as response:
                return 0 if response.status == 200 else 1
        except urllib.error.HTTPError:
            return 1  # 503 (or a broken route): the server says it is unhealthy
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ConnectionRefusedError):
                continue  # nothing listens on this port
            return 1  # listening but not answering in time
        except (ConnectionError, TimeoutError):
            return 1
    from knowledge.kb import KnowledgeBase

    report = health_report(settings, KnowledgeBase(settings))
    return 0 if health_status_code(report) == 200 else 1


def main() -> int:
    from knowledge.settings import Settings

    return probe(Settings.from_env())


if __name__ == "__main__":  # `python -m bot.health`, the image's HEALTHCHECK
    import sys

    sys.exit(main())


__all__ = ["health_report", "health_status_code", "check_database", "check_store",
           "model_state", "probe", "version"]
