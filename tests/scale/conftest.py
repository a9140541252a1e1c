"""Real servers for scale-out tests: a Chroma server on a free loopback port and a throwaway
schema in the PostgreSQL test database (127.0.0.1:5432/test, trust auth)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PG_URL


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_heartbeat(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/api/v2/heartbeat"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma server exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"chroma server on port {port} did not answer within {timeout}s")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """`chroma run` from the chromadb package; yields (host, port); stopped at the end."""
    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        raise RuntimeError(f"the chroma CLI is missing beside {sys.executable}")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = open(path / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(chroma), "run", "--path", str(path / "db"), "--host",
                             "127.0.0.1", "--port", str(port)], stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        wait_for_heartbeat(port, proc)
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def pg_index_url(pg_schema: str) -> str:
    """SGBOT_INDEX_URL for a PostgresIndex in the throwaway schema."""
    return f"{PG_URL}?schema={pg_schema}"


@pytest.fixture
def pg_db_url(pg_schema: str) -> str:
    """SGBOT_DB_URL (SQLAlchemy) whose search_path is the throwaway schema."""
    return f"{PG_URL.replace('postgresql://', 'postgresql+psycopg://')}" \
           f"?options=-csearch_path%3D{pg_schema}"
