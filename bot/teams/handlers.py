"""Teams activities in, core calls, Teams replies out.

Messages (personal chat, or @mentions in channels and group chats) are parsed as commands
(`ask …`, `learning THEME`, `feedback`, `help`, admin-only `stats`) or plain questions. Card
buttons arrive as `adaptiveCard/action` invokes (Universal Actions) or, from older clients, as
messages carrying `value`; both go through `card_action`. The safety net runs before anything
else for every question. Logs carry ids, timings and outcomes, never message text.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import time
from typing import Any

from bot.teams import cards
from knowledge.assistant import Assistant, Conversation
from knowledge.conversation import TTLCache
from knowledge.errors import FeedbackError
from knowledge.wording import log_failure, user_message

log = logging.getLogger(__name__)

COMMANDS = ("ask", "learning", "feedback", "help", "stats")
_AT_TAG = re.compile(r"</?at>", re.I)
_HTML_TAG = re.compile(r"<[^>]+>")


def parse_command(text: str) -> tuple[str, str]:
    """`("ask", "who chairs…")`, `("learning", "neglect")`, … ; plain text is a question."""
    text = (text or "").strip()
    word, _, rest = text.partition(" ")
    name = word.lower().lstrip("/").rstrip(":")
    if name in COMMANDS:
        return name, rest.strip()
    if name == "?":
        return "help", ""
    return "ask", text


class TeamsBot:
    """The bot's behaviour; `register(app)` attaches it to a `microsoft_teams.apps.App`."""

    def __init__(self, settings, assistant: Assistant) -> None:
        self.settings = settings
        self.assistant = assistant
        #: Activity ids already handled: the Bot Connector redelivers on slow acknowledgements.
        self.seen = TTLCache(ttl=3600, size=20000)

    def register(self, app) -> None:
        app.on_message(self.on_message)
        app.on_card_action(self.on_card_action)
        app.on_install_add(self.on_install)

    # --- who may use the bot -----------------------------------------------------------------

    @staticmethod
    def tenant_of(activity) -> str | None:
        conversation = activity.conversation
        if conversation is not None and conversation.tenant_id:
            return conversation.tenant_id
        channel_data = getattr(activity, "channel_data", None)
        tenant = getattr(channel_data, "tenant", None) if channel_data else None
        return getattr(tenant, "id", None)

    def tenant_allowed(self, activity) -> bool:
        allowed = self.settings.teams.serves_tenants  # the allowlist, else TEAMS_TENANT_ID
        return not allowed or self.tenant_of(activity) in allowed

    @staticmethod
    def user_id(activity) -> str | None:
        sender = activity.from_
        return (sender.aad_object_id or sender.id) if sender else None

    def is_admin(self, activity) -> bool:
        sender = activity.from_
        return bool(sender) and self.assistant.is_admin(sender.aad_object_id, sender.id)

    def conversation(self, ctx) -> Conversation:
        """The assistant's view of this chat or channel thread."""
        activity = ctx.activity
        team = getattr(getattr(activity, "channel_data", None), "team", None)
        return Conversation("teams", self.reply_ref(ctx).conversation.id,
                            user_id=self.user_id(activity),
                            place=getattr(team, "id", None) or activity.conversation.id)

    def refusal(self) -> str:
        return ("This assistant isn't enabled for your organisation. Ask "
                f"{self.settings.help_contact} if you think it should be.")

    # --- sending -----------------------------------------------------------------------------

    @staticmethod
    def reply_ref(ctx):
        """Where replies go: the activity's thread in channels (`;messageid=`), else the chat."""
        ref = ctx.conversation_ref
        conversation = ctx.activity.conversation
        message_id = ctx.activity.id or ""
        if (conversation.conversation_type == "channel" and ";messageid=" not in conversation.id
                and message_id.isdigit() and message_id != "0"):
            from microsoft_teams.apps.utils.thread import to_threaded_conversation_id

            threaded = conversation.model_copy(
                update={"id": to_threaded_conversation_id(conversation.id, message_id)})
            ref = ref.model_copy(update={"conversation": threaded})
        return ref

    async def send(self, ctx, message) -> None:
        """Send a reply (str or MessageActivityInput) threaded under the user's message."""
        from microsoft_teams.api import MessageActivityInput

        if isinstance(message, str):
            message = MessageActivityInput(text=message)
        if ctx.activity.id and not message.reply_to_id:
            message.reply_to_id = ctx.activity.id
        await ctx.send(message, self.reply_ref(ctx))

    async def send_card(self, ctx, content: dict, text: str | None = None) -> None:
        await self.send(ctx, cards.card_message(content, text=text))

    # --- messages ----------------------------------------------------------------------------

    def message_text(self, activity) -> str:
        """Text with the bot's @mention removed, other mentions kept as names, HTML stripped."""
        from microsoft_teams.api.activities.utils import (
            StripMentionsTextOptions,
            strip_mentions_text,
        )

        bot_id = activity.recipient.id if activity.recipient else None
        text = strip_mentions_text(activity, StripMentionsTextOptions(account_id=bot_id)) or ""
        text = _AT_TAG.sub("", text)
        text = _HTML_TAG.sub(" ", text)
        return " ".join(html.unescape(text).split())

    async def on_message(self, ctx) -> None:
        activity = ctx.activity
        started = time.perf_counter()
        key = f"{activity.conversation.id}:{activity.id}"
        if activity.id and not self.seen.add(key):
            log.info("teams duplicate activity=%s ignored", activity.id)
            return
        outcome = "error"
        try:
            outcome = await self._handle_message(ctx)
        except Exception as exc:  # noqa: BLE001 - logged (type+frames), fixed wording to the user
            reference = log_failure(f"teams message activity={activity.id}", exc)
            outcome = f"failed:{type(exc).__name__}"
            await self.send(ctx, user_message(exc, self.settings, reference))
        finally:
            log.info("teams message activity=%s conversation_type=%s tenant=%s outcome=%s "
                     "ms=%.0f", activity.id, activity.conversation.conversation_type,
                     self.tenant_of(activity), outcome, 1000 * (time.perf_counter() - started))

    async def _handle_message(self, ctx) -> str:
        activity = ctx.activity
        if not self.tenant_allowed(activity):
            await self.send(ctx, self.refusal())
            return "tenant_refused"
        if isinstance(activity.value, dict) and activity.value.get("sgbot"):
            content = await self.card_action(ctx, activity.value)  # Action.Submit fallback
            await self.send_card(ctx, content)
            return f"card:{activity.value.get('sgbot')}"
        command, argument = parse_command(self.message_text(activity))
        if command == "help" or (command == "ask" and not argument):
            await self.send_card(ctx, cards.help_card(self.settings, admin=self.is_admin(activity)))
            return "help"
        if command == "feedback":
            form = cards.feedback_form(self.settings, self.assistant.feedback_kinds())
            await self.send_card(ctx, form)
            return "feedback_form"
        if command == "learning":
            return await self.learning(ctx, argument)
        if command == "stats":
            if not self.is_admin(activity):
                await self.send(ctx, "Only partnership admins can see usage figures.")
                return "stats_refused"
            counts = await asyncio.to_thread(self.assistant.admin_counts)
            await self.send_card(ctx, cards.stats_card(counts))
            return "stats"
        return await self.answer(ctx, argument)

    async def answer(self, ctx, question: str) -> str:
        await self._typing(ctx)
        reply = await asyncio.to_thread(self.assistant.ask, question, self.conversation(ctx))
        if reply.urgent:  # the safety net goes out before any search result
            await self.send(ctx, "**Urgent**\n\n" + "\n\n".join(reply.urgent.splitlines()))
        if reply.failed:
            await self.send(ctx, reply.notice or "")
            return f"not_answered reference={reply.reference}"
        await self.send(ctx, cards.answer_message(reply.answer, reply.answer_id))
        outcome = "abstained" if reply.answer.abstained else "answered"
        return f"{outcome}{'+urgent' if reply.urgent else ''} answer_id={reply.answer_id}"

    async def learning(self, ctx, theme: str) -> str:
        if not theme:
            examples = ", ".join(self.settings.feedback_themes[:4])
            await self.send(ctx, f"Which theme? For example `learning neglect`. Themes include "
                                 f"{examples}.")
            return "learning_no_theme"
        await self._typing(ctx)
        summary = await asyncio.to_thread(self.assistant.learning, theme)
        if not summary.points:
            await self.send(ctx, summary.message or "I found no learning on that theme.")
            return "learning_thin"
        await self.send_card(ctx, cards.learning_card(summary))
        return f"learning points={len(summary.points)} thin={summary.thin}"

    async def _typing(self, ctx) -> None:
        from microsoft_teams.api import TypingActivityInput

        await ctx.send(TypingActivityInput(), self.reply_ref(ctx))

    async def on_install(self, ctx) -> None:
        """Say hello (the help card) when the app is added to a chat or team."""
        if self.tenant_allowed(ctx.activity):
            await ctx.send(cards.card_message(cards.help_card(self.settings, admin=False)))

    # --- card buttons ------------------------------------------------------------------------

    async def on_card_action(self, ctx) -> dict:
        """`adaptiveCard/action` invoke: the returned card replaces the one that was pressed."""
        activity = ctx.activity
        started = time.perf_counter()
        data = dict(activity.value.action.data or {})
        data.setdefault("sgbot", activity.value.action.verb)
        if not self.tenant_allowed(activity):
            content, outcome = cards.notice_card(self.refusal()), "tenant_refused"
        else:
            try:
                content = await self.card_action(ctx, data)
                outcome = f"ok:{data.get('sgbot')}"
            except Exception as exc:  # noqa: BLE001 - logged, fixed wording on the card
                reference = log_failure(f"teams card action activity={activity.id}", exc)
                content = cards.notice_card(user_message(exc, self.settings, reference),
                                            warning=True)
                outcome = f"failed:{type(exc).__name__}"
        log.info("teams card action activity=%s verb=%s outcome=%s ms=%.0f", activity.id,
                 data.get("sgbot"), outcome, 1000 * (time.perf_counter() - started))
        return cards.card_response(content)

    async def card_action(self, ctx, data: dict) -> dict:
        """Run a button's action and return the card to show next."""
        verb = data.get("sgbot")
        conversation = self.conversation(ctx)
        if verb == cards.VERB_RATE:
            answer_id = str(data.get("answer_id") or "")
            helpful = _truthy(data.get("helpful"))
            try:
                await asyncio.to_thread(self.assistant.rate, answer_id, helpful, conversation)
            except FeedbackError as exc:
                return cards.notice_card(user_message(exc, self.settings),
                                         title="Your rating was not saved", warning=True)
            return cards.rated_card(helpful, answer_id)
        if verb == cards.VERB_COMMENT:
            answer_id = str(data.get("answer_id") or "")
            comment = str(data.get("comment") or "")
            try:
                await asyncio.to_thread(self.assistant.rate, answer_id, False, conversation,
                                        comment)
            except FeedbackError as exc:
                return cards.notice_card(user_message(exc, self.settings),
                                         title="Your note was not saved", warning=True)
            return cards.notice_card("Thanks — your note will help improve the answers.")
        kinds = self.assistant.feedback_kinds()
        if verb == cards.VERB_FEEDBACK_OPEN:
            return cards.feedback_form(self.settings, kinds)
        if verb == cards.VERB_FEEDBACK_SUBMIT:
            try:
                submission = await asyncio.to_thread(
                    lambda: self.assistant.submit_feedback(conversation, **form_fields(data)))
            except FeedbackError as exc:
                log.info("teams feedback rejected activity=%s error=%s", ctx.activity.id,
                         type(exc).__name__)
                return cards.feedback_form(self.settings, kinds, values=data,
                                           error=user_message(exc, self.settings))
            return cards.feedback_thanks(submission)
        return cards.notice_card("That button is no longer active.")


def form_fields(values: dict[str, Any]) -> dict[str, Any]:
    """The feedback card's inputs as the assistant's submission fields."""
    return {"kind": str(values.get("kind") or ""), "theme": str(values.get("theme") or ""),
            "agency": str(values.get("agency") or ""),
            "locality": str(values.get("locality") or ""), "text": str(values.get("text") or ""),
            "consent_to_quote": _truthy(values.get("consent")),
            "may_contact": _truthy(values.get("may_contact"))}


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"true", "1", "yes", "on"}
