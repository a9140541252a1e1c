from pathlib import Path

import pytest

from knowledge.errors import ConfigError
from knowledge.settings import Settings, env_variable_names


def test_defaults_put_all_state_under_the_data_dir():
    settings = Settings.from_env({"SGBOT_DATA_DIR": "/srv/sgbot"}, env_file=None)
    assert settings.data_dir == Path("/srv/sgbot")
    assert settings.chroma_path == Path("/srv/sgbot/chroma")
    assert settings.resolved_index_url == "sqlite:////srv/sgbot/index.sqlite"
    assert settings.resolved_db_url == "sqlite:////srv/sgbot/sgbot.db"
    assert not settings.uses_chroma_server


def test_lists_numbers_and_booleans_are_parsed():
    settings = Settings.from_env({
        "SGBOT_ADMIN_USERS": "U1, U2,,", "CHROMA_HOST": "chroma", "CHROMA_PORT": "9000",
        "SGBOT_MIN_CONFIDENCE": "0.6", "SGBOT_TEAMS_INSECURE_NO_AUTH": "yes",
    }, env_file=None)
    assert settings.admin_users == ("U1", "U2")
    assert settings.uses_chroma_server and settings.chroma_port == 9000
    assert settings.min_confidence == 0.6
    assert settings.teams.insecure_no_auth is True


@pytest.mark.parametrize("name, value, fragment", [
    ("CHROMA_PORT", "eighty", "CHROMA_PORT='eighty'"),
    ("SGBOT_MIN_CONFIDENCE", "1.5", "SGBOT_MIN_CONFIDENCE=1.5"),
    ("SGBOT_EMBED_BACKEND", "gpu", "'gpu'"),
    ("SGBOT_TEAMS_INSECURE_NO_AUTH", "maybe", "'maybe'"),
    ("SGBOT_SLACK_MODE", "webhook", "'webhook'"),
])
def test_bad_values_name_the_variable_and_value(name, value, fragment):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({name: value}, env_file=None)
    assert fragment in str(caught.value)


def test_dotenv_is_read_and_real_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("SGBOT_PARTNERSHIP=From File\nSGBOT_HELP_CONTACT=the file desk\n")
    settings = Settings.from_env({"SGBOT_HELP_CONTACT": "the real desk"}, env_file=env_file)
    assert settings.partnership == "From File"
    assert settings.help_contact == "the real desk"


def test_env_variable_names_lists_what_from_env_reads():
    names = env_variable_names()
    assert {"SGBOT_DATA_DIR", "SLACK_BOT_TOKEN", "CHROMA_HOST", "TEAMS_CLIENT_ID"} <= names


def test_sentence_vectors_can_be_left_to_question_time(tmp_path):
    from knowledge.kb import KnowledgeBase

    lazy = Settings.from_env({"SGBOT_DATA_DIR": str(tmp_path)},  # the default
                             env_file=None)
    assert lazy.sentence_vectors is False
    kb = KnowledgeBase(lazy)
    assert kb.sentence_vectors is False and kb.answerer.max_dense_units == 20
    eager = KnowledgeBase(lazy.with_overrides(sentence_vectors=True))
    assert eager.sentence_vectors is True and eager.answerer.max_dense_units == 40


def test_defaults_are_declared_once_and_from_env_reads_every_field():
    from dataclasses import fields

    from knowledge.settings import SECTIONS, Settings

    assert Settings.from_env({}, env_file=None) == Settings()
    for cls in (Settings, *(section for section, _ in SECTIONS.values())):
        undeclared = [f.name for f in fields(cls) if not f.metadata.get("env")
                      and f.name not in SECTIONS]
        assert undeclared == [], f"{cls.__name__} fields without a variable: {undeclared}"


def test_adapter_secrets_live_in_their_sections():
    from knowledge.settings import Settings

    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "TEAMS_CLIENT_SECRET": "s3",
                                  "SGBOT_ALLOWED_TENANTS": "t1,t2"}, env_file=None)
    assert settings.slack.bot_token == "xoxb-1" and settings.teams.client_secret == "s3"
    assert settings.teams.serves_tenants == ("t1", "t2")
    assert not hasattr(settings, "slack_bot_token")
    routed = settings.with_overrides(slack_port=3001, allowed_channels=("C1",), teams_port=4000)
    assert (routed.slack.port, routed.slack.allowed_channels, routed.teams.port) == \
        (3001, ("C1",), 4000)
    assert routed.slack.bot_token == "xoxb-1"
    with pytest.raises(ConfigError, match="unknown setting"):
        settings.with_overrides(slack_nonsense=1)
