"""A real `sgbot serve slack --mode http` process on a free loopback port, pointed at the fake
Slack Web API, for the tests that need the whole process (its stderr, its signal handling)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.slack.fake_slack import TOKEN
from tests.slack.harness import SECRET

REPO = Path(__file__).resolve().parents[2]
#: The front door `sgbot serve` requires (invented numbers in the Ofcom drama range).
FRONT_DOOR = {"SGBOT_FRONT_DOOR_NAME": "Wyvernshire Front Door",
              "SGBOT_FRONT_DOOR_PHONE": "01632 960000",
              "SGBOT_FRONT_DOOR_OUT_OF_HOURS_PHONE": "01632 960001"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_served(slack_settings, fake_slack, tmp_path: Path, **env_extra: str
                 ) -> tuple[subprocess.Popen, str]:
    """Start the process on a copy of the test corpus; returns it and its URL once /healthz
    answers (polled with a deadline). The caller terminates it."""
    port = free_port()
    data_dir = tmp_path / "served"
    shutil.copytree(slack_settings.data_dir, data_dir)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SGBOT_"))},
           "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": fake_slack.api_url, "SGBOT_DATA_DIR": str(data_dir),
           "SGBOT_EMBED_BACKEND": "fake", "SGBOT_HOST": "127.0.0.1", **FRONT_DOOR, **env_extra}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "--env-file", str(tmp_path / "none.env"), "serve", "slack",
         "--mode", "http", "--port", str(port)], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                assert response.status == 200
                return process, url
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError("server did not start: "
                                     + process.stderr.read().decode()[-2000:]) from None
            time.sleep(0.1)
