"""The Teams app package: manifest filled from TEAMS_CLIENT_ID, icons of the required sizes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "package_teams_app.py"
CLIENT_ID = "1b2c3d4e-0000-4000-8000-123456789abc"


def run(tmp_path: Path, *args: str, client_id: str | None = CLIENT_ID):
    env = {k: v for k, v in os.environ.items() if k != "TEAMS_CLIENT_ID"}
    if client_id is not None:
        env["TEAMS_CLIENT_ID"] = client_id
    return subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path / "app.zip"), *args],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)


def test_package_has_manifest_and_icons(tmp_path):
    result = run(tmp_path, "--domain", "bot.example.org", "--version", "1.2.3")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "app.zip") as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        color = Image.open(io.BytesIO(archive.read("color.png")))
        outline = Image.open(io.BytesIO(archive.read("outline.png")))

    assert "${{" not in json.dumps(manifest)
    assert manifest["manifestVersion"] == "1.22" and "v1.22" in manifest["$schema"]
    assert manifest["id"] == CLIENT_ID and manifest["version"] == "1.2.3"
    [bot] = manifest["bots"]
    assert bot["botId"] == CLIENT_ID
    assert bot["scopes"] == ["personal", "team", "groupChat"]
    [commands] = bot["commandLists"]
    assert [c["title"] for c in commands["commands"]] == ["ask", "learning", "feedback", "help"]
    assert manifest["validDomains"] == ["bot.example.org"]
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}

    assert color.size == (192, 192)
    assert outline.size == (32, 32) and outline.mode == "RGBA"
    raw = outline.tobytes()
    pixels = [tuple(raw[i:i + 4]) for i in range(0, len(raw), 4)]
    assert any(a == 0 for *_, a in pixels), "outline icon needs a transparent background"
    assert all((r, g, b) == (255, 255, 255) for r, g, b, a in pixels if a > 0), "white only"


def test_without_domain_the_manifest_has_no_valid_domains(tmp_path):
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "app.zip") as archive:
        assert "validDomains" not in json.loads(archive.read("manifest.json"))


def test_missing_or_malformed_client_id_is_refused(tmp_path):
    for client_id in (None, "my-bot"):
        result = run(tmp_path, client_id=client_id)
        assert result.returncode == 2
        assert "TEAMS_CLIENT_ID" in result.stderr
        assert not (tmp_path / "app.zip").exists()
