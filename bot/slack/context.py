"""Per-process state the listeners share: settings, knowledge base, feedback, caches.

Caches are bounded and expire, so a long-running bot never grows without limit.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from knowledge.errors import InvalidArgument
from knowledge.kb import follow_up_query


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
            key, (expires, _) = next(iter(self._items.items()))
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

    def __contains__(self, key: str) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __len__(self) -> int:
        with self._lock:
            self._prune(time.monotonic())
            return len(self._items)


_MISSING = object()


class ThreadMemory:
    """Threads the bot answered, with the question that set each thread's topic.

    A short follow-up ("and who funds it?") keeps the earlier question as its topic, so a chain of
    follow-ups is always read against the substantive question, not the previous fragment.
    """

    def __init__(self, ttl: float = 24 * 3600, size: int = 5000) -> None:
        self._cache = TTLCache(ttl, size)

    @staticmethod
    def _key(channel: str, thread_ts: str | None) -> str:
        return f"{channel}:{thread_ts or '-'}"

    def remember(self, channel: str, thread_ts: str | None, question: str) -> None:
        key = self._key(channel, thread_ts)
        previous = self._cache.get(key)
        if previous and follow_up_query(question, previous) != question:
            question = previous  # the follow-up leaned on the earlier topic: keep it
        self._cache.put(key, question)

    def previous(self, channel: str, thread_ts: str | None) -> str | None:
        return self._cache.get(self._key(channel, thread_ts))

    def answered(self, channel: str, thread_ts: str | None) -> bool:
        return self._key(channel, thread_ts) in self._cache


@dataclass
class SlackContext:
    """What every listener needs; built once by `app.build_app`."""

    settings: Any
    kb: Any
    feedback: Any  # bot.slack.services.Feedback
    seen: TTLCache = field(default_factory=lambda: TTLCache(ttl=3600, size=20000))
    threads: ThreadMemory = field(default_factory=ThreadMemory)
    answers: TTLCache = field(default_factory=lambda: TTLCache(ttl=6 * 3600, size=2000))
    learning: TTLCache = field(default_factory=lambda: TTLCache(ttl=3600, size=200))
    executor: Any = None  # Bolt's listener executor, shut down by `close`

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def is_admin(self, user_id: str | None) -> bool:
        return bool(user_id) and user_id in self.settings.admin_users

    def claim(self, key: str) -> bool:
        """True the first time `key` (an event id or a message's channel:ts) is seen."""
        return self.seen.add(key)
