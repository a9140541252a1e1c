"""scripts/setup.sh, run against stub `.venv/bin/python` and `sgbot` (nothing is installed):
when it cannot open the chat it says so and prints the command, instead of skipping silently."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import REPO

STUB = "#!/bin/sh\necho \"$(basename \"$0\") $*\" >> \"$(dirname \"$0\")/calls.log\"\n"


def _stub_checkout(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "setup.sh", root / "scripts" / "setup.sh")
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "sgbot"):
        (bin_dir / name).write_text(STUB)
        (bin_dir / name).chmod(0o755)
    return root


def _run(root: Path, *args: str, env_extra: dict[str, str] | None = None):
    env = {"PATH": "/usr/bin:/bin", **(env_extra or {})}
    return subprocess.run(["bash", str(root / "scripts" / "setup.sh"), *args], cwd=root,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env,
                          timeout=60, check=True)


def test_piped_setup_says_how_to_open_the_chat(tmp_path):
    root = _stub_checkout(tmp_path)
    result = _run(root)
    assert "Not opening the chat: this is not an interactive terminal" in result.stdout
    assert f"cd {root} && .venv/bin/sgbot chat" in result.stdout
    calls = (root / ".venv" / "bin" / "calls.log").read_text()
    assert "sgbot ingest samples/" in calls
    assert "sgbot chat" not in calls  # the chat would read nothing from /dev/null


def test_command_keeps_a_moved_data_dir(tmp_path):
    root = _stub_checkout(tmp_path)
    result = _run(root, env_extra={"SGBOT_DATA_DIR": "/srv/sgbot"})
    assert "SGBOT_DATA_DIR=/srv/sgbot .venv/bin/sgbot chat" in result.stdout


def test_no_demo_stops_after_installing(tmp_path):
    root = _stub_checkout(tmp_path)
    result = _run(root, "--no-demo")
    assert result.stdout == ""
    assert "sgbot" not in (root / ".venv" / "bin" / "calls.log").read_text()
