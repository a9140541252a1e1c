"""Getting something to one person: ephemeral acknowledgements and files in a direct message."""

from __future__ import annotations

import logging
from pathlib import Path

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)


def notify(client, *, user: str, channel: str | None = None, thread_ts: str | None = None,
           response_url: str | None = None, text: str) -> None:
    """Tell `user` something only they see.

    A response_url (from a command or an ephemeral message) works everywhere; otherwise an
    ephemeral message in the channel (in the thread when known), else a direct message.
    """
    if response_url:
        result = WebhookClient(response_url).send(text=text, response_type="ephemeral",
                                                  replace_original=False)
        if result.status_code == 200:
            return
        log.warning("slack response_url send failed status=%s", result.status_code)
    try:
        if channel:
            client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)
            return
    except SlackApiError as exc:
        log.warning("slack chat.postEphemeral failed: %s", exc.response.get("error"))
    client.chat_postMessage(channel=dm_channel(client, user), text=text)


def dm_channel(client, user: str) -> str:
    return client.conversations_open(users=user)["channel"]["id"]


def send_file(client, *, user: str, path: Path, title: str, comment: str) -> None:
    """Upload `path` into the user's direct message with the bot (files upload v2 API)."""
    channel = dm_channel(client, user)
    client.files_upload_v2(channel=channel, file=str(path), filename=path.name, title=title,
                           initial_comment=comment)
    log.info("slack file sent user=%s bytes=%d", user, path.stat().st_size)
