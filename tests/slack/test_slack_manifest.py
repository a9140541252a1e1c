"""manifest.yml and the app agree: everything the manifest subscribes to has a listener."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.slack.harness import ADMIN

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def _manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def test_manifest_declares_what_the_bot_needs():
    manifest = _manifest()
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "im:history", "im:write",
            "channels:history", "reactions:write", "files:write"} <= scopes
    settings = manifest["settings"]
    assert {"app_mention", "message.im", "message.channels", "app_home_opened"} <= set(
        settings["event_subscriptions"]["bot_events"])
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]
    assert manifest["features"]["app_home"]["home_tab_enabled"]


def test_every_manifest_command_shortcut_and_event_is_handled(bot):
    manifest = _manifest()
    for command in manifest["features"]["slash_commands"]:
        response = bot.command(command["command"], "", user="UPRAC", name="m")
        assert response.status == 200, command["command"]
    for shortcut in manifest["features"]["shortcuts"]:
        response = bot.interactive({"type": "message_action", "callback_id":
                                    shortcut["callback_id"], "trigger_id": "t",
                                    "user": {"id": ADMIN}, "channel": {"id": "C0GENERAL"},
                                    "message": {"ts": "1.0", "text": "x"}})
        assert response.status == 200, shortcut["callback_id"]
    samples = {
        "app_home_opened": {"type": "app_home_opened", "user": ADMIN, "tab": "messages"},
        "app_mention": {"type": "app_mention", "user": ADMIN, "text": "<@UBOT>",
                        "channel": "C0GENERAL", "ts": "2.0"},
        "message.channels": {"type": "message", "channel_type": "channel", "user": ADMIN,
                             "text": "chatter", "channel": "C0GENERAL", "ts": "3.0"},
        "message.groups": {"type": "message", "channel_type": "group", "user": ADMIN,
                           "text": "chatter", "channel": "G0PRIVATE", "ts": "4.0"},
        "message.im": {"type": "message", "channel_type": "im", "user": ADMIN, "text": "",
                       "channel": "D0DM", "ts": "5.0"},
    }
    for name in manifest["settings"]["event_subscriptions"]["bot_events"]:
        assert bot.event(samples[name]).status == 200, name
    # An event type the manifest does not subscribe to has no listener (Bolt answers 404),
    # so the 200s above are real evidence of handlers.
    assert bot.event({"type": "reaction_added", "user": ADMIN}).status == 404
