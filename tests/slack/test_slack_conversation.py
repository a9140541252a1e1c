"""Conversation scenarios: mentions, DMs, /ask, follow-ups, retries, access, abstention, safety."""

from __future__ import annotations

import json

from knowledge.safety import is_immediate_concern
from tests.slack.harness import USER, all_text, answer_posts, wait_answers

CHAIR_Q = "Who chairs the partnership?"


def test_mention_gets_threaded_answer_with_citations_and_buttons(bot):
    response = bot.mention(CHAIR_Q, channel="C0GENERAL", ts="1700000100.000100")
    assert response.status == 200
    post = wait_answers(bot.fake, channel="C0GENERAL")[0]
    assert post.params["thread_ts"] == "1700000100.000100"
    expected = bot.kb._kb.ask(CHAIR_Q)
    assert not expected.abstained
    text = all_text(post.params["blocks"])
    assert expected.answer.split(".")[0][:60] in text
    citation = expected.citations[0]
    assert citation.title in text
    assert f"<{citation.url}|" in text  # the document's link
    actions = [b for b in post.params["blocks"] if b["type"] == "actions"][0]["elements"]
    assert [a["action_id"] for a in actions] == ["answer_helpful", "answer_not_helpful"]
    # Progress: 👀 added on the asker's message, then removed once the answer was ready.
    added = bot.fake.find("reactions.add", timestamp="1700000100.000100", name="eyes")
    removed = bot.fake.wait_for("reactions.remove", timestamp="1700000100.000100")
    assert added and removed and added[0].at <= post.at
    # The question and its outcome are in the feedback store.
    assert bot.store.usage().questions == 1


def test_direct_message_is_answered(bot):
    bot.message(CHAIR_Q, channel="D0DM", ts="1700000200.000100", channel_type="im")
    post = wait_answers(bot.fake, channel="D0DM")[0]
    assert post.params.get("thread_ts") is None  # DMs are answered flat
    assert "Quillfeather" in all_text(post.params["blocks"])


def test_ask_command_replies_ephemerally_and_can_be_shared(bot):
    response = bot.command("/ask", CHAIR_Q, name="ask1")
    assert response.status == 200
    assert "Searching" in response.body  # the ack itself is the progress message
    reply = _wait_respond(bot, "/respond/ask1")
    assert reply.params["response_type"] == "ephemeral"
    actions = [b for b in reply.params["blocks"] if b["type"] == "actions"][0]["elements"]
    share = [a for a in actions if a["action_id"] == "share_answer"][0]
    assert json.loads(share["value"])["q"] == CHAIR_Q
    assert not answer_posts(bot.fake)  # nothing public yet

    bot.click("share_answer", share["value"], ephemeral=True, name="share1")
    public = wait_answers(bot.fake, channel="C0GENERAL")[0]
    assert "Quillfeather" in all_text(public.params["blocks"])
    assert f"<@{USER}>" in all_text(public.params["blocks"])  # "Shared by"
    deleted = _wait_respond(bot, "/respond/share1")
    assert deleted.params.get("delete_original") is True
    assert len(bot.kb.asked) == 1  # shared from memory, not asked again


def _wait_respond(bot, path):
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [c for c in bot.fake.find("respond") if c.path == path]
        if found:
            return found[0]
        time.sleep(0.01)
    raise AssertionError(f"no response_url post to {path}")


def test_follow_up_in_answered_thread_needs_no_mention_and_uses_previous(bot):
    first = "How is the partnership budget funded?"
    bot.mention(first, channel="C0GENERAL", ts="1700000300.000100")
    wait_answers(bot.fake, channel="C0GENERAL")
    bot.message("and who chairs it?", channel="C0GENERAL", ts="1700000301.000100",
                thread_ts="1700000300.000100")
    posts = wait_answers(bot.fake, 2, channel="C0GENERAL")
    assert posts[1].params["thread_ts"] == "1700000300.000100"
    assert bot.kb.asked[1] == ("and who chairs it?", first)


def test_unmentioned_channel_messages_are_ignored(bot):
    bot.message(CHAIR_Q, channel="C0GENERAL", ts="1700000400.000100")  # not a thread reply
    bot.message(CHAIR_Q, channel="C0GENERAL", ts="1700000401.000100",
                thread_ts="1700000399.000100")  # a thread the bot never answered
    bot.message("sentinel: who chairs the partnership?", channel="D0DM", ts="1700000402.000100",
                channel_type="im")
    wait_answers(bot.fake, channel="D0DM")
    assert not answer_posts(bot.fake, channel="C0GENERAL")
    assert [q for q, _ in bot.kb.asked] == ["sentinel: who chairs the partnership?"]


def test_retried_event_is_not_answered_twice(bot):
    first = bot.mention(CHAIR_Q, ts="1700000500.000100", event_id="Ev0RETRY")
    wait_answers(bot.fake, channel="C0GENERAL")
    retry = bot.mention(CHAIR_Q, ts="1700000500.000100", event_id="Ev0RETRY", retry=1)
    assert first.status == retry.status == 200
    # The same message delivered as a `message` event (new event id) is not answered either.
    bot.message(f"<@UBOT> {CHAIR_Q}", channel="C0GENERAL", ts="1700000500.000100")
    bot.message("sentinel question", channel="D0DM", ts="1700000501.000100", channel_type="im")
    wait_answers(bot.fake, channel="D0DM")
    assert len(answer_posts(bot.fake, channel="C0GENERAL")) == 1
    assert [q for q, _ in bot.kb.asked].count(CHAIR_Q) == 1


def test_allowlists_refuse_politely(make_bot, slack_settings):
    bot = make_bot(slack_settings.with_overrides(allowed_channels=("C0ALLOWED",),
                                                 allowed_teams=("T0TEST",)))
    bot.mention(CHAIR_Q, channel="C0OTHER", ts="1700000600.000100")
    refusal = bot.fake.wait_for("chat.postMessage", channel="C0OTHER")[0]
    assert "not enabled in this channel" in refusal.params["text"]
    assert refusal.params["thread_ts"] == "1700000600.000100"
    command = bot.command("/ask", CHAIR_Q, channel="C0OTHER")
    assert "not enabled in this channel" in command.body
    other_team = bot.command("/ask", CHAIR_Q, channel="C0ALLOWED", team="T0ELSEWHERE")
    assert "not enabled in this workspace" in other_team.body
    bot.mention(CHAIR_Q, channel="C0ALLOWED", ts="1700000601.000100")
    wait_answers(bot.fake, channel="C0ALLOWED")
    assert [q for q, _ in bot.kb.asked] == [CHAIR_Q]  # only the allowed channel was searched


def test_abstention_gets_a_reply_and_becomes_a_knowledge_gap(bot):
    question = "What is the airspeed velocity of an unladen swallow?"
    bot.mention(question, ts="1700000700.000100")
    post = wait_answers(bot.fake, channel="C0GENERAL")[0]
    assert bot.kb._kb.ask(question).abstained
    assert "couldn't find" in post.params["text"]
    assert bot.ctx.settings.help_contact in post.params["text"]
    gaps = bot.store.gaps()
    assert [g.question for g in gaps] == [question] and gaps[0].unanswered == 1


def test_safety_net_reply_comes_before_any_search_result(bot):
    worry = "A child has just told me her stepdad hits her and she is scared to go home"
    assert is_immediate_concern(worry)
    bot.message(worry, channel="D0DM", ts="1700000800.000100", channel_type="im")
    wait_answers(bot.fake, channel="D0DM")
    posts = bot.fake.find("chat.postMessage", channel="D0DM")
    assert posts[0].params["blocks"][0]["block_id"] == "urgent"
    assert "999" in posts[0].params["text"] and "0300 123 4567" in posts[0].params["text"]
    assert any(b.get("block_id") == "answer_actions" for b in posts[1].params["blocks"])


def test_errors_are_reported_not_silent(bot, monkeypatch):
    from knowledge.errors import StoreUnavailable

    def broken(*args, **kwargs):
        raise StoreUnavailable("chroma down")

    monkeypatch.setattr(bot.kb._kb, "ask", broken)
    bot.mention(CHAIR_Q, ts="1700000900.000100")
    post = bot.fake.wait_for("chat.postMessage", channel="C0GENERAL")[0]
    assert "couldn't reach my document store" in post.params["text"]
    assert "chroma down" not in post.params["text"]  # internals stay in the logs
    bot.fake.wait_for("reactions.remove", timestamp="1700000900.000100")


def test_message_text_is_never_logged(bot, caplog):
    import logging

    caplog.set_level(logging.INFO)
    for name in ("bot", "knowledge"):
        caplog.set_level(logging.DEBUG, logger=name)
    secret_question = "Who chairs the partnership for zebrafinch purposes?"
    bot.mention(secret_question, ts="1700009000.000100")
    post = wait_answers(bot.fake, channel="C0GENERAL")[0]
    bot.click("answer_not_helpful", post.params["blocks"][-1]["elements"][1]["value"],
              thread_ts="1700009000.000100", name="log")
    bot.fake.wait_for("views.open", trigger_id="trig-log")
    assert "slack answered" in caplog.text and "slack rating" in caplog.text
    assert "zebrafinch" not in caplog.text


def test_answer_still_arrives_as_text_when_slack_rejects_the_blocks(bot):
    bot.fake.reject_blocks = True
    bot.mention(CHAIR_Q, ts="1700009100.000100")
    posts = bot.fake.wait_for("chat.postMessage", 2, channel="C0GENERAL")
    assert posts[0].params.get("blocks") and not posts[1].params.get("blocks")
    assert "Quillfeather" in posts[1].params["text"] and "Governance" in posts[1].params["text"]
