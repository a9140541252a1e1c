"""What a conversation remembers between turns: bounded, expiring, thread-safe.

Follow-ups ("and who funds it?") are read against the conversation's topic, kept here per
conversation key (a Slack thread, a Teams chat, a terminal session) for every surface alike.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from knowledge.answering.follow_up import is_follow_up
from knowledge.errors import InvalidArgument

#: A day: a thread picked up the next morning still has its topic; older ones start afresh.
TOPIC_TTL_SECONDS = 24 * 3600
#: Conversations remembered at once; the oldest are forgotten first (bounded memory).
TOPIC_CAPACITY = 5000


class TTLCache:
    """Thread-safe mapping whose entries expire after `ttl` seconds; oldest go past `size`."""

    def __init__(self, ttl: float, size: int) -> None:
        if ttl <= 0:
            raise InvalidArgument(f"ttl must be > 0 seconds, got {ttl}")
        if size < 1:
            raise InvalidArgument(f"size must be >= 1, got {size}")
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def _prune(self, now: float) -> None:
        while self._items:
            _key, (expires, _) = next(iter(self._items.items()))
            if expires > now and len(self._items) <= self.size:
                break
            self._items.popitem(last=False)

    def add(self, key: str, value: Any = True) -> bool:
        """Store `key` unless it is already present; True when this call added it (claims it)."""
        now = time.monotonic()
        with self._lock:
            self._prune(now)
            if key in self._items:
                return False
            self._items[key] = (now + self.ttl, value)
            self._prune(now)
            return True

    def put(self, key: str, value: Any) -> None:
        now = time.monotonic()
        with self._lock:
            self._items.pop(key, None)
            self._items[key] = (now + self.ttl, value)
            self._prune(now)

    def get(self, key: str, default: Any = None) -> Any:
        now = time.monotonic()
        with self._lock:
            self._prune(now)
            item = self._items.get(key)
            return default if item is None else item[1]

    def pop(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def __contains__(self, key: str) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __len__(self) -> int:
        with self._lock:
            self._prune(time.monotonic())
            return len(self._items)


_MISSING = object()


@dataclass(frozen=True)
class Topic:
    """The substantive question a conversation is about, and the answer it got."""

    question: str
    answer: str | None = None


class ConversationMemory:
    """Topics per conversation key. A short follow-up keeps the earlier question as the topic,
    so a chain of follow-ups is read against the substantive question, not the last fragment."""

    def __init__(self, ttl: float = TOPIC_TTL_SECONDS, size: int = TOPIC_CAPACITY) -> None:
        self._cache = TTLCache(ttl, size)

    def topic(self, key: str) -> Topic | None:
        topic = self._cache.get(key)
        return topic if topic and topic.question else None

    def remember(self, key: str, question: str, answer: str | None = None) -> None:
        previous: Topic | None = self._cache.get(key)
        if previous and previous.question and is_follow_up(question):
            self._cache.put(key, previous)  # the follow-up leaned on the topic: keep it
            return
        self._cache.put(key, Topic(question, answer))

    def mark(self, key: str) -> None:
        """Note that the bot replied here without keeping what was said (a disclosure): the
        conversation is known (Slack threads need no new mention) and has no topic."""
        if self._cache.get(key) is None:
            self._cache.put(key, Topic(""))

    def knows(self, key: str) -> bool:
        return key in self._cache

    def forget(self, key: str) -> None:
        self._cache.pop(key)


__all__ = ["ConversationMemory", "TTLCache", "Topic"]
