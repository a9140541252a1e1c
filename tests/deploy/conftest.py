"""Fixtures for deployment tests: a clean settings environment for in-process CLI runs, and
the root logger restored after each run (the CLI configures logging globally)."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest

from knowledge.settings import env_variable_names

REPO = Path(__file__).resolve().parents[2]
#: What an operator sets in the first hour (fictional): doctor's "still a default" warnings off.
FIRST_HOUR = {"SGBOT_PARTNERSHIP": "Wyvernshire Safeguarding Children Partnership",
              "SGBOT_HELP_CONTACT": "the WSCP business unit", "SGBOT_ADMIN_USERS": "U0WSCPADMIN"}
#: A configured front door (fictional numbers from Ofcom's drama range): deployments need one.
FRONT_DOOR = {"SGBOT_FRONT_DOOR_NAME": "Wyvernshire Children's Gateway",
              "SGBOT_FRONT_DOOR_PHONE": "01632 960418",
              "SGBOT_FRONT_DOOR_OUT_OF_HOURS_PHONE": "01632 960419"}


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _restore_root_logger():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, getattr(root, "_sgbot_configured", None))
    yield
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    if saved[2] is None:
        root.__dict__.pop("_sgbot_configured", None)
    else:
        root._sgbot_configured = saved[2]  # type: ignore[attr-defined]


@pytest.fixture
def env(monkeypatch, tmp_path):
    """Process environment holding only what a test sets (plus an isolated, fake-model base)."""
    for name in env_variable_names():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SGBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SGBOT_EMBED_BACKEND", "fake")
    for key, value in FIRST_HOUR.items():
        monkeypatch.setenv(key, value)
    for key, value in FRONT_DOOR.items():
        monkeypatch.setenv(key, value)

    def set_env(**values: str) -> None:
        for key, value in values.items():
            monkeypatch.setenv(key, value)

    return set_env
