"""Run the feedback store's Alembic migrations in-process, so upgrades keep old data.

`FeedbackStore.open` calls `upgrade(engine)`; tests call it with an older revision to prove
data survives an upgrade.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (default: newest) inside one transaction."""
    config = _config()
    target = head_revision() if revision == "head" else revision
    with engine.begin() as connection:
        if MigrationContext.configure(connection).get_current_revision() == target:
            return  # already there: skip Alembic's per-open log lines and work
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
