"""The question flow every entry point shares: safety net, progress, search, record, reply.

Runs after the listener acknowledged Slack (Bolt's listener executor), so a slow search never
breaks Slack's 3-second limit. Never silent: an error or abstention still gets a reply.
"""

from __future__ import annotations

import html
import logging
import re
from typing import Protocol

from slack_sdk.errors import SlackApiError

from bot.slack.blocks import answer_blocks, notice_blocks, urgent_blocks

log = logging.getLogger(__name__)

_USER_MENTION = re.compile(r"<[@!][A-Z0-9]+(?:\|[^>]*)?>")
_LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]*))?>")


def clean_text(text: str | None) -> str:
    """Slack's message markup to plain text: drop @mentions, unwrap links, unescape &amp; etc."""
    text = _USER_MENTION.sub(" ", text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return re.sub(r"[ \t]+", " ", html.unescape(text)).strip()


class Reply(Protocol):
    def post(self, text: str, blocks: list[dict] | None) -> str | None: ...


class ThreadReply:
    """Posts into a channel (in `thread_ts`'s thread when given); returns the message ts."""

    def __init__(self, client, channel: str, thread_ts: str | None) -> None:
        self.client, self.channel, self.thread_ts = client, channel, thread_ts

    def post(self, text: str, blocks: list[dict] | None) -> str | None:
        response = self.client.chat_postMessage(channel=self.channel, thread_ts=self.thread_ts,
                                                text=text, blocks=blocks, unfurl_links=False,
                                                unfurl_media=False)
        return response.get("ts")


class EphemeralReply:
    """Replies only the asker sees, through the command's response_url (works in any channel)."""

    def __init__(self, respond) -> None:
        self.respond = respond

    def post(self, text: str, blocks: list[dict] | None) -> str | None:
        self.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
        return None


class Reaction:
    """The 👀 progress marker on the asker's message, removed when the answer is ready."""

    def __init__(self, client, channel: str, ts: str, name: str = "eyes") -> None:
        self.client, self.channel, self.ts, self.name = client, channel, ts, name
        self.added = False

    def __enter__(self) -> Reaction:
        try:
            self.client.reactions_add(channel=self.channel, timestamp=self.ts, name=self.name)
            self.added = True
        except SlackApiError as exc:  # progress is a courtesy; the answer still goes out
            log.warning("slack reactions.add failed: %s", exc.response.get("error"))
        return self

    def __exit__(self, *exc_info) -> None:
        if not self.added:
            return
        try:
            self.client.reactions_remove(channel=self.channel, timestamp=self.ts, name=self.name)
        except SlackApiError as exc:
            log.warning("slack reactions.remove failed: %s", exc.response.get("error"))


def answer_question(ctx, *, question: str, conversation, reply: Reply, share: bool = False,
                    trace: str = ""):
    """Answer `question` into `reply` through the assistant; returns its `Reply`.

    The assistant decides everything (safety net, follow-ups, recording, error wording); this
    only renders: the urgent routes first, then the answer or the fixed notice.
    """
    result = ctx.assistant.ask(question, conversation)
    if result.urgent:
        reply.post(*urgent_blocks(result.urgent))
    if result.failed:
        reply.post(*notice_blocks(result.notice or ""))
        log.info("slack not answered %s reference=%s", trace, result.reference)
        return result
    answer = result.answer
    if result.answer_id:
        ctx.answers.put(result.answer_id, answer)
    text, blocks = answer_blocks(answer, result.answer_id, share=share)
    try:
        reply.post(text, blocks)
    except SlackApiError as exc:  # e.g. Slack rejected the blocks: still give the answer
        log.error("slack answer post failed %s error=%s", trace, exc.response.get("error"))
        location = answer.citations[0].location if answer.citations and not answer.abstained \
            else ""
        reply.post(f"{text}\n— {location}" if location else text, None)
    log.info("slack answered %s answer_id=%s abstained=%s", trace, result.answer_id,
             answer.abstained)
    return result
