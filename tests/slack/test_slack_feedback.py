"""Ratings, the frontline-feedback modal and shortcut, /feedback-report, /learning, App Home."""

from __future__ import annotations

import io
import json

import docx
import pytest

from bot.slack.surfaces import FEEDBACK_CALLBACK, NOT_HELPFUL_CALLBACK
from tests.slack.harness import ADMIN, USER, all_text, wait_answers

CHAIR_Q = "Who chairs the partnership?"


def _answer_id(bot, channel="C0GENERAL", ts="1700001000.000100", question=CHAIR_Q) -> str:
    bot.mention(question, channel=channel, ts=ts)
    post = wait_answers(bot.fake, channel=channel)[-1]
    actions = [b for b in post.params["blocks"] if b["type"] == "actions"][0]["elements"]
    return actions[0]["value"]


def test_helpful_click_is_stored_and_acknowledged(bot):
    answer_id = _answer_id(bot)
    bot.click("answer_helpful", answer_id, thread_ts="1700001000.000100")
    thanks = bot.fake.wait_for("chat.postEphemeral", user=USER)[0]
    assert "helpful" in thanks.params["text"]
    assert thanks.params["thread_ts"] == "1700001000.000100"
    usage = bot.store.usage()
    assert (usage.helpful, usage.not_helpful) == (1, 0)


def test_not_helpful_is_stored_opens_modal_and_keeps_the_comment(bot):
    answer_id = _answer_id(bot)
    bot.click("answer_not_helpful", answer_id, thread_ts="1700001000.000100", name="down")
    opened = bot.fake.wait_for("views.open", trigger_id="trig-down")[0]
    view = opened.params["view"]
    assert view["callback_id"] == NOT_HELPFUL_CALLBACK
    assert bot.store.usage().not_helpful == 1  # recorded at the click, before any comment
    gaps = bot.store.gaps()
    assert gaps[0].question == CHAIR_Q and gaps[0].not_helpful == 1

    response = bot.submit(view, {"comment": {"value": {"type": "plain_text_input",
                                                       "value": "It quoted last year's chair, "
                                                                "call me on 07700 900123"}}})
    assert response.status == 200 and response.body == ""  # modal closes
    thanks = bot.fake.wait_for("chat.postEphemeral", user=USER)[0]
    assert "not helpful" in thanks.params["text"]
    gap = bot.store.gaps()[0]
    assert gap.not_helpful == 1  # the comment replaced the rating, it did not add one
    assert "last year's chair" in gap.comments[0] and "07700 900123" not in gap.comments[0]


def _values(**fields) -> dict:
    values = {
        "kind": {"value": {"type": "radio_buttons",
                           "selected_option": {"value": fields.get("kind", "getting_in_the_way")}}},
        "theme": {"value": {"type": "static_select",
                            "selected_option": {"value": fields.get("theme", "neglect")}}},
        "agency": {"value": {"type": "plain_text_input", "value": fields.get("agency", "Health")}},
        "locality": {"value": {"type": "static_select",
                               "selected_option": {"value": fields.get("locality", "North")}}},
        "text": {"value": {"type": "plain_text_input", "value": fields.get("text")}},
        "consent": {"value": {"type": "checkboxes",
                              "selected_options": [{"value": "yes"}] if fields.get("consent")
                              else []}},
        "contact": {"value": {"type": "checkboxes", "selected_options": []}},
    }
    return values


def test_feedback_command_modal_stores_redacted_submission(bot):
    bot.command("/feedback", name="fb")
    view = bot.fake.wait_for("views.open", trigger_id="trig-fb")[0].params["view"]
    assert view["callback_id"] == FEEDBACK_CALLBACK
    assert "don't include case details" in all_text(view["blocks"])
    text_block = [b for b in view["blocks"] if b.get("block_id") == "text"][0]
    assert text_block["element"]["max_length"] == bot.ctx.settings.feedback_max_chars
    kinds = [o["value"] for o in [b for b in view["blocks"] if b.get("block_id") == "kind"][0]
             ["element"]["options"]]
    assert kinds == ["working_well", "getting_in_the_way", "idea"]

    text = ("Waiting lists for the health visiting service delay neglect assessments. "
            "Ring Sarah on 07700 900456 or email sarah.jones@example.org for details.")
    response = bot.submit(view, _values(text=text, consent=True))
    assert json.loads(response.body)["response_action"] == "update"
    [stored] = bot.store.submissions()
    assert stored.kind == "getting_in_the_way" and stored.theme == "neglect"
    assert stored.consent_to_quote and not stored.may_contact
    assert "07700 900456" not in stored.text and "sarah.jones@example.org" not in stored.text
    assert "[PHONE]" in stored.text and "[EMAIL]" in stored.text
    assert stored.submitter != USER  # pseudonymised: they did not ask to be contacted
    assert stored.channel == "slack"


def test_feedback_modal_shows_store_errors_instead_of_dropping(bot):
    bot.command("/feedback", name="fb")
    view = bot.fake.wait_for("views.open", trigger_id="trig-fb")[0].params["view"]
    response = bot.submit(view, _values(text="Useful training on thresholds", agency="  "))
    body = json.loads(response.body)
    assert body["response_action"] == "errors" and "agency" in body["errors"]
    assert bot.store.submissions() == []


def test_message_shortcut_prefills_the_feedback_modal(bot):
    bot.interactive({"type": "message_action", "callback_id": "send_as_feedback",
                     "trigger_id": "trig-sc", "user": {"id": USER},
                     "channel": {"id": "C0GENERAL"},
                     "response_url": bot.fake.response_url("sc"),
                     "message": {"type": "message", "ts": "1700001100.000100",
                                 "text": "Strategy meetings &amp; core groups clash every week"}})
    view = bot.fake.wait_for("views.open", trigger_id="trig-sc")[0].params["view"]
    text_block = [b for b in view["blocks"] if b.get("block_id") == "text"][0]
    assert text_block["element"]["initial_value"] == ("Strategy meetings & core groups clash "
                                                      "every week")


def test_feedback_report_refuses_non_admins(bot):
    refused = bot.command("/feedback-report", user=USER, name="rep-user")
    assert "only for the partnership's admins" in refused.body
    bot.command("/ask", "sentinel question", name="sentinel")
    bot.fake.wait_for("respond")  # the sentinel was answered; no report work was started
    assert not bot.fake.find("conversations.open") and not bot.fake.find("upload")


@pytest.mark.slow  # builds the DOCX digest with matplotlib charts (~5 s)
def test_feedback_report_is_sent_to_the_requesting_admin(bot):
    bot.submit({"type": "modal", "callback_id": FEEDBACK_CALLBACK, "private_metadata": "{}"},
               _values(text="Multi-agency training on neglect was excellent", consent=True,
                       kind="working_well"))
    accepted = bot.command("/feedback-report", user=ADMIN, name="rep-admin")
    assert "Preparing" in accepted.body
    upload = bot.fake.wait_for("upload", timeout=60)[0]
    bot.fake.wait_for("files.completeUploadExternal", timeout=30)
    assert bot.fake.find("conversations.open")[0].params["users"] == ADMIN
    document = docx.Document(io.BytesIO(upload.data))
    assert "Multi-agency training on neglect was excellent" in "\n".join(
        p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells)


def test_learning_command_shows_points_and_sends_docx(bot):
    response = bot.command("/learning", "neglect", name="learn")
    assert response.status == 200
    reply = [c for c in _wait_calls(bot, "respond") if c.path == "/respond/learn"][0]
    text = all_text(reply.params["blocks"])
    assert "neglect" in text.lower() and "Hollowmere Threshold Guidance" in text
    button = [b for b in reply.params["blocks"] if b["type"] == "actions"][0]["elements"][0]
    assert button["action_id"] == "learning_docx"
    bot.click("learning_docx", button["value"], ephemeral=True, name="docx")
    upload = bot.fake.wait_for("upload", timeout=30)[0]
    assert upload.data[:2] == b"PK"  # a DOCX (zip) file
    bot.fake.wait_for("files.completeUploadExternal")


def _wait_calls(bot, method):
    return bot.fake.wait_for(method)


def test_app_home_lists_documents_and_admin_counts(bot):
    _answer_id(bot)
    bot.event({"type": "app_home_opened", "user": ADMIN, "channel": "D0HOME", "tab": "home"})
    view = bot.fake.wait_for("views.publish", user_id=ADMIN)[0].params["view"]
    text = all_text(view["blocks"])
    for doc in bot.kb.documents():
        assert doc.title in text and doc.year in text
    assert "Questions asked: *1*" in text and "Knowledge gaps" in text

    bot.event({"type": "app_home_opened", "user": USER, "channel": "D0HOME2", "tab": "home"})
    user_view = bot.fake.wait_for("views.publish", user_id=USER)[0].params["view"]
    assert "Questions asked" not in all_text(user_view["blocks"])
    assert "Example questions" in all_text(user_view["blocks"])
