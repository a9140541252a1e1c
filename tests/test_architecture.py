"""The core stays transport-free: no Slack, Teams or CLI imports under knowledge/."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = ("bot", "slack_bolt", "slack_sdk", "microsoft_teams", "botbuilder", "argparse",
             "rich", "click", "typer", "aiohttp", "fastapi", "starlette")
KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_knowledge_imports_no_transport_or_cli_code():
    offenders = {}
    for path in KNOWLEDGE.rglob("*.py"):
        bad = imported_modules(path) & set(FORBIDDEN)
        if bad:
            offenders[str(path.relative_to(KNOWLEDGE))] = sorted(bad)
    assert offenders == {}


def test_the_check_detects_a_forbidden_import(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("import slack_bolt\nfrom bot.cli import main\n")
    assert imported_modules(sample) >= {"slack_bolt", "bot"}
