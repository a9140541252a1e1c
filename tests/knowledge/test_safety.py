import pytest

from knowledge.safety import is_immediate_concern, urgent_message
from knowledge.settings import Settings


@pytest.mark.parametrize("text", [
    "A child told me her stepdad hits her",
    "I think a child is in danger now",
    "a pupil has disclosed abuse at home",
    "The baby is being hurt right now what do I do",
])
def test_immediate_concerns_are_recognised(text):
    assert is_immediate_concern(text)


@pytest.mark.parametrize("text", [
    "Who chairs the SPRG?",
    "What is the threshold for a child in need assessment?",
    "How many training courses ran last year?",
])
def test_policy_questions_are_not_flagged(text):
    assert not is_immediate_concern(text)


def test_urgent_message_uses_the_partnership_settings():
    settings = Settings.from_env({"SGBOT_FRONT_DOOR_NAME": "Front Door",
                                  "SGBOT_FRONT_DOOR_PHONE": "01632 960000"}, env_file=None)
    message = urgent_message(settings)
    assert "999" in message and "Front Door" in message and "01632 960000" in message
