"""Slash commands: /ask, /learning, /feedback, /feedback-report.

Each acknowledges at once (the ack text is the progress message) and does the work after.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import date, timedelta
from pathlib import Path

from slack_sdk.errors import SlackApiError

from bot.slack.blocks import learning_blocks
from bot.slack.conversation import EphemeralReply, answer_question, clean_text
from bot.slack.delivery import send_file
from bot.slack.surfaces import feedback_modal
from knowledge.wording import log_failure, user_message

log = logging.getLogger(__name__)

ASK_USAGE = "Usage: `/ask QUESTION` — for example `/ask Who chairs the partnership?`"
ADMIN_ONLY = ("Sorry — `/feedback-report` is only for the partnership's admins. If you need the "
              "feedback digest, ask {contact}.")


def parse_dates(text: str, today: date | None = None) -> tuple[date, date]:
    """`/feedback-report [FROM [TO]]` with ISO dates; by default the last twelve months."""
    today = today or date.today()
    parts = text.split()
    if len(parts) > 2:
        raise ValueError("give at most two dates: FROM and TO")
    try:
        found = [date.fromisoformat(p) for p in parts]
    except ValueError:
        raise ValueError("dates must look like 2025-04-01") from None
    until = found[1] if len(found) > 1 else today
    since = found[0] if found else until - timedelta(days=365)
    if since > until:
        raise ValueError("FROM must not be after TO")
    return since, until


def register(app, ctx) -> None:
    def ephemeral(respond, text: str, blocks: list | None = None) -> None:
        respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    @app.command("/ask")
    def ask(ack, command, respond):
        question = clean_text(command.get("text"))
        if not question:
            ack(text=ASK_USAGE)
            return
        ack(response_type="ephemeral", text=":mag: Searching the partnership's documents…")
        conversation = ctx.conversation(command.get("channel_id"),
                                        f"ask:{command.get('trigger_id', '')}",
                                        command["user_id"])
        answer_question(ctx, question=question, conversation=conversation,
                        reply=EphemeralReply(respond), share=True,
                        trace=f"command=/ask channel={command.get('channel_id')} "
                              f"user={command['user_id']}")

    @app.command("/learning")
    def learning(ack, command, respond):
        theme = clean_text(command.get("text"))
        if not theme:
            ack(text="Usage: `/learning THEME` — for example `/learning neglect`. Themes: "
                     + ", ".join(ctx.settings.feedback_themes))
            return
        ack(text=f":books: Gathering what the documents say about {theme}…")
        try:
            summary = ctx.assistant.learning(theme)
        except Exception as exc:  # noqa: BLE001 - logged without text, told in fixed wording
            reference = log_failure("slack learning", exc)
            ephemeral(respond, user_message(exc, ctx.settings, reference))
            return
        ctx.learning.put(theme.lower(), summary)
        ephemeral(respond, *learning_blocks(summary))
        log.info("slack learning user=%s points=%d thin=%s", command["user_id"],
                 len(summary.points), summary.thin)

    @app.command("/feedback")
    def feedback(ack, command, client, respond):
        ack()
        view = feedback_modal(ctx.settings, list(ctx.assistant.feedback_kinds().items()),
                              agencies=ctx.assistant.agencies(),
                              source={"channel": command.get("channel_id")},
                              prefill=clean_text(command.get("text")))
        try:
            client.views_open(trigger_id=command["trigger_id"], view=view)
        except SlackApiError as exc:
            log.warning("slack views.open failed: %s", exc.response.get("error"))
            ephemeral(respond, "Sorry, I couldn't open the feedback form. Please try `/feedback` "
                               "again.")

    @app.command("/feedback-report")
    def feedback_report(ack, command, client, respond):
        user = command["user_id"]
        if not ctx.is_admin(user):
            log.info("slack feedback-report refused user=%s", user)
            ack(text=ADMIN_ONLY.format(contact=ctx.settings.help_contact))
            return
        try:
            since, until = parse_dates(command.get("text") or "")
        except ValueError as exc:
            ack(text=f"Usage: `/feedback-report [FROM [TO]]` — {exc}.")
            return
        ack(text=":hourglass_flowing_sand: Preparing the feedback digest; I'll send it to you "
                 "as a direct message.")
        try:
            with tempfile.TemporaryDirectory(prefix="sgbot-report-") as tmp:
                out = Path(tmp) / f"feedback-report-{date.today().isoformat()}.docx"
                path = ctx.assistant.feedback_report(out, since=since, until=until)
                send_file(client, user=user, path=path, title="Frontline feedback digest",
                          comment="Here is the frontline feedback digest.")
        except Exception as exc:  # noqa: BLE001 - logged, and the admin is told: never silent
            reference = log_failure("slack feedback-report", exc)
            ephemeral(respond, "Sorry, I couldn't build the report: "
                      + user_message(exc, ctx.settings, reference))
            return
        log.info("slack feedback-report sent user=%s", user)
