"""Builds the Bolt app: one WebClient (base URL from settings), the shared context, listeners.

Long-running server in both modes, so `process_before_response=False`: Bolt acknowledges first
and runs listeners on its executor, which keeps every reply inside Slack's 3-second window.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack import middleware
from bot.slack.context import SlackContext
from bot.slack.listeners import actions, commands, events, shortcuts, views
from knowledge.assistant import Assistant
from knowledge.errors import ConfigError


def build_app(settings, kb, *, feedback_store=None, assistant: Assistant | None = None,
              verify_token: bool = True) -> tuple[App, SlackContext]:
    if not settings.slack.bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set",
                          hint="copy the Bot User OAuth Token (xoxb-…) from the app's OAuth page")
    base_url = settings.slack.api_url if settings.slack.api_url.endswith("/") else \
        settings.slack.api_url + "/"
    client = WebClient(token=settings.slack.bot_token, base_url=base_url, timeout=15)
    executor = ThreadPoolExecutor(settings.slack.workers, thread_name_prefix="sgbot-slack")
    app = App(client=client, signing_secret=settings.slack.signing_secret or "",
              process_before_response=False, token_verification_enabled=verify_token,
              listener_executor=executor)
    assistant = assistant or Assistant(settings, kb, store=feedback_store)
    ctx = SlackContext(settings=settings, assistant=assistant, executor=executor)
    middleware.register(app, ctx)
    for module in (events, actions, commands, views, shortcuts):
        module.register(app, ctx)
    return app, ctx
