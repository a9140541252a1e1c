"""Buttons: 👍/👎 on answers, "Share in channel", "Get the DOCX briefing"."""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

from slack_sdk.errors import SlackApiError

from bot.slack.blocks import answer_blocks
from bot.slack.delivery import notify, send_file
from bot.slack.surfaces import not_helpful_modal
from knowledge.errors import SgbotError
from knowledge.wording import log_failure, user_message

log = logging.getLogger(__name__)

THANKS_HELPFUL = "Thanks — recorded as helpful. 👍"
THANKS_NOT_HELPFUL = ("Thanks — recorded as not helpful. The partnership team reviews these to "
                      "fill gaps in the documents.")


def where(body: dict) -> dict:
    """Who clicked, and where to acknowledge them (channel, thread, response_url)."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    return {
        "user": body["user"]["id"],
        "channel": (body.get("channel") or {}).get("id") or container.get("channel_id"),
        "thread_ts": message.get("thread_ts") or container.get("thread_ts"),
        "ephemeral": bool(container.get("is_ephemeral")),
        "response_url": body.get("response_url"),
    }


def acknowledge(client, place: dict, text: str) -> None:
    """Ephemeral acknowledgement; ephemeral answers are answered through their response_url."""
    notify(client, user=place["user"], channel=place["channel"], thread_ts=place["thread_ts"],
           response_url=place["response_url"] if place["ephemeral"] else None, text=text)


def record(ctx, client, place: dict, answer_id: str, helpful: bool, *, quiet: bool = False
           ) -> bool:
    """Store a rating and tell the user; a store failure is reported, never swallowed.

    `quiet` skips the thank-you (the 👎 modal says it instead); failures are always reported.
    """
    conversation = ctx.conversation(place["channel"], place["thread_ts"], place["user"])
    try:
        ctx.assistant.rate(answer_id, helpful, conversation)
    except SgbotError as exc:
        log.error("slack rating failed answer_id=%s error=%s", answer_id, type(exc).__name__)
        acknowledge(client, place, "Sorry, I couldn't record your rating: "
                    + user_message(exc, ctx.settings))
        return False
    log.info("slack rating answer_id=%s helpful=%s", answer_id, helpful)
    if not quiet:
        acknowledge(client, place, THANKS_HELPFUL if helpful else THANKS_NOT_HELPFUL)
    return True


def register(app, ctx) -> None:
    @app.action("answer_helpful")
    def helpful(ack, body, action, client):
        ack()
        record(ctx, client, where(body), action.get("value", ""), True)

    @app.action("answer_not_helpful")
    def not_helpful(ack, body, action, client):
        """Record the 👎 at once (a rating is an upsert), then offer the optional comment."""
        ack()
        place = where(body)
        answer_id = action.get("value", "")
        if not record(ctx, client, place, answer_id, False, quiet=True):
            return
        metadata = {"a": answer_id, "c": place["channel"], "t": place["thread_ts"],
                    "r": place["response_url"] if place["ephemeral"] else None}
        try:
            client.views_open(trigger_id=body["trigger_id"], view=not_helpful_modal(metadata))
        except SlackApiError as exc:  # no modal (e.g. expired trigger): acknowledge in chat
            log.warning("slack views.open failed: %s", exc.response.get("error"))
            acknowledge(client, place, THANKS_NOT_HELPFUL)

    @app.action("share_answer")
    def share(ack, body, action, client, respond):
        ack()
        place = where(body)
        try:
            data = json.loads(action.get("value") or "{}")
        except ValueError:
            data = {}
        answer = ctx.answers.get(data.get("id") or "")
        if answer is None and data.get("q"):
            again = ctx.assistant.ask(data["q"], ctx.conversation(
                place["channel"], f"share:{body.get('trigger_id', '')}", place["user"]))
            if again.failed:
                respond(text=again.notice, response_type="ephemeral", replace_original=False)
                return
            answer = again.answer
        if answer is None:
            respond(text="Sorry, I no longer have that answer. Please ask again.",
                    response_type="ephemeral", replace_original=False)
            return
        text, blocks = answer_blocks(answer, data.get("id") or None, shared_by=place["user"])
        try:
            posted = client.chat_postMessage(channel=place["channel"], text=text, blocks=blocks,
                                             unfurl_links=False)
        except SlackApiError as exc:
            if exc.response.get("error") not in {"not_in_channel", "channel_not_found"}:
                raise
            # The bot isn't in this channel: post through the command's response_url instead.
            respond(text=text, blocks=blocks, response_type="in_channel", replace_original=False)
        else:
            ctx.assistant.remember(ctx.thread_key(place["channel"], posted.get("ts")), answer)
        respond(delete_original=True)
        log.info("slack shared answer_id=%s channel=%s user=%s", data.get("id"),
                 place["channel"], place["user"])

    @app.action("learning_docx")
    def learning_docx(ack, action, body, client, respond):
        ack()
        user = body["user"]["id"]
        theme = action.get("value", "")
        summary = ctx.learning.get(theme.lower())
        try:
            if summary is None:
                summary = ctx.assistant.learning(theme)
            with tempfile.TemporaryDirectory(prefix="sgbot-learning-") as tmp:
                name = "".join(ch if ch.isalnum() else "-" for ch in theme.lower()).strip("-")
                path = ctx.assistant.learning_docx(summary, Path(tmp) / f"learning-{name}.docx")
                send_file(client, user=user, path=path, title=f"Learning briefing: {theme}",
                          comment=f"Here is the learning briefing on {theme}.")
        except Exception as exc:  # noqa: BLE001 - logged without text, told in fixed wording
            reference = log_failure("slack learning docx", exc)
            respond(text=user_message(exc, ctx.settings, reference), response_type="ephemeral",
                    replace_original=False)
            return
        respond(text=f"I've sent the briefing on {theme} to you as a direct message.",
                response_type="ephemeral", replace_original=False)
