"""Scenario tests: real Activity JSON posted to the running Teams app (auth off, loopback only),
replies recorded by a fake Bot Connector, feedback read back from the real store."""

from __future__ import annotations

import logging

import pytest

from bot.teams import cards
from knowledge.assistant import Assistant
from tests.teams.conftest import TENANT, card_action, card_of, card_text, message

ANSWERABLE = "How old was Baby K when she was taken to the emergency department?"
UNANSWERABLE = "what is the recipe for banana bread?"


@pytest.fixture
def teams_settings(sample_kb):
    return sample_kb.settings.with_overrides(teams_insecure_no_auth=True, host="127.0.0.1",
                                             front_door_phone="01632 960123")


@pytest.fixture
def services(teams_settings, sample_kb):
    services = Assistant(teams_settings, sample_kb)
    yield services
    if services._store is not None:
        services._store.close()


@pytest.fixture
def bot(start_bot, teams_settings, sample_kb, services):
    return start_bot(teams_settings, sample_kb, assistant=services)


def answer_id_of(call: dict) -> str:
    actions = card_of(call)["actions"]
    ids = {a["data"]["answer_id"] for a in actions}
    assert len(ids) == 1
    return ids.pop()


def test_question_gets_answer_card_with_native_citations(bot, connector, sample_kb, services):
    activity = message(ANSWERABLE, connector.url)
    status, _ = bot.post(activity)
    assert status == 200
    [reply] = connector.wait_messages(1)
    expected = sample_kb.ask(ANSWERABLE)
    assert not expected.abstained and expected.citations

    body = reply["body"]
    assert reply["conversation"] == activity["conversation"]["id"]
    assert body["replyToId"] == activity["id"]
    assert "nine weeks old" in body["text"]
    assert expected.answer in body["text"]
    # the quote is verbatim from the passage it cites
    lead = expected.citations[expected.answer_citation or 0]
    assert expected.answer in lead.text

    [entity] = [e for e in body["entities"] if e.get("citation")]
    assert entity["type"] == "https://schema.org/Message" and entity["@type"] == "Message"
    claims = entity["citation"]
    assert [c["position"] for c in claims] == list(range(1, len(expected.citations) + 1))
    for claim, citation in zip(claims, expected.citations, strict=True):
        appearance = claim["appearance"]
        assert appearance["name"] == citation.title[:80]
        assert appearance["abstract"].rstrip("…") in " ".join(citation.text.split())
        assert len(appearance["abstract"]) <= 160
        if citation.section:
            assert appearance["keywords"][0] == cards.trim(citation.section, 28)
        if citation.page is not None:
            assert f"p. {citation.page}" in appearance["keywords"]
        assert f"[{claim['position']}]" in body["text"]

    content = card_of(reply)
    text = card_text(content)
    for citation in expected.citations:
        assert citation.location in text
    verbs = [(a["type"], a["verb"], a["data"]["helpful"]) for a in content["actions"]]
    assert verbs == [("Action.Execute", cards.VERB_RATE, True),
                     ("Action.Execute", cards.VERB_RATE, False)]
    usage = services.store.usage()
    assert (usage.questions, usage.answered) == (1, 1)


def test_channel_mention_is_stripped_and_reply_threaded(bot, connector):
    activity = message("who chairs the SPRG?", connector.url, scope="channel", mention=True)
    assert bot.post(activity)[0] == 200
    [reply] = connector.wait_messages(1)
    assert reply["conversation"] == activity["conversation"]["id"]  # ";messageid=" thread
    assert reply["body"]["replyToId"] == activity["id"]
    assert "Brereton" in reply["body"]["text"]  # the mention did not spoil the question

    root = message("who chairs the SPRG?", connector.url, scope="channel", mention=True,
                   conversation="19:general@thread.tacv2")
    assert bot.post(root)[0] == 200
    replies = connector.wait_messages(2)
    assert replies[1]["conversation"] == f"19:general@thread.tacv2;messageid={root['id']}"


def test_same_activity_delivered_twice_is_answered_once(bot, connector):
    activity = message(ANSWERABLE, connector.url)
    assert bot.post(activity)[0] == 200
    assert bot.post(activity)[0] == 200
    connector.wait_messages(1)
    assert len(connector.messages()) == 1


def test_thumbs_up_and_down_are_stored(bot, connector, services):
    assert bot.post(message(ANSWERABLE, connector.url))[0] == 200
    answer_id = answer_id_of(connector.wait_messages(1)[0])

    status, body = bot.post(card_action({"sgbot": cards.VERB_RATE, "answer_id": answer_id,
                                         "helpful": True}, connector.url, aad="aad-pat"))
    assert status == 200 and body["statusCode"] == 200
    assert body["type"] == cards.CARD_CONTENT_TYPE
    assert "helpful" in card_text(body["value"])
    usage = services.store.usage()
    assert (usage.helpful, usage.not_helpful) == (1, 0)

    status, body = bot.post(card_action({"sgbot": cards.VERB_RATE, "answer_id": answer_id,
                                         "helpful": "false"}, connector.url, aad="aad-sam"))
    assert status == 200
    follow_up = body["value"]
    assert [a["verb"] for a in follow_up["actions"]] == [cards.VERB_COMMENT]
    usage = services.store.usage()
    assert (usage.helpful, usage.not_helpful) == (1, 1)
    [gap] = services.store.gaps()
    assert gap.not_helpful == 1 and "Baby K" in gap.question

    comment = "Out of date - ring Jane Smith on 07700 900123"
    status, body = bot.post(card_action({"sgbot": cards.VERB_COMMENT, "answer_id": answer_id,
                                         "comment": comment}, connector.url, aad="aad-sam"))
    assert status == 200 and "Thanks" in card_text(body["value"])
    [gap] = services.store.gaps()
    [stored] = gap.comments
    assert "07700 900123" not in stored and "[PHONE]" in stored
    assert services.store.usage().not_helpful == 1  # the note updated the 👎, not a new rating


def test_rating_an_unknown_answer_says_so(bot, connector, services):
    status, body = bot.post(card_action({"sgbot": cards.VERB_RATE, "answer_id": "nope",
                                         "helpful": True}, connector.url))
    assert status == 200
    assert "not saved" in card_text(body["value"])
    assert services.store.usage().helpful == 0


def test_feedback_card_submission_is_stored_redacted(bot, connector, services, teams_settings):
    assert bot.post(message("feedback", connector.url))[0] == 200
    form = card_of(connector.wait_messages(1)[0])
    inputs = {i["id"]: i for i in form["body"] if i["type"].startswith("Input.")}
    assert set(inputs) == {"kind", "theme", "agency", "locality", "text", "consent",
                           "may_contact"}
    assert inputs["text"]["maxLength"] == teams_settings.feedback_max_chars
    assert [c["value"] for c in inputs["theme"]["choices"]] == list(
        teams_settings.feedback_themes)
    assert [c["value"] for c in inputs["locality"]["choices"]] == list(teams_settings.localities)
    assert "case details" in card_text(form)
    [submit] = form["actions"]
    assert submit["verb"] == cards.VERB_FEEDBACK_SUBMIT

    text = ("Referrals bounce back too often. Call Jane Smith on 07700 900123 or email "
            "jane.smith@example.org for details.")
    data = {**submit["data"], "kind": "getting_in_the_way", "theme": "thresholds",
            "agency": "Health", "locality": teams_settings.localities[0], "text": text,
            "consent": "true", "may_contact": "false"}
    status, body = bot.post(card_action(data, connector.url))
    assert status == 200
    assert "recorded" in card_text(body["value"])
    [stored] = services.store.submissions()
    assert stored.channel == "teams" and stored.kind == "getting_in_the_way"
    assert stored.consent_to_quote is True and stored.may_contact is False
    for secret in ("07700 900123", "jane.smith@example.org", "Jane Smith"):
        assert secret not in stored.text
    assert "[PHONE]" in stored.text and "[EMAIL]" in stored.text
    assert stored.submitter and stored.submitter != "aad-pat"  # pseudonymised


def test_invalid_feedback_shows_the_error_and_keeps_the_answers(bot, connector, services):
    data = {"sgbot": cards.VERB_FEEDBACK_SUBMIT, "kind": "idea", "theme": "not a theme",
            "agency": "Police", "locality": "North", "text": "More joint training please",
            "consent": "false", "may_contact": "false"}
    status, body = bot.post(card_action(data, connector.url))
    assert status == 200
    form = body["value"]
    assert "not a theme" in card_text(form) and "⚠️" in card_text(form)
    agency = next(i for i in form["body"] if i.get("id") == "agency")
    assert agency["value"] == "Police"
    assert services.store.submissions() == []


def test_abstention_reply_and_gap_recorded(bot, connector, services, teams_settings):
    assert bot.post(message(UNANSWERABLE, connector.url))[0] == 200
    [reply] = connector.wait_messages(1)
    assert teams_settings.help_contact in reply["body"]["text"]
    assert "Not found" in card_text(card_of(reply))
    assert not any(e.get("citation") for e in reply["body"].get("entities") or [])
    [gap] = services.store.gaps()
    assert gap.unanswered == 1 and "banana bread" in gap.question


def test_safety_net_reply_comes_first(bot, connector, teams_settings):
    concern = "a child told me she is being hurt at home"
    assert bot.post(message(concern, connector.url))[0] == 200
    first, second = connector.wait_messages(2)
    assert teams_settings.emergency_number in first["body"]["text"]
    assert teams_settings.front_door_phone in first["body"]["text"]
    assert not first["body"].get("attachments")
    assert second["body"]["attachments"]  # the (card) answer follows the urgent routes
    assert first["body"]["replyToId"] == second["body"]["replyToId"]


def test_tenant_outside_allowlist_is_refused(start_bot, connector, teams_settings, sample_kb,
                                             services):
    settings = teams_settings.with_overrides(allowed_tenants=("tenant-other",))
    bot = start_bot(settings, sample_kb, assistant=services)
    assert bot.post(message(ANSWERABLE, connector.url, tenant=TENANT))[0] == 200
    [reply] = connector.wait_messages(1)
    assert "isn't enabled for your organisation" in reply["body"]["text"]
    assert not reply["body"].get("attachments")
    assert services.store.usage().questions == 0

    assert bot.post(message(ANSWERABLE, connector.url, tenant="tenant-other"))[0] == 200
    assert "nine weeks" in connector.wait_messages(2)[1]["body"]["text"]


def test_the_app_tenant_alone_limits_who_may_use_the_bot(start_bot, connector, teams_settings,
                                                          sample_kb):
    """With only TEAMS_TENANT_ID set, another organisation's users are refused."""
    bot = start_bot(teams_settings.with_overrides(teams_tenant_id="tenant-home"), sample_kb)
    assert bot.post(message(ANSWERABLE, connector.url, tenant=TENANT))[0] == 200
    assert "isn't enabled" in connector.wait_messages(1)[0]["body"]["text"]
    assert bot.post(message(ANSWERABLE, connector.url, tenant="tenant-home"))[0] == 200
    assert "nine weeks" in connector.wait_messages(2)[1]["body"]["text"]


def test_help_and_admin_only_stats(start_bot, connector, teams_settings, sample_kb):
    settings = teams_settings.with_overrides(admin_users=("aad-admin",))
    bot = start_bot(settings, sample_kb)
    assert bot.post(message("help", connector.url))[0] == 200
    help_text = card_text(card_of(connector.wait_messages(1)[0]))
    assert "learning THEME" in help_text and "stats" not in help_text

    assert bot.post(message("stats", connector.url))[0] == 200
    assert "Only partnership admins" in connector.wait_messages(2)[1]["body"]["text"]

    assert bot.post(message(UNANSWERABLE, connector.url, aad="aad-admin"))[0] == 200
    connector.wait_messages(3)
    assert bot.post(message("stats", connector.url, aad="aad-admin"))[0] == 200
    stats = card_text(card_of(connector.wait_messages(4)[3]))
    assert "Questions asked 1" in stats and "Knowledge gaps 1" in stats


def test_healthz(bot):
    status, body = bot.get("/healthz")
    assert status == 200
    assert body["status"] in {"ok", "degraded"}


def test_logs_never_contain_message_text(bot, connector, caplog):
    secret = "who chairs the SPRG on behalf of zebracorn?"
    with caplog.at_level(logging.DEBUG):
        assert bot.post(message(secret, connector.url))[0] == 200
        connector.wait_messages(1)
    assert "teams message activity=" in caplog.text
    assert "zebracorn" not in caplog.text


@pytest.mark.parametrize("theme", ["protecting babies", "zebracorn astrophysics"])
def test_learning_command_renders_the_summary(bot, connector, sample_kb, theme):
    from knowledge.learning import LearningSummariser

    expected = LearningSummariser(sample_kb).summarise(theme)
    assert bot.post(message(f"learning {theme}", connector.url))[0] == 200
    [reply] = connector.wait_messages(1)
    if not expected.points:
        assert reply["body"]["text"] == expected.message
        assert expected.thin
        return
    text = card_text(card_of(reply))
    assert f"Key learning: {theme}" in text
    for point in expected.points:
        assert point.citation.location in text
    numbered = [line for line in text.splitlines() if line.startswith("**")]
    assert len(numbered) == len(expected.points)
    for line, point in zip(numbered, expected.points, strict=True):
        assert " ".join(point.text.split())[:60] in line


def test_action_submit_fallback_from_older_clients(bot, connector, services):
    assert bot.post(message(ANSWERABLE, connector.url))[0] == 200
    [answer] = connector.wait_messages(1)
    thumbs_up = card_of(answer)["actions"][0]
    assert thumbs_up["fallback"]["type"] == "Action.Submit"
    submit = message("", connector.url, value=thumbs_up["fallback"]["data"])
    assert bot.post(submit)[0] == 200
    thanks = connector.wait_messages(2)[1]
    assert "helpful" in card_text(card_of(thanks))
    assert thanks["body"]["replyToId"] == submit["id"]
    assert services.store.usage().helpful == 1


def test_installing_the_app_sends_the_help_card(bot, connector):
    install = {
        "type": "installationUpdate", "action": "add", "id": "install-1",
        "timestamp": "2025-06-01T08:00:00.000Z", "serviceUrl": connector.url,
        "channelId": "msteams", "from": {"id": "29:user-pat", "aadObjectId": "aad-pat"},
        "conversation": {"conversationType": "personal", "tenantId": TENANT,
                         "id": "a:1personal-29:user-pat"},
        "recipient": {"id": "28:sgbot-test", "name": "sgbot"},
        "channelData": {"tenant": {"id": TENANT}},
    }
    assert bot.post(install)[0] == 200
    [welcome] = connector.wait_messages(1)
    assert "learning THEME" in card_text(card_of(welcome))
