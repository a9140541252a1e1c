"""`sgbot serve slack|teams`: run a bot adapter."""

from __future__ import annotations

import argparse
import sys


def register(sub) -> None:
    p = sub.add_parser("serve", help="run the Slack or Teams bot")
    p.add_argument("adapter", choices=("slack", "teams"), help="which bot to run")
    p.add_argument("--mode", choices=("socket", "http"),
                   help="Slack only: Socket Mode (default) or HTTP endpoint; overrides "
                        "SGBOT_SLACK_MODE")
    p.add_argument("--port", type=int, help="HTTP port (default SGBOT_SLACK_PORT/SGBOT_TEAMS_PORT)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.cli.common import open_kb, settings_from

    settings = settings_from(args, interactive=False)
    from knowledge.safety import missing_front_door

    missing = missing_front_door(settings)
    if missing:  # the urgent routes must name the real front door before anyone can ask
        print(f"sgbot serve: the safety net's front door is not set: {', '.join(missing)}.\n"
              "Set them in .env (see .env.example) to your partnership's children's social "
              "care front door: its name, daytime and out-of-hours numbers (the same number "
              "twice if it answers 24 hours). `sgbot doctor` suggests numbers found in the "
              "ingested documents.", file=sys.stderr)
        return 2
    if args.adapter == "slack":
        if args.mode:
            settings = settings.with_overrides(slack_mode=args.mode)
        if args.port:
            settings = settings.with_overrides(slack_port=args.port)
        from bot.slack.server import serve

    else:
        if args.port:
            settings = settings.with_overrides(teams_port=args.port)
        from bot.teams.server import serve
    return serve(settings, open_kb(settings)) or 0
