"""Message shortcut "Send as frontline feedback": the feedback modal, prefilled with the message."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.slack.conversation import clean_text
from bot.slack.delivery import notify
from bot.slack.surfaces import feedback_modal

log = logging.getLogger(__name__)

CALLBACK_ID = "send_as_feedback"


def register(app, ctx) -> None:
    @app.shortcut(CALLBACK_ID)
    def send_as_feedback(ack, shortcut, client):
        ack()
        message = shortcut.get("message") or {}
        channel = (shortcut.get("channel") or {}).get("id")
        view = feedback_modal(ctx.settings, list(ctx.assistant.feedback_kinds().items()),
                              agencies=ctx.assistant.agencies(),
                              prefill=clean_text(message.get("text")),
                              source={"channel": channel, "message_ts": message.get("ts")})
        try:
            client.views_open(trigger_id=shortcut["trigger_id"], view=view)
        except SlackApiError as exc:
            log.warning("slack views.open failed: %s", exc.response.get("error"))
            notify(client, user=shortcut["user"]["id"], channel=channel,
                   response_url=shortcut.get("response_url"),
                   text="Sorry, I couldn't open the feedback form. Please try again.")
