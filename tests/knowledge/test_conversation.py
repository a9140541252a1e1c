"""Conversation memory: bounded, expiring, follow-ups keep the substantive topic."""

from __future__ import annotations

import pytest

from knowledge.conversation import ConversationMemory, TTLCache
from knowledge.errors import InvalidArgument


def test_ttl_cache_claims_once_and_is_bounded():
    cache = TTLCache(ttl=60, size=3)
    assert cache.add("a") and not cache.add("a")
    for key in "bcde":
        cache.add(key)
    assert len(cache) == 3 and "a" not in cache
    with pytest.raises(InvalidArgument, match="ttl"):
        TTLCache(ttl=0, size=1)
    with pytest.raises(InvalidArgument, match="size"):
        TTLCache(ttl=1, size=0)


def test_memory_keeps_the_topic_across_short_follow_ups():
    memory = ConversationMemory()
    memory.remember("C1:1.0", "How is the partnership budget funded?", "By the three partners.")
    memory.remember("C1:1.0", "and who chairs it?")
    topic = memory.topic("C1:1.0")
    assert topic.question == "How is the partnership budget funded?"
    assert topic.answer == "By the three partners."
    memory.remember("C1:1.0", "What training did the partnership deliver this year?")
    assert memory.topic("C1:1.0").question.startswith("What training")
    assert memory.knows("C1:1.0") and not memory.knows("C1:2.0")
    memory.forget("C1:1.0")
    assert not memory.knows("C1:1.0") and memory.topic("C1:1.0") is None


def test_a_marked_conversation_is_known_but_has_no_topic():
    memory = ConversationMemory()
    memory.mark("C1:2.0")
    assert memory.knows("C1:2.0") and memory.topic("C1:2.0") is None
    memory.remember("C1:2.0", "who chairs it?")  # nothing to lean on: becomes the topic
    assert memory.topic("C1:2.0").question == "who chairs it?"
    memory.mark("C1:2.0")  # marking never wipes a topic
    assert memory.topic("C1:2.0").question == "who chairs it?"
