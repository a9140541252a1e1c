"""Events API: @mentions, direct messages, follow-ups in answered threads, the App Home tab.

Events are acknowledged by Bolt before these run. A mention in a thread arrives twice (as
`app_mention` and as `message`); each message is claimed by channel:ts so it is answered once.
"""

from __future__ import annotations

import logging

from bot.slack.conversation import Reaction, ThreadReply, answer_question, clean_text
from bot.slack.surfaces import home_view
from knowledge.errors import SgbotError

log = logging.getLogger(__name__)

def _is_dm(event: dict) -> bool:
    return event.get("channel_type") == "im" or str(event.get("channel", "")).startswith("D")


def _answer_event(ctx, client, event: dict, *, thread: str | None) -> None:
    channel, ts, user = event["channel"], event["ts"], event.get("user", "")
    if not ctx.claim(f"msg:{channel}:{ts}"):
        return
    question = clean_text(event.get("text"))
    trace = f"channel={channel} ts={ts} user={user}"
    reply = ThreadReply(client, channel, thread)
    if not question:
        text = ctx.assistant.help_text()
        reply.post(text, [{"type": "section", "text": {"type": "mrkdwn", "text": text}}])
        return
    # A new top-level mention starts its own thread (keyed by its ts, so it has no topic yet);
    # a reply in a thread continues that thread's topic.
    conversation = ctx.conversation(channel, thread, user)
    with Reaction(client, channel, ts):
        answer_question(ctx, question=question, conversation=conversation, reply=reply,
                        trace=trace)


def _ignorable(event: dict) -> bool:
    return bool(event.get("subtype") or event.get("bot_id") or not event.get("user"))


def register(app, ctx) -> None:
    @app.event("app_mention")
    def on_mention(event, client):
        if _ignorable(event):
            return
        thread = event.get("thread_ts") or event["ts"]
        _answer_event(ctx, client, event, thread=thread)

    @app.event("message")
    def on_message(event, client, context):
        if _ignorable(event):
            return
        thread_ts = event.get("thread_ts")
        if _is_dm(event):
            # Direct messages: reply flat, or in the thread when the user wrote in one.
            _answer_event(ctx, client, event, thread=thread_ts)
            return
        bot = context.get("bot_user_id") or ""
        if bot and f"<@{bot}" in (event.get("text") or ""):
            return  # the app_mention event handles it
        if thread_ts and thread_ts != event["ts"] and ctx.assistant.knows(
                ctx.thread_key(event["channel"], thread_ts)):
            _answer_event(ctx, client, event, thread=thread_ts)
        # Any other channel message is none of the bot's business: it never reads along.

    @app.event("app_home_opened")
    def on_home(event, client):
        if event.get("tab", "home") != "home":
            return
        user = event["user"]
        admin = ctx.is_admin(user)
        counts = ctx.assistant.admin_counts() if admin else None
        try:
            documents = ctx.assistant.kb.documents()
        except SgbotError as exc:  # the home tab still explains the bot; the list says why empty
            log.error("slack home documents failed: %s", type(exc).__name__)
            documents = []
        client.views_publish(user_id=user, view=home_view(ctx.settings, documents, counts,
                                                          is_admin=admin))
        log.info("slack home published user=%s admin=%s", user, admin)
