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
import traceback
from collections import OrderedDict
from typing import Any

from bot.teams import cards
from bot.teams.services import LEARNING_UNAVAILABLE, TeamsServices
from knowledge.errors import FeedbackError, InvalidArgument, SgbotError
from knowledge.kb import follow_up_query
from knowledge.safety import is_immediate_concern, urgent_message

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


class Memory:
    """A small bounded mapping (oldest out first) for thread topics and seen activity ids."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise InvalidArgument(f"Memory size must be >= 1, got {size}")
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()

    def get(self, key: str) -> Any:
        return self._items.get(key)

    def put(self, key: str, value: Any) -> None:
        self._items.pop(key, None)
        self._items[key] = value
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def claim(self, key: str) -> bool:
        """True the first time `key` is seen."""
        if key in self._items:
            return False
        self.put(key, True)
        return True


def error_name(exc: BaseException) -> str:
    """Exception type and frames without its message (messages may quote user text)."""
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    where = " <- ".join(f"{f.name}:{f.lineno}" for f in reversed(frames))
    return f"{type(exc).__name__} at {where}"


class TeamsBot:
    """The bot's behaviour; `register(app)` attaches it to a `microsoft_teams.apps.App`."""

    def __init__(self, settings, kb, services: TeamsServices) -> None:
        self.settings = settings
        self.kb = kb
        self.services = services
        self.seen = Memory(20000)
        self.topics = Memory(5000)

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
        allowed = self.settings.allowed_tenants
        return not allowed or self.tenant_of(activity) in allowed

    @staticmethod
    def user_id(activity) -> str | None:
        sender = activity.from_
        return (sender.aad_object_id or sender.id) if sender else None

    def is_admin(self, activity) -> bool:
        sender = activity.from_
        ids = {sender.aad_object_id, sender.id} if sender else set()
        return bool(ids & set(self.settings.admin_users))

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
        if activity.id and not self.seen.claim(key):
            log.info("teams duplicate activity=%s ignored", activity.id)
            return
        outcome = "error"
        try:
            outcome = await self._handle_message(ctx)
        except SgbotError as exc:
            outcome = f"refused:{type(exc).__name__}"
            await self.send(ctx, f"Sorry — {exc}")
        except Exception as exc:  # noqa: BLE001 - logged (type+frames) and told to the user
            log.error("teams message failed activity=%s error=%s", activity.id, error_name(exc))
            await self.send(ctx, "Sorry — something went wrong answering that. Please try again; "
                                 f"if it keeps happening, tell {self.settings.help_contact}.")
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
            form = cards.feedback_form(self.settings, self.services.kind_labels())
            await self.send_card(ctx, form)
            return "feedback_form"
        if command == "learning":
            return await self.learning(ctx, argument)
        if command == "stats":
            if not self.is_admin(activity):
                await self.send(ctx, "Only partnership admins can see usage figures.")
                return "stats_refused"
            counts = await asyncio.to_thread(self.services.admin_counts)
            await self.send_card(ctx, cards.stats_card(counts))
            return "stats"
        return await self.answer(ctx, argument)

    async def answer(self, ctx, question: str) -> str:
        activity = ctx.activity
        urgent = is_immediate_concern(question)
        if urgent:  # the safety net goes out before any search result
            lines = urgent_message(self.settings).splitlines()
            await self.send(ctx, "**Urgent**\n\n" + "\n\n".join(lines))
        await self._typing(ctx)
        topic_key = self.reply_ref(ctx).conversation.id
        previous = self.topics.get(topic_key)
        answer = await asyncio.to_thread(self.kb.ask, question, previous=previous)
        self.topics.put(topic_key, previous if previous and
                        follow_up_query(question, previous) != question else question)
        answer_id = None
        try:
            answer_id = await asyncio.to_thread(self.services.record_question, question, answer,
                                                self.user_id(activity))
        except FeedbackError as exc:  # the answer still goes out, just without rating buttons
            log.error("teams question not recorded activity=%s error=%s", activity.id,
                      type(exc).__name__)
        await self.send(ctx, cards.answer_message(answer, answer_id))
        outcome = "abstained" if answer.abstained else "answered"
        return f"{outcome}{'+urgent' if urgent else ''} answer_id={answer_id}"

    async def learning(self, ctx, theme: str) -> str:
        if not theme:
            examples = ", ".join(self.settings.feedback_themes[:4])
            await self.send(ctx, f"Which theme? For example `learning neglect`. Themes include "
                                 f"{examples}.")
            return "learning_no_theme"
        summariser = self.services.summariser()
        if summariser is None:
            await self.send(ctx, LEARNING_UNAVAILABLE)
            return "learning_unavailable"
        await self._typing(ctx)
        summary = await asyncio.to_thread(summariser.summarise, theme)
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
            except SgbotError as exc:
                content, outcome = cards.notice_card(f"Sorry — {exc}", warning=True), "refused"
        log.info("teams card action activity=%s verb=%s outcome=%s ms=%.0f", activity.id,
                 data.get("sgbot"), outcome, 1000 * (time.perf_counter() - started))
        return cards.card_response(content)

    async def card_action(self, ctx, data: dict) -> dict:
        """Run a button's action and return the card to show next."""
        verb = data.get("sgbot")
        user = self.user_id(ctx.activity)
        if verb == cards.VERB_RATE:
            answer_id = str(data.get("answer_id") or "")
            helpful = _truthy(data.get("helpful"))
            try:
                await asyncio.to_thread(self.services.rate, answer_id, helpful, user)
            except FeedbackError as exc:
                return cards.notice_card(str(exc), title="Your rating was not saved", warning=True)
            return cards.rated_card(helpful, answer_id)
        if verb == cards.VERB_COMMENT:
            answer_id = str(data.get("answer_id") or "")
            comment = str(data.get("comment") or "")
            try:
                await asyncio.to_thread(self.services.rate, answer_id, False, user, comment)
            except FeedbackError as exc:
                return cards.notice_card(str(exc), title="Your note was not saved", warning=True)
            return cards.notice_card("Thanks — your note will help improve the answers.")
        kinds = self.services.kind_labels()
        if verb == cards.VERB_FEEDBACK_OPEN:
            return cards.feedback_form(self.settings, kinds)
        if verb == cards.VERB_FEEDBACK_SUBMIT:
            try:
                submission = await asyncio.to_thread(self.services.submit, data, user)
            except FeedbackError as exc:
                log.info("teams feedback rejected activity=%s error=%s", ctx.activity.id,
                         type(exc).__name__)
                return cards.feedback_form(self.settings, kinds, values=data, error=str(exc))
            return cards.feedback_thanks(submission)
        return cards.notice_card("That button is no longer active.")


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"true", "1", "yes", "on"}
