"""Fit the sentence-scoring model and its confidence calibration; write answer_model.json.

    .venv/bin/python bench/fit_answer_model.py --data-dir /tmp/sgbot-quality [--refresh]

A logistic regression over the candidate features (positive: the composed quote holds an
expected evidence substring), fitted on all pooled questions (partnership + dev + sample).
Monotonic Platt calibration (standardised score, its lead over the best different answer,
question-level coverage) and the abstention threshold are fitted on cross-validated scores from
leave-documents-out folds, so the probability means the same on documents the model never saw.
Needs scikit-learn (bench only; run time reads the JSON with numpy).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))

from answer_data import Item, Outcome, collect, groups, metrics, replay  # noqa: E402

from knowledge.answering.features import FEATURES  # noqa: E402
from knowledge.answering.model import (  # noqa: E402
    CONFIDENCE_INPUTS,
    CONFIDENCE_SIGNS,
    MODEL_PATH,
    AnswerModel,
)

#: L2 penalty per question on the standardised weights: ~110 questions, 22 features.
L2 = 0.1
#: L2 penalty of the calibrator per question on its standardised weights (5 inputs, ~140
#: questions): mild shrinkage.
CALIBRATION_L2 = 0.01
#: Floor on the calibrator's weight on the score, so confidence always rises with the score.
MIN_SCORE_WEIGHT = 1e-3
#: Outer folds (documents left out together); inner folds calibrate within a training fold.
OUTER_FOLDS, INNER_FOLDS = 5, 4
#: The threshold may abstain on at most this share of answerable questions beyond those
#: verification rejects (the target for false abstentions).
MAX_FALSE_ABSTENTION = 0.05
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.025), 3)


def fit_scorer(items: list[Item]) -> AnswerModel:
    """Conditional logit: per question, a softmax over its candidates, fitted to put the
    probability on the sentences holding the evidence (L2-regularised)."""
    rows = [i for i in items if i.labels.any()]
    x = np.vstack([i.candidates.matrix for i in rows]).astype(np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    blocks, start = [], 0
    for item in rows:
        n = len(item.labels)
        blocks.append((slice(start, start + n), item.labels))
        start += n
    xs = (x - mean) / scale

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = xs @ w
        total, grad = L2 * w @ w, 2 * L2 * w
        for span, labels in blocks:
            block, sb = xs[span], s[span]
            p_all = np.exp(sb - sb.max())
            z_all = p_all.sum()
            p_pos = np.where(labels, p_all, 0.0)
            z_pos = p_pos.sum()
            total += np.log(z_all) - np.log(z_pos)
            grad += block.T @ (p_all / z_all) - block.T @ (p_pos / z_pos)
        return total / len(blocks), grad / len(blocks)

    result = minimize(loss, np.zeros(xs.shape[1]), jac=True, method="L-BFGS-B")
    ranker = AnswerModel(FEATURES, mean, scale, result.x, 0.0)
    picked = [ranker.scores(o.item.candidates.matrix)[o.decision.best]
              for o in replay(items, ranker, 0.0) if o.decision.best is not None]
    return replace(ranker, score_mean=float(np.mean(picked)),
                   score_scale=float(np.std(picked)) or 1.0)


def chosen(items: list[Item], model: AnswerModel) -> tuple[np.ndarray, np.ndarray]:
    """Calibrator inputs for each question's chosen quote (nan: nothing verifiable to quote)
    and whether that quote is right. The quote is the one chosen before any gate (threshold,
    coverage floor): the calibrator learns how often the ranker's pick is right."""
    outcomes = replay(items, model, 0.0)
    inputs = np.full((len(items), len(CONFIDENCE_INPUTS)), np.nan)
    right = np.zeros(len(items), dtype=bool)
    for k, o in enumerate(outcomes):
        if o.decision.best is not None:
            found = o.item.candidates
            inputs[k] = model.inputs(model.scores(found.matrix), found, o.decision.best)
            right[k] = bool(o.item.labels[o.decision.best])
    return inputs, right


def fit_calibrator(inputs: np.ndarray, right: np.ndarray) -> dict:
    """Logistic regression of 'the quote is right' on the standardised calibrator inputs, each
    weight held to its sign in CONFIDENCE_SIGNS (monotonic: a higher score never lowers the
    confidence) and the score's weight at least MIN_SCORE_WEIGHT."""
    keep = ~np.isnan(inputs[:, 0])
    x, y = inputs[keep], right[keep].astype(np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    xs = np.c_[(x - mean) / scale, np.ones(len(x))]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = xs @ w
        p = 1.0 / (1.0 + np.exp(-z))
        penalty = CALIBRATION_L2 * w[:-1] @ w[:-1]
        value = np.mean(np.logaddexp(0.0, z) - y * z) + penalty
        grad = xs.T @ (p - y) / len(y)
        grad[:-1] += 2 * CALIBRATION_L2 * w[:-1]
        return float(value), grad

    bounds = [(MIN_SCORE_WEIGHT if k == 0 else 0.0, None) if sign > 0 else (None, 0.0)
              for k, sign in enumerate(CONFIDENCE_SIGNS)] + [(None, None)]
    start = np.r_[np.where(np.array(CONFIDENCE_SIGNS) > 0, 0.1, -0.1), 0.0]
    w = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds).x
    return {"calib_coef": w[:-1], "calib_intercept": float(w[-1]), "calib_mean": mean,
            "calib_scale": scale}


def trade_off(items: list[Item], probs: np.ndarray, right: np.ndarray, t: float) -> dict:
    """answer@1, false-abstention and unanswerable-abstention rates at threshold t."""
    answerable = np.array([not i.unanswerable for i in items])
    answered = probs >= t
    n = max(int(answerable.sum()), 1)
    u = max(int((~answerable).sum()), 1)
    return {"answer@1": float((answered & right & answerable).sum() / n),
            "false_abstention_rate": float((~answered & answerable).sum() / n),
            "abstention_rate_unanswerable": float((~answered & ~answerable).sum() / u)}


def threshold_for(items: list[Item], probs: np.ndarray, right: np.ndarray) -> float:
    """The threshold that abstains on the most unanswerable questions (then keeps the most
    right answers, then is the more cautious) while adding at most MAX_FALSE_ABSTENTION
    abstentions on answerable questions to those verification already makes."""
    floor = trade_off(items, probs, right, 1e-9)["false_abstention_rate"]

    def value(t: float) -> tuple:
        rates = trade_off(items, probs, right, t)
        allowed = rates["false_abstention_rate"] <= floor + MAX_FALSE_ABSTENTION
        return (allowed, rates["abstention_rate_unanswerable"] + rates["answer@1"], t)

    return float(max(THRESHOLDS, key=lambda t: value(float(t))))


def calibrated(items: list[Item], folds: int) -> AnswerModel:
    """Scorer fitted on `items`, calibrated and thresholded on their own cross-validated
    scores (never on their in-sample scores)."""
    scorer = fit_scorer(items)
    oof, right = cross_scores(items, folds)
    model = replace(scorer, **fit_calibrator(oof, right))
    probs = np.array([0.0 if np.isnan(row[0]) else model.probability(row) for row in oof])
    return replace(model, threshold=threshold_for(items, probs, right))


def cross_scores(items: list[Item], folds: int) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold raw scores of each question's chosen quote, folds grouped by document."""
    g = groups(items, folds)
    scores = np.full((len(items), len(CONFIDENCE_INPUTS)), np.nan)
    right = np.zeros(len(items), dtype=bool)
    for train, test in GroupKFold(n_splits=folds).split(np.zeros(len(items)), groups=g):
        scorer = fit_scorer([items[i] for i in train])
        s, r = chosen([items[i] for i in test], scorer)
        scores[test], right[test] = s, r
    return scores, right


def cross_validate(items: list[Item]) -> tuple[list[Outcome], np.ndarray]:
    """Leave-documents-out outcomes for every question: scorer, calibration and threshold all
    chosen on the other folds. Returns the outcomes and each one's confidence."""
    g = groups(items, OUTER_FOLDS)
    outcomes: list[Outcome | None] = [None] * len(items)
    for train, test in GroupKFold(n_splits=OUTER_FOLDS).split(np.zeros(len(items)), groups=g):
        model = calibrated([items[i] for i in train], INNER_FOLDS)
        for i, o in zip(test, replay([items[i] for i in test], model, model.threshold),
                        strict=True):
            outcomes[i] = o
    confidence = np.array([o.decision.confidence for o in outcomes])
    return outcomes, confidence


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/sgbot-quality"))
    parser.add_argument("--refresh", action="store_true", help="recompute cached candidates")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    items = collect(args.data_dir, refresh=args.refresh)
    outcomes, _ = cross_validate(items)
    cv = {}
    for name in sorted({i.set for i in items}):
        cv[name] = metrics([o for o in outcomes if o.item.set == name])
        print(f"CV {name}: {cv[name]}")
    model = calibrated(items, OUTER_FOLDS)
    model = replace(model, meta={"questions": len(items),
                                 "candidates": int(sum(len(i.labels) for i in items)),
                                 "l2": L2, "cross_validated": cv})
    model.save(args.out)
    weights = sorted(zip(FEATURES, model.coef, strict=True), key=lambda fw: -abs(fw[1]))
    print("weights:", ", ".join(f"{f} {w:+.2f}" for f, w in weights))
    print(f"calibration {dict(zip(CONFIDENCE_INPUTS, model.calib_coef.round(3), strict=True))}"
          f"; threshold "
          f"{model.threshold} (chosen on cross-validated confidence); wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
