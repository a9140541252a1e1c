"""Training examples for the relevance fine-tune (bench/finetune_relevance.py): what counts as
a positive, which wrong sentences are the hard negatives, and the text each one is read as."""

from __future__ import annotations

import numpy as np

from knowledge.answering.complete import passage_units
from knowledge.answering.features import FEATURES, Candidates
from tests.conftest import load_bench_module

BENCH = load_bench_module("finetune_relevance.py")
DENSE = FEATURES.index("dense")


def _item(passages: list[str], dense: list[float], right: list[bool], *,
          unanswerable: bool = False):
    units = [u for index, text in enumerate(passages) for u in passage_units(text, index)]
    matrix = np.zeros((len(units), len(FEATURES)), dtype=np.float32)
    matrix[:, DENSE] = dense
    found = Candidates(units, matrix, [u.text for u in units], np.ones(len(units), bool),
                       len(passages))
    return BENCH.Item("training", "t1", "Who chairs the group?", "doc.pdf", "who",
                      unanswerable, found, np.array(right), np.zeros(len(passages), bool), 0.0)


def test_a_sentence_opening_with_a_pronoun_is_read_with_the_one_before():
    item = _item(["The group meets monthly. It is chaired by the head of service."],
                 [0.1, 0.2], [False, True])
    assert BENCH.unit_texts(item.candidates) == [
        "The group meets monthly.",
        "The group meets monthly. It is chaired by the head of service."]


def test_hard_negatives_are_the_most_similar_wrong_sentences_never_a_positive():
    passages = ["Alpha chairs the group.", "Beta attends.", "Gamma attends.",
                "Alpha chairs the group."]  # the right sentence again, in another passage
    item = _item(passages, [0.5, 0.2, 0.9, 0.8], [True, False, False, False])
    (example,) = BENCH.examples([item])
    assert example.positives == ("Alpha chairs the group.",)
    assert example.negatives == ("Gamma attends.", "Beta attends.")


def test_negatives_are_capped_and_unanswerable_or_unlabelled_questions_give_none():
    many = [f"Sentence number {k} here." for k in range(BENCH.NEGATIVES + 3)]
    item = _item(many, list(range(len(many))), [True] + [False] * (len(many) - 1))
    assert len(BENCH.examples([item])[0].negatives) == BENCH.NEGATIVES
    assert BENCH.examples([_item(many[:2], [0.1, 0.2], [False, False])]) == []
    assert BENCH.examples([_item(many[:2], [0.1, 0.2], [True, False],
                                 unanswerable=True)]) == []
