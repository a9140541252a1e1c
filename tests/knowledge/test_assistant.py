"""The application service on its own (every surface's behaviour is in test_surface_contract)."""

from __future__ import annotations

import pytest

from knowledge.assistant import WORRIED_ABOUT_A_CHILD, Assistant, Conversation
from knowledge.errors import FeedbackError, InvalidArgument


@pytest.fixture
def assistant(sample_kb):
    settings = sample_kb.settings.with_overrides(front_door_name="Wyvernshire Front Door",
                                                 front_door_phone="0300 123 4567")
    built = Assistant(settings, sample_kb)
    yield built
    if built._store is not None:
        built._store.close()


def test_conversation_is_validated():
    with pytest.raises(InvalidArgument, match="surface"):
        Conversation("fax", "k")
    with pytest.raises(InvalidArgument, match="key"):
        Conversation("cli", "")


def test_a_disclosure_gets_routes_and_a_cited_answer_not_i_dont_know(assistant):
    reply = assistant.ask("year 9 pupil just told me her stepdad touches her",
                          Conversation("cli", "t1"))
    assert reply.urgent and "0300 123 4567" in reply.urgent
    assert reply.answer is not None and not reply.answer.abstained
    assert reply.answer.citations
    assert reply.answer_id is None  # the disclosure itself is never stored as a question
    assert assistant.knows("t1")  # the thread is known (follow-ups need no new mention)...
    assert assistant.memory.topic("t1") is None  # ...but the disclosure is not its topic
    routes = assistant.kb.ask(WORRIED_ABOUT_A_CHILD)
    assert reply.answer.answer == routes.answer


def _spy_on_ask(monkeypatch, kb, keyword: str) -> list:
    """The `keyword` argument of every `kb.ask` call, in order (the real answer still runs)."""
    seen = []
    real = kb.ask

    def spy(question, **kwargs):
        seen.append(kwargs.get(keyword))
        return real(question, **kwargs)

    monkeypatch.setattr(kb, "ask", spy)
    return seen


def test_follow_ups_use_the_conversation_topic_and_clear_forgets_it(assistant, monkeypatch):
    seen = _spy_on_ask(monkeypatch, assistant.kb, "previous")
    chat = Conversation("cli", "chat-1")
    assistant.ask("Who chairs the Safeguarding Practice Review Group?", chat)
    assistant.ask("and how often does it meet?", chat)
    assert seen[-1] == "Who chairs the Safeguarding Practice Review Group?"
    assistant.ask("and how often does it meet?", Conversation("cli", "chat-2"))
    assert seen[-1] is None  # another conversation has no topic
    assistant.forget("chat-1")
    assistant.ask("and how often does it meet?", chat)
    assert seen[-1] is None


def test_empty_and_oversized_messages_get_a_notice_not_an_error(assistant):
    assert assistant.ask("   ", Conversation("cli", "e")).notice
    long = assistant.ask("why " * 400, Conversation("cli", "e"))
    assert long.failed and "too long" in long.notice


def test_ratings_need_a_recorded_answer(assistant):
    reply = assistant.ask("Who chairs the Safeguarding Practice Review Group?",
                          Conversation("slack", "C1:1", user_id="U1"))
    assert reply.recorded and reply.answer_id
    assistant.rate(reply.answer_id, False, Conversation("slack", "C1:1", user_id="U1"),
                   comment="wrong group")
    assert assistant.store.usage().not_helpful == 1
    with pytest.raises(FeedbackError, match="wasn't saved"):
        assistant.rate("none", True, Conversation("slack", "C1:1", user_id="U1"))


def test_a_channel_default_partnership_reaches_the_knowledge_base(assistant, monkeypatch):
    settings = assistant.settings.with_overrides(
        channel_partnerships=(("C0WYV", "Wyvernshire"),))
    scoped = Assistant(settings, assistant.kb, store=assistant.store)
    seen = _spy_on_ask(monkeypatch, scoped.kb, "default_partnership")
    scoped.ask("Who chairs the partnership?", Conversation("slack", "C0WYV:1", place="C0WYV"))
    scoped.ask("Who chairs the partnership?", Conversation("slack", "C0OTHER:1", place="C0OTHER"))
    assert seen == ["Wyvernshire", None]
