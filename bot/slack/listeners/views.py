"""Modal submissions: frontline feedback, and the optional comment after 👎.

The record is written BEFORE the modal is acknowledged as a success; when the store refuses or
fails, the modal shows the error (response_action "errors") so nothing is silently dropped.
"""

from __future__ import annotations

import logging

from bot.slack.delivery import notify
from bot.slack.listeners.actions import THANKS_NOT_HELPFUL
from bot.slack.surfaces import (
    FEEDBACK_CALLBACK,
    NOT_HELPFUL_CALLBACK,
    done_modal,
    input_value,
    read_metadata,
)
from knowledge.errors import FeedbackError, SgbotError
from knowledge.wording import user_message

log = logging.getLogger(__name__)


def error_block(message: str) -> str:
    """The modal field a store validation message is about (the text box by default)."""
    lowered = message.lower()
    for block in ("agency", "theme", "locality", "kind"):
        if lowered.startswith(block) or f" {block} " in f" {lowered} ":
            return block
    return "text"


def register(app, ctx) -> None:
    @app.view(FEEDBACK_CALLBACK)
    def submit_feedback(ack, body, view):
        user = body["user"]["id"]
        text = (input_value(view, "text") or "").strip()
        if len(text) > ctx.settings.feedback_max_chars:
            ack(response_action="errors", errors={
                "text": f"Please keep it under {ctx.settings.feedback_max_chars} characters."})
            return
        fields = {
            "kind": input_value(view, "kind"),
            "theme": input_value(view, "theme"),
            "agency": (input_value(view, "agency") or "").strip(),
            "locality": input_value(view, "locality"),
            "text": text,
            "consent_to_quote": "yes" in (input_value(view, "consent") or []),
            "may_contact": "yes" in (input_value(view, "contact") or []),
        }
        try:
            submission = ctx.assistant.submit_feedback(ctx.conversation(None, None, user),
                                                       **fields)
        except FeedbackError as exc:
            log.info("slack feedback refused user=%s", user)
            ack(response_action="errors", errors={error_block(str(exc)): str(exc)[:2000]})
            return
        except SgbotError as exc:
            log.error("slack feedback store failed user=%s error=%s", user, type(exc).__name__)
            ack(response_action="errors", errors={
                "text": "Nothing was saved: " + user_message(exc, ctx.settings)})
            return
        reference = getattr(submission, "id", "")
        log.info("slack feedback stored id=%s kind=%s", reference, fields["kind"])
        ack(response_action="update", view=done_modal(
            "Thank you", "Your feedback has been recorded"
            + (f" (reference {str(reference)[:12]})" if reference else "")
            + ". Personal details are removed before anything is stored. Thank you for helping "
              "the partnership learn."))

    @app.view(NOT_HELPFUL_CALLBACK)
    def submit_not_helpful(ack, body, view, client):
        """The 👎 is already stored; a comment replaces that rating with one carrying the note."""
        meta = read_metadata(view)
        user = body["user"]["id"]
        answer_id = meta.get("a") or ""
        comment = (input_value(view, "comment") or "").strip() or None
        if comment:
            try:
                ctx.assistant.rate(answer_id, False, ctx.conversation(meta.get("c"), meta.get("t"),
                                                                      user), comment)
            except SgbotError as exc:
                log.error("slack rating comment failed answer_id=%s error=%s", answer_id,
                          type(exc).__name__)
                ack(response_action="errors", errors={"comment": user_message(exc, ctx.settings)})
                return
        ack()
        log.info("slack rating answer_id=%s helpful=False comment=%s", answer_id, bool(comment))
        notify(client, user=user, channel=meta.get("c"), thread_ts=meta.get("t"),
               response_url=meta.get("r"), text=THANKS_NOT_HELPFUL)
