"""`sgbot doctor` warns about user-visible settings left at their built-in text."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from knowledge.settings import env_variable_names

CONFIGURED = {"SGBOT_PARTNERSHIP": "Wyvernshire Safeguarding Children Partnership",
              "SGBOT_HELP_CONTACT": "the WSCP business unit (wscp@example.org)",
              "SGBOT_ADMIN_USERS": "U0WSCPADMIN"}
NAMES = ("partnership name", "help contact", "admin users")


@pytest.fixture
def doctor(monkeypatch, tmp_path, capsys):
    for name in env_variable_names():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SGBOT_EMBED_BACKEND", "fake")
    monkeypatch.chdir(tmp_path)

    def run(data_dir, **env: str) -> dict[str, dict]:
        monkeypatch.setenv("SGBOT_DATA_DIR", str(data_dir))
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        main(["--env-file", str(tmp_path / "none.env"), "doctor", "--quick", "--json"])
        return {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}

    return run


def test_defaults_warn_and_say_what_to_set(doctor, tmp_path):
    checks = doctor(tmp_path / "empty")
    for name in NAMES:
        assert checks[name]["status"] == "warn", checks[name]
    assert "'Sample Partnership'" in checks["partnership name"]["detail"]
    assert "no partnership name" in checks["partnership name"]["detail"]
    assert checks["partnership name"]["fix"].startswith("set SGBOT_PARTNERSHIP in .env")
    assert "SGBOT_HELP_CONTACT" in checks["help contact"]["fix"]


def test_partnership_warning_names_what_reports_will_use(doctor, sample_kb):
    checks = doctor(sample_kb.settings.data_dir)
    assert "reports use 'Wyvernshire Safeguarding Children Partnership'" in \
        checks["partnership name"]["detail"]


def test_configured_settings_raise_no_warning(doctor, tmp_path):
    checks = doctor(tmp_path / "empty", **CONFIGURED)
    assert not set(NAMES) & set(checks)
