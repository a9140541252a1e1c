"""compose.yaml structure (no Docker engine here): services, pinned images, persistent volumes,
healthchecks, and every variable a service sets is one the settings object reads."""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest
import yaml

from knowledge.settings import Settings, env_variable_names
from tests.deploy.conftest import REPO
from tests.deploy.test_env_example import THIRD_PARTY, env_example

BOTS = ("slack", "teams", "ingest")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "compose.yaml").read_text())


def test_services_and_profiles(compose):
    services = compose["services"]
    assert set(services) == {"slack", "teams", "ingest", "chroma", "postgres"}
    assert services["slack"]["profiles"] == ["slack"]
    assert services["teams"]["profiles"] == ["teams"]
    assert services["ingest"]["profiles"] == ["jobs"]
    assert "profiles" not in services["chroma"] and "profiles" not in services["postgres"]


def test_bots_share_one_image_and_commands_parse(compose):
    from bot.cli import build_parser

    parser = build_parser()
    for name in BOTS:
        service = compose["services"][name]
        assert service["build"] == "." and service["image"] == "sgbot:latest"
        args = parser.parse_args(service["command"])
        assert args.command == ("ingest" if name == "ingest" else "serve")
    ingest = parser.parse_args(compose["services"]["ingest"]["command"])
    assert [str(p) for p in ingest.paths] == ["/documents"] and ingest.prune
    assert "./documents:/documents:ro" in compose["services"]["ingest"]["volumes"]
    assert compose["services"]["ingest"]["restart"] == "no"


def test_images_are_pinned(compose):
    chroma = compose["services"]["chroma"]["image"]
    postgres = compose["services"]["postgres"]["image"]
    assert re.fullmatch(r"chromadb/chroma:\d+\.\d+\.\d+", chroma), chroma
    assert re.fullmatch(r"postgres:16\.\d+(-\w+)?", postgres), postgres
    # The server speaks the same API as the chromadb client the image installs.
    client = version("chromadb").split(".")[:2]
    assert chroma.split(":")[1].split(".")[:2] == client


def test_volumes_are_named_and_persistent(compose):
    declared = set(compose["volumes"])
    assert declared == {"sgbot-data", "chroma-data", "postgres-data"}
    mounts = {name: service.get("volumes", []) for name, service in compose["services"].items()}
    assert "chroma-data:/data" in mounts["chroma"]
    assert "postgres-data:/var/lib/postgresql/data" in mounts["postgres"]
    for name in BOTS:
        assert "sgbot-data:/data" in mounts[name]
    for name, volumes in mounts.items():
        for volume in volumes:
            source = volume.split(":")[0]
            assert source in declared or source.startswith("./"), (name, volume)


def test_bot_environment_uses_only_settings(compose):
    names = env_variable_names()
    for name in BOTS:
        service = compose["services"][name]
        assert service["env_file"] == ".env"
        environment = service["environment"]
        assert set(environment) <= names, set(environment) - names
        assert environment["SGBOT_DATA_DIR"] == "/data"
        assert environment["CHROMA_HOST"] == "chroma"
        assert int(environment["CHROMA_PORT"]) == 8000
        for key in ("SGBOT_DB_URL", "SGBOT_INDEX_URL"):
            assert environment[key].startswith("postgresql+psycopg://")
            assert "@postgres:5432/" in environment[key]
        # no secret is written into compose.yaml itself
        assert not any(k.startswith(("SLACK_", "TEAMS_")) for k in environment)


def test_resolved_bot_settings_parse(compose):
    """The bot environment, interpolated with .env.example values, builds valid Settings."""
    sample = {**env_example(), "POSTGRES_PASSWORD": "example"}

    def interpolate(value: str) -> str:
        def one(match: re.Match) -> str:
            name, _, default = match.group(1).partition(":-")
            name = name.split(":?")[0]
            return sample.get(name) or default

        return re.sub(r"\$\{([^}]+)\}", one, value)

    environment = {k: interpolate(str(v)) for k, v in
                   compose["services"]["slack"]["environment"].items()}
    settings = Settings.from_env({**sample, **environment}, env_file=None)
    assert settings.data_dir.as_posix() == "/data"
    assert settings.uses_chroma_server and settings.chroma_host == "chroma"
    assert settings.resolved_db_url == "postgresql+psycopg://sgbot:example@postgres:5432/sgbot"
    assert settings.resolved_index_url == settings.resolved_db_url
    assert settings.log_format == "json"  # .env.example leaves it blank: JSON in the stack


def test_other_services_use_documented_variables(compose):
    postgres = compose["services"]["postgres"]["environment"]
    assert set(postgres) == {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}
    assert "environment" not in compose["services"]["chroma"]
    used = set(re.findall(r"\$\{([A-Z_]+)", (REPO / "compose.yaml").read_text()))
    assert used <= set(THIRD_PARTY) | env_variable_names()
    assert used <= set(env_example())  # every interpolated variable is in .env.example
    assert ":?" in postgres["POSTGRES_PASSWORD"]  # compose refuses to start without one


def test_healthchecks_and_startup_order(compose):
    services = compose["services"]
    for name in ("slack", "teams", "chroma", "postgres"):
        check = services[name]["healthcheck"]
        assert check["test"][0] in {"CMD", "CMD-SHELL"} and check["interval"]
    assert services["ingest"]["healthcheck"] == {"disable": True}  # a one-off job
    assert services["slack"]["healthcheck"]["test"] == ["CMD", "python", "-m", "bot.health"]
    assert "/api/v2/heartbeat" in " ".join(services["chroma"]["healthcheck"]["test"])
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"][1]
    for name in BOTS:
        assert services[name]["depends_on"] == {
            "chroma": {"condition": "service_healthy"},
            "postgres": {"condition": "service_healthy"}}


def test_published_ports_match_settings(compose):
    defaults = Settings.from_env({}, env_file=None)
    assert compose["services"]["slack"]["ports"] == [f"{defaults.slack.port}:3000"]
    assert compose["services"]["teams"]["ports"] == [f"{defaults.teams.port}:3978"]
    assert "ports" not in compose["services"]["chroma"]  # internal only: no auth on Chroma
    assert "ports" not in compose["services"]["postgres"]
