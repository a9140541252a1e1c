"""Per-process state the listeners share: settings, the core's assistant, Slack-only caches.

Conversation topics live in the assistant (the same for every surface); what stays here is
Slack's own: retried-event dedupe, rendered answers for "Share", learning summaries for the
DOCX button. Caches are bounded and expire, so a long-running bot never grows without limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.assistant import Assistant, Conversation
from knowledge.conversation import TTLCache


@dataclass
class SlackContext:
    """What every listener needs; built once by `app.build_app`."""

    settings: Any
    assistant: Assistant
    seen: TTLCache = field(default_factory=lambda: TTLCache(ttl=3600, size=20000))
    answers: TTLCache = field(default_factory=lambda: TTLCache(ttl=6 * 3600, size=2000))
    learning: TTLCache = field(default_factory=lambda: TTLCache(ttl=3600, size=200))
    executor: Any = None  # Bolt's listener executor, shut down by `close`

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def is_admin(self, user_id: str | None) -> bool:
        return self.assistant.is_admin(user_id)

    @staticmethod
    def thread_key(channel: str, thread_ts: str | None) -> str:
        return f"{channel}:{thread_ts or '-'}"

    def conversation(self, channel: str | None, thread_ts: str | None, user: str | None
                     ) -> Conversation:
        """The assistant's view of a Slack thread (or a DM's flat history)."""
        return Conversation("slack", self.thread_key(channel or "-", thread_ts), user_id=user,
                            place=channel)

    def claim(self, key: str) -> bool:
        """True the first time `key` (an event id or a message's channel:ts) is seen."""
        return self.seen.add(key)
