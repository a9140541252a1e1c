"""Shared plumbing for subcommands: settings, logging, knowledge base."""

from __future__ import annotations

import logging
import os
import sys

from knowledge.settings import Settings


def settings_from(args, *, interactive: bool = True) -> Settings:
    """Settings for a subcommand. Interactive commands log warnings only (their output is for a
    person) unless -v or SGBOT_LOG_LEVEL asks for more; servers log at SGBOT_LOG_LEVEL."""
    settings = Settings.from_env(env_file=getattr(args, "env_file", ".env"))
    quiet = interactive and "SGBOT_LOG_LEVEL" not in os.environ
    configure_logging(settings, verbose=getattr(args, "verbose", False), quiet=quiet)
    return settings


class CurrentStderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time of the record: a host that swaps stderr
    (a test runner, an embedding program) never leaves logging writing to a closed stream."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:  # the stream is always the current stderr
        pass


def configure_logging(settings: Settings, *, verbose: bool = False, quiet: bool = False) -> None:
    """Plain or JSON logs on stderr. Loggers carry ids, timings and outcomes, never message text."""
    level = logging.DEBUG if verbose else getattr(logging, settings.log_level, logging.INFO)
    if quiet and not verbose:
        level = max(level, logging.WARNING)
    from bot import log_guard

    log_guard.install()  # library loggers never carry message text (bot/log_guard.py)
    root = logging.getLogger()
    if getattr(root, "_sgbot_configured", False):
        root.setLevel(level)
        return
    handler = CurrentStderrHandler()
    if settings.log_format == "json":
        from bot.logging_json import JsonFormatter

        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(log_guard.ThirdPartyExtrasFilter())
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3", "pypdf", "slack_bolt",
                  "slack_sdk", "transformers", "huggingface_hub"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    root._sgbot_configured = True  # type: ignore[attr-defined]


def open_kb(settings: Settings):
    from knowledge.kb import KnowledgeBase

    return KnowledgeBase(settings)
