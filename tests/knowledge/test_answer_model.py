"""Verification, completion, features and the fitted answer model (fake embedder, no I/O)."""

import json

import numpy as np
import pytest

from knowledge.answering.answerer import ExtractiveAnswerer, decide
from knowledge.answering.complete import Unit, compose, passage_units
from knowledge.answering.features import FEATURES, Candidates, TermWeights, build_candidates
from knowledge.answering.model import (
    CONFIDENCE_INPUTS,
    LONE_MARGIN,
    AnswerModel,
    confidence_inputs,
    load_model,
)
from knowledge.answering.question import (
    QuestionShape,
    count_attached,
    holds_asked_role,
    question_type,
)
from knowledge.answering.verify import heading_like, key_entities, verify
from knowledge.errors import ModelError
from knowledge.search.embedder import make_embedder
from knowledge.types import Passage, ScoredPassage


def scored(text, section="Groups", title="Wyvernshire MASA plan", score=1.0, n=0):
    passage = Passage(f"p{n}", "d1", text, n, section=section, page=1, title=title,
                      partnership="Wyvernshire Safeguarding Children Partnership")
    return ScoredPassage(passage, score)


def check(question, answer, context="Groups Wyvernshire MASA plan"):
    shape = QuestionShape.of(question)
    return verify(answer, answer, context, key_entities(question), shape, question,
                  section="Groups", title="Wyvernshire MASA plan")


def test_verification_rejects_a_sentence_about_another_group():
    question = "Who chairs the health representative group?"
    other = check(question, "The education representative group is chaired by Priya Malhotra.")
    assert not other.ok and other.reason == "other entity"
    assert check(question, "The health representative group is chaired by Tom Okafor.").ok


def test_verification_accepts_the_acronym_and_rejects_a_look_alike():
    synonyms = {"SPRG": ["Safeguarding Practice Review Group"]}
    question = "Who chairs the SPRG?"
    entities = key_entities(question, synonyms)
    shape = QuestionShape.of(question)
    spelled = "The Safeguarding Practice Review Group is chaired by Alan Brereton."
    assert verify(spelled, spelled, "", entities, shape, question).ok
    look_alike = "The SCRG is chaired by Dana Whitfield."
    assert not verify(look_alike, look_alike, "", entities, shape, question).ok


def test_verification_needs_the_answer_type():
    assert not check("How often does the executive meet?", "The executive sets the budget.").ok
    assert check("How often does the executive meet?", "The executive meets every six weeks.").ok
    assert not check("How many audits were completed?", "7.2 Audits in 2024/25 went well.").ok
    assert not check("What number do I call out of hours?", "Call the duty team.").ok


def test_a_title_or_heading_is_never_the_answer():
    assert heading_like("Wyvernshire Safeguarding Children Partnership Annual Report")
    assert not heading_like("The partnership meets every six weeks.")
    verdict = verify("Groups", "Groups", "", [], QuestionShape.of("What groups are there?"),
                     "What groups are there?", section="Groups", title="Plan")
    assert not verdict.ok and verdict.reason == "furniture"


def test_a_list_introduction_is_quoted_with_its_items_and_never_stops_at_a_colon():
    text = ("The partnership set three priorities for 2025:\nNeglect\nExploitation\n"
            "Transitions to adulthood\nProgress is reviewed yearly.")
    units = passage_units(text)
    shape = QuestionShape.of("What are the priorities?")
    quote = compose(units, units[0], shape, "What are the priorities?", 600)
    assert quote.splitlines() == ["The partnership set three priorities for 2025:", "Neglect",
                                  "Exploitation", "Transitions to adulthood"]
    alone = passage_units("The priorities are:")
    stuck = compose(alone, alone[0], shape, "What are the priorities?", 600)
    assert not verify(stuck, alone[0].text, "", [], shape, "What are the priorities?").ok


def test_a_pronoun_sentence_comes_with_its_antecedent_and_a_timescale_with_its_sentence():
    units = passage_units("The Learning Group reviews audits. It meets every six weeks.")
    shape = QuestionShape.of("How often does the Learning Group meet?")
    quote = compose(units, units[1], shape, "How often does the Learning Group meet?", 600)
    assert quote == "The Learning Group reviews audits. It meets every six weeks."
    units = passage_units("Agencies send a chronology to the review panel when asked by the "
                          "business unit. This is due within ten working days.")
    question = "How long do agencies have to send a chronology?"
    quote = compose(units, units[0], QuestionShape.of(question), question, 600)
    assert "ten working days" in quote


def model_with(score_weight=1.0):
    n = len(FEATURES)
    coef = np.zeros(n)
    coef[FEATURES.index("coverage")] = 2.0
    calib = np.zeros(len(CONFIDENCE_INPUTS))
    calib[0] = score_weight
    return AnswerModel(FEATURES, np.zeros(n), np.ones(n), coef, 0.0, calib, -1.0, 0.4)


def candidates_of(texts, matrix):
    units = [Unit(k, k, 0, text) for k, text in enumerate(texts)]
    return Candidates(units, matrix, list(texts), np.ones(len(texts), bool), len(texts))


def test_the_margin_is_over_different_answers_not_the_same_sentence_quoted_again():
    chair = "The review group is chaired by Dana Whitfield."
    texts = [chair, chair, f"The review group meets monthly. {chair}", "The board meets yearly."]
    matrix = np.zeros((4, len(FEATURES)))
    scores = np.array([7.0, 6.9, 6.5, 2.0])
    found = candidates_of(texts, matrix)
    assert confidence_inputs(scores, found, 0)[1] == pytest.approx(5.0)
    alone = candidates_of(texts[:3], matrix[:3])
    assert confidence_inputs(scores[:3], alone, 0)[1] == LONE_MARGIN


def test_confidence_is_a_probability_and_rises_with_the_model_score():
    model = model_with()
    matrix = np.zeros((5, len(FEATURES)))
    matrix[:, FEATURES.index("coverage")] = [0.0, 0.2, 0.5, 0.8, 1.0]
    scores = model.scores(matrix)
    found = candidates_of([f"Sentence number {k}." for k in range(5)], matrix)
    confidences = [model.confidence(scores, found, row) for row in range(5)]
    assert all(0.0 <= c <= 1.0 for c in confidences)
    big = [model.probability(np.r_[s, np.zeros(len(CONFIDENCE_INPUTS) - 1)])
           for s in (-50, -1, 0, 1, 50)]
    assert big == sorted(big) and 0.0 <= big[0] and big[-1] <= 1.0
    with pytest.raises(ModelError):
        model_with(score_weight=-1.0)
    backwards = model_with().calib_coef.copy()
    backwards[CONFIDENCE_INPUTS.index("coverage")] = -0.5  # more coverage, less confidence
    with pytest.raises(ModelError):
        AnswerModel(FEATURES, model.mean, model.scale, model.coef, 0.0, backwards)


def test_the_shipped_model_loads_and_round_trips(tmp_path):
    model = load_model()
    path = tmp_path / "m.json"
    model.save(path)
    again = AnswerModel.from_dict(json.loads(path.read_text()))
    assert np.allclose(again.coef, model.coef) and again.threshold == model.threshold
    broken = dict(model.to_dict(), features=["dense"])
    with pytest.raises(ModelError):
        AnswerModel.from_dict(broken)


def test_the_answerer_skips_an_unverified_best_sentence(settings):
    retrieved = [scored("The education representative group is chaired by Priya Malhotra. "
                        "The health representative group is chaired by Tom Okafor.")]
    question = "Who chairs the health representative group?"
    embedder = make_embedder(settings)
    answerer = ExtractiveAnswerer(embedder, min_confidence=0.0,
                                  model=model_with())
    found = answerer.candidates(question, retrieved, query_vector=embedder.embed_query(question),
                                weights=TermWeights({}, 10))
    assert found.matrix.shape == (2, len(FEATURES))
    assert list(found.verified) == [False, True]
    decision = decide(found, answerer.model, 0.0)
    assert found.composed[decision.row].endswith("Tom Okafor.")


def test_candidates_are_featurised_without_embedding_the_rest():
    retrieved = [scored("Alpha sentence one. Alpha sentence two.", n=i) for i in range(6)]
    seen = []

    def dense(texts):
        seen.extend(texts)
        return np.zeros(len(texts))

    found = build_candidates("What is alpha?", retrieved, weights=TermWeights({}, 10),
                             synonyms={}, max_chars=600, dense_fn=dense, dense_passages=2,
                             max_dense_units=5)
    assert len(found.units) == 12 and len(seen) == 5
    assert found.matrix[:, FEATURES.index("embedded")].sum() == 5


@pytest.mark.parametrize(("question", "kind"), [
    ("Who chairs the SPRG?", "who"), ("How often does the board meet?", "how often"),
    ("How many courses ran?", "how many"), ("What number do I ring out of hours?", "phone"),
    ("What does WSCP stand for?", "acronym"), ("What are the partnership's priorities?", "list"),
    ("What should I do if a baby has a bruise?", "procedure"),
    ("When was the plan published?", "when"),
])
def test_question_types(question, kind):
    assert question_type(question) == kind


def test_the_default_threshold_is_the_one_chosen_on_cross_validation():
    """Written once, in the model file: the setting only overrides it."""
    from knowledge.answering.answerer import ExtractiveAnswerer
    from knowledge.search.embedder import FakeEmbedder
    from knowledge.settings import Settings

    assert Settings.from_env({}, env_file=None).min_confidence is None
    assert ExtractiveAnswerer(FakeEmbedder()).min_confidence == load_model().threshold
    assert ExtractiveAnswerer(FakeEmbedder(), min_confidence=0.9).min_confidence == 0.9


@pytest.mark.parametrize(("sentence", "holds"), [
    ("The review group is chaired by Dana Whitfield of the county police.", True),
    ("Our Independent Scrutineer is Marcus Fenwick, appointed in 2024.", True),
    ("We welcomed Marcus Fenwick as our Independent Scrutineer.", True),
    ("Chair: Dana Whitfield", True),
    ("The review group considers notifications and recommends local reviews.", False),
    ("The Independent Scrutineer will:\nattend the Executive and meet the Lead Partners", False),
    ("The chairs of each group report to the board.", False),
])
def test_a_who_answer_names_the_holder_of_the_asked_role(sentence, holds):
    question = ("Who is the Independent Scrutineer?" if "Scrutineer" in sentence
                else "Who chairs the review group?")
    assert holds_asked_role(sentence, question) is holds


def test_who_chairs_prefers_the_chair_sentence_to_the_group_description(settings):
    retrieved = [scored("The Case Review Group (CRG) considers serious incident notifications, "
                        "carries out rapid reviews within 15 working days and recommends local "
                        "reviews to the Executive. The CRG is chaired by Dana Whitfield of "
                        "Wyvernshire Constabulary. It meets monthly.")]
    question = "Who chairs the Case Review Group?"
    embedder = make_embedder(settings)
    answerer = ExtractiveAnswerer(embedder, min_confidence=0.0)
    found = answerer.candidates(question, retrieved, query_vector=embedder.embed_query(question),
                                weights=TermWeights({}, 10),
                                synonyms={"CRG": ["Case Review Group"]})
    holder = found.matrix[:, FEATURES.index("role_holder")]
    assert list(holder[:2]) == [0.0, 1.0]
    decision = decide(found, answerer.model, 0.0)
    assert found.composed[decision.row].startswith("The CRG is chaired by Dana Whitfield")


@pytest.mark.parametrize("sentence, attached", [
    ("The hub will decide within one working day and reply within three working days.", False),
    ("In the year the hub received 1,204 referrals from schools and health.", True),
    ("212 referrals came from schools.", True),
    ("The hub received 4,100 contacts, mostly by phone.", False),
    ("Undertakes around 90 social work assessments a month.", False),
])
def test_a_count_must_count_what_the_question_counts(sentence, attached):
    question = "How many referrals did the Wyvernshire hub receive?"
    if "social" in sentence:
        question = "How many agency social workers does the council employ?"
    assert count_attached(sentence, question) is attached


def test_a_quote_sharing_no_question_term_is_not_quoted():
    matrix = np.zeros((2, len(FEATURES)))
    matrix[:, FEATURES.index("coverage")] = [0.0, 0.0]
    found = candidates_of(["The board meets yearly.", "The group meets monthly."], matrix)
    decision = decide(found, model_with(), 0.0)
    assert decision.row is None and decision.best is not None
    matrix[1, FEATURES.index("coverage")] = 0.6
    assert decide(found, model_with(), 0.0).row == 1


def test_an_acronym_a_retrieved_passage_spells_out_is_not_an_unknown_name():
    from knowledge.answering.features import missing_terms

    weights = TermWeights({"rcpc": 0}, 10)
    question = "When is the plan updated before the RCPC in Northshire?"
    spelled = ["It is updated before each review child protection conference."]
    assert missing_terms(question, weights, spelled) == (0, 0)
    assert missing_terms(question, weights, ["It is updated before each conference."]) == (1, 0)
