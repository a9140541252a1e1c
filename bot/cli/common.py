"""Shared plumbing for subcommands: settings, logging, knowledge base."""

from __future__ import annotations

import logging

from knowledge.settings import Settings


def settings_from(args) -> Settings:
    settings = Settings.from_env(env_file=getattr(args, "env_file", ".env"))
    configure_logging(settings, verbose=getattr(args, "verbose", False))
    return settings


def configure_logging(settings: Settings, *, verbose: bool = False) -> None:
    """Plain or JSON logs on stderr. Loggers carry ids, timings and outcomes, never message text."""
    level = logging.DEBUG if verbose else getattr(logging, settings.log_level, logging.INFO)
    root = logging.getLogger()
    if getattr(root, "_sgbot_configured", False):
        root.setLevel(level)
        return
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        from bot.logging_json import JsonFormatter

        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3", "pypdf", "slack_bolt",
                  "slack_sdk", "transformers", "huggingface_hub"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    root._sgbot_configured = True  # type: ignore[attr-defined]


def open_kb(settings: Settings):
    from knowledge.kb import KnowledgeBase

    return KnowledgeBase(settings)
