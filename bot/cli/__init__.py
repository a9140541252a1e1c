"""`sgbot` command line. Each subcommand lives in its own module with a `register(subparsers)`.

Modules import heavy libraries inside their handlers, so `sgbot --help` and cold starts stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from knowledge.errors import SgbotError

#: Subcommand modules, in help order. A module registers one or more subcommands.
COMMAND_MODULES = (
    "bot.cli.ingest",
    "bot.cli.ask",
    "bot.cli.evaluate",
    "bot.cli.learning",
    "bot.cli.feedback",
    "bot.cli.serve",
    "bot.cli.doctor",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sgbot",
        description="Safeguarding partnership knowledge assistant: ingest documents, ask "
        "questions with cited answers, run the Slack/Teams bot.",
    )
    parser.add_argument("--env-file", default=".env", help="settings file (default: .env)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:  # a missing module is a bug, so it fails loudly here
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except SgbotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
