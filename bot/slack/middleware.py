"""Global middleware: drop repeated events (Slack retries) and refuse disallowed places politely.

Runs after Bolt's own request verification and authorization, before any listener.
"""

from __future__ import annotations

import logging

from slack_bolt import BoltResponse
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

REFUSAL = ("Sorry — I'm not enabled {where}. Please ask {contact} if you think I should be.")


def refusal(settings, team_id: str | None, channel_id: str | None) -> str | None:
    """Why this workspace/channel may not use the bot, or None when it may.

    Direct messages and the App Home are always allowed inside an allowed workspace: the
    channel allowlist limits where the bot speaks in shared spaces.
    """
    contact = settings.help_contact
    if settings.slack.allowed_teams and team_id not in settings.slack.allowed_teams:
        return REFUSAL.format(where="in this workspace", contact=contact)
    if (settings.slack.allowed_channels and channel_id and not channel_id.startswith("D")
            and channel_id not in settings.slack.allowed_channels):
        return REFUSAL.format(where="in this channel", contact=contact)
    return None


def _speaks_to_bot(event: dict) -> bool:
    """Only a mention or a DM deserves a refusal; other messages are never answered anyway."""
    if event.get("subtype") or event.get("bot_id"):
        return False
    return event.get("type") == "app_mention" or (event.get("type") == "message"
                                                  and event.get("channel_type") == "im")


def register(app, ctx) -> None:
    @app.middleware
    def drop_retries(body, request, next):
        if body.get("type") == "event_callback" and body.get("event_id"):
            if not ctx.claim(f"event:{body['event_id']}"):
                retry = (request.headers.get("x-slack-retry-num") or [""])[0]
                log.info("slack duplicate event_id=%s retry=%s dropped", body["event_id"], retry)
                return BoltResponse(status=200, body="")
        return next()

    @app.middleware
    def allowlist(body, context, ack, client, next):
        reason = refusal(ctx.settings, context.team_id or context.enterprise_id,
                         context.channel_id)
        if reason is None:
            return next()
        log.info("slack refused team=%s channel=%s user=%s", context.team_id, context.channel_id,
                 context.user_id)
        if body.get("command"):
            return ack(text=reason)
        event = body.get("event") or {}
        try:
            if _speaks_to_bot(event):
                client.chat_postMessage(channel=event["channel"], text=reason,
                                        thread_ts=event.get("thread_ts") or event.get("ts"))
            elif body.get("type") == "block_actions" and context.user_id and context.channel_id:
                client.chat_postEphemeral(channel=context.channel_id, user=context.user_id,
                                          text=reason)
        except SlackApiError as exc:
            log.warning("slack refusal not delivered: %s", exc.response.get("error"))
        return BoltResponse(status=200, body="")
