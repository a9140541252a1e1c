""".env.example: every setting documented with a comment, safe placeholders, secrets blank."""

from __future__ import annotations

from dotenv import dotenv_values

from knowledge.settings import Settings, env_variable_names
from tests.deploy.conftest import REPO

#: Variables in .env.example read by Docker Compose (not sgbot), and why.
THIRD_PARTY = {
    "COMPOSE_PROFILES": "which bot services `docker compose up` starts",
    "POSTGRES_USER": "PostgreSQL superuser, also used in the bots' database URLs",
    "POSTGRES_PASSWORD": "its password",
    "POSTGRES_DB": "the database for feedback and the shared index",
}
SECRETS = {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "TEAMS_CLIENT_SECRET",
           "SGBOT_PSEUDONYM_KEY", "POSTGRES_PASSWORD"}
PATH = REPO / ".env.example"


def env_example() -> dict[str, str]:
    return {k: v or "" for k, v in dotenv_values(PATH).items()}


def test_covers_every_setting_and_nothing_else():
    keys = set(env_example())
    assert keys - env_variable_names() - set(THIRD_PARTY) == set()
    assert env_variable_names() - keys == set()
    assert set(THIRD_PARTY) <= keys


def test_each_variable_has_a_comment_and_appears_once():
    lines = PATH.read_text().splitlines()
    seen = []
    for i, line in enumerate(lines):
        if line and not line.startswith("#"):
            name = line.split("=", 1)[0]
            seen.append(name)
            assert lines[i - 1].startswith("# ") and not lines[i - 1].startswith("# ---"), name
    assert len(seen) == len(set(seen))


def test_secrets_are_blank():
    values = env_example()
    for name in SECRETS:
        assert values[name] == "", name


def test_placeholders_parse_into_settings():
    settings = Settings.from_env({}, env_file=PATH)
    assert settings.embed_backend == "onnx"  # the default, not the test-only fake
    assert settings.front_door_name is None and settings.front_door_phone is None  # no placeholder
    assert settings.slack.mode == "socket" and settings.log_format == "text"  # blank: default
    assert settings == Settings.from_env({}, env_file=None).with_overrides(
        data_dir=settings.data_dir)  # the example documents the defaults
