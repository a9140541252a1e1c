"""The front door must be the partnership's real one: `sgbot serve` refuses to start without it,
and `sgbot doctor` fails and suggests the numbers the ingested documents print."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from tests.deploy.conftest import FRONT_DOOR

NO_ENV_FILE = "/nonexistent/sgbot.env"


def ingest_contacts(data_dir, tmp_path) -> None:
    from ingest.pipeline import Ingester
    from knowledge.kb import KnowledgeBase
    from tests.conftest import make_settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "contacts.md").write_text(
        "# Who to contact\n\n## Worried about a child\n\nIf you are worried about a child, call "
        "the Children's Advice and Duty Service on 01632 960301 (Monday to Friday). Out of "
        "hours, the Emergency Duty Team answers on 01632 960302.\n\n## Training\n\nFor course "
        "bookings ring the learning team on 01632 960303.\n")
    kb = KnowledgeBase(make_settings(data_dir))
    assert not Ingester(kb).ingest([docs]).failed
    kb.index.close()


@pytest.mark.parametrize("unset", sorted(FRONT_DOOR))
def test_serve_refuses_to_start_without_the_front_door(env, capsys, unset):
    env(**{unset: ""}, SLACK_BOT_TOKEN="xoxb-1-test", SLACK_APP_TOKEN="xapp-1-test")
    code = main(["--env-file", NO_ENV_FILE, "serve", "slack"])
    err = capsys.readouterr().err
    assert code == 2
    assert unset in err and "sgbot doctor" in err


def test_serve_treats_the_old_placeholder_as_unset(env, capsys):
    env(SGBOT_FRONT_DOOR_PHONE="0300 000 0000")
    assert main(["--env-file", NO_ENV_FILE, "serve", "teams"]) == 2
    assert "SGBOT_FRONT_DOOR_PHONE" in capsys.readouterr().err


def test_doctor_fails_and_suggests_numbers_from_the_documents(env, capsys, tmp_path):
    ingest_contacts(tmp_path / "data", tmp_path)
    env(SGBOT_FRONT_DOOR_PHONE="", SGBOT_FRONT_DOOR_OUT_OF_HOURS_PHONE="")
    code = main(["--env-file", NO_ENV_FILE, "doctor", "--json", "--quick"])
    check = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}["front door"]
    assert code == 1 and check["status"] == "fail"
    assert "SGBOT_FRONT_DOOR_PHONE, SGBOT_FRONT_DOOR_OUT_OF_HOURS_PHONE" in check["detail"]
    assert "01632 960301" in check["fix"] and "01632 960302" in check["fix"]
    assert "01632 960303" not in check["fix"]  # a training line, not the front door


def test_doctor_passes_the_front_door_when_set(env, capsys):
    main(["--env-file", NO_ENV_FILE, "doctor", "--json", "--quick"])
    check = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}["front door"]
    assert check["status"] == "ok" and "01632 960418" in check["detail"]
