"""The fitted sentence-scoring model and its confidence calibration, read from a small JSON file.

`answer_model.json` (written by `bench/fit_answer_model.py`) holds a conditional-logit ranker
over the features of `knowledge.answering.features` (standardised), plus a logistic calibrator
mapping the chosen sentence's standardised score, its lead over the best different answer and a
few question-level inputs to the probability that the quote is right (monotonic in each). That
probability is fitted on cross-validated scores, so a threshold such as `SGBOT_MIN_CONFIDENCE`
means the same share of right quotes on a corpus the model never saw. Run time needs numpy only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from knowledge.answering.features import FEATURES
from knowledge.errors import ModelError

MODEL_PATH = Path(__file__).with_name("answer_model.json")
MODEL_VERSION = 3
#: What the confidence is computed from: the chosen sentence's score and its lead over the best
#: *different* answer (both standardised by the spread of the ranker's chosen scores, so one
#: calibration fits any refit ranker), and question-level evidence the ranking cannot see (a
#: ranking is unchanged by anything shared by all candidates, such as how well the best
#: sentence covers the question at all).
CONFIDENCE_INPUTS = ("score", "margin", "dense", "coverage", "missing_idf")
#: The direction each input may move the confidence (monotonic calibration): more score, lead,
#: similarity or coverage never lowers it; a missing rare question term never raises it.
CONFIDENCE_SIGNS = (1, 1, 1, 1, -1)
#: Margin when no different answer competes (a lead of this many standard deviations).
LONE_MARGIN = 3.0
_COLUMN = {name: i for i, name in enumerate(FEATURES)}


def same_answer(candidates, a: int, b: int) -> bool:
    """Two candidate rows quote the same thing: the same text, or one's sentence inside the
    other's quote (a sentence composed again with its neighbour, or from another passage)."""
    units, composed = candidates.units, candidates.composed
    return (composed[a] == composed[b] or units[a].text == units[b].text
            or units[a].text in composed[b] or units[b].text in composed[a])


def confidence_inputs(scores: np.ndarray, candidates, row: int,
                      score_mean: float = 0.0, score_scale: float = 1.0) -> np.ndarray:
    """The calibrator's inputs for quoting candidate `row`; the margin is taken over candidates
    quoting something else (duplicates of the same sentence score nearly the same and would
    make every repeated answer look uncertain)."""
    others = [j for j in range(len(scores)) if j != row and not same_answer(candidates, row, j)]
    margin = (float(scores[row] - scores[others].max()) / score_scale if others
              else LONE_MARGIN)
    values = [(float(scores[row]) - score_mean) / score_scale, margin]
    values += [float(candidates.matrix[row, _COLUMN[name]]) for name in CONFIDENCE_INPUTS[2:]]
    return np.asarray(values)


@dataclass(frozen=True)
class AnswerModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    #: calibrator weights on the standardised inputs ((input - calib_mean) / calib_scale)
    calib_coef: np.ndarray = field(default_factory=lambda: _default_calibration())
    calib_intercept: float = 0.0
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)
    #: location and spread of the ranker's score for the sentence it picks, on its training
    #: questions: the score and margin reach the calibrator in these units
    score_mean: float = 0.0
    score_scale: float = 1.0
    calib_mean: np.ndarray = field(default_factory=lambda: np.zeros(len(CONFIDENCE_INPUTS)))
    calib_scale: np.ndarray = field(default_factory=lambda: np.ones(len(CONFIDENCE_INPUTS)))

    def __post_init__(self) -> None:
        if tuple(self.features) != FEATURES:
            raise ModelError("answer model features do not match this code "
                             f"({len(self.features)} vs {len(FEATURES)}); refit it with "
                             "bench/fit_answer_model.py")
        n = len(CONFIDENCE_INPUTS)
        if len(self.calib_coef) != n or len(self.calib_mean) != n or len(self.calib_scale) != n:
            raise ModelError("answer model calibration needs one weight per input")
        if self.calib_coef[0] <= 0 or self.score_scale <= 0 or (self.calib_scale <= 0).any():
            raise ModelError("answer model calibration needs a positive weight on the score "
                             "and positive scales")
        if any(w * sign < 0 for w, sign in zip(self.calib_coef, CONFIDENCE_SIGNS, strict=True)):
            raise ModelError("answer model calibration is not monotonic in its inputs")

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        """One raw score (log-odds) per candidate row."""
        if len(matrix) == 0:
            return np.zeros(0)
        return ((matrix - self.mean) / self.scale) @ self.coef + self.intercept

    def probability(self, inputs: np.ndarray) -> float:
        """Calibrated probability that the quote is right (logistic over the standardised
        `CONFIDENCE_INPUTS`, fitted on cross-validated scores); increasing in the score."""
        z = (np.asarray(inputs, dtype=np.float64) - self.calib_mean) / self.calib_scale
        z = float(z @ self.calib_coef) + self.calib_intercept
        return float(1.0 / (1.0 + np.exp(-min(max(z, -30.0), 30.0))))

    def inputs(self, scores: np.ndarray, candidates, row: int) -> np.ndarray:
        return confidence_inputs(scores, candidates, row, self.score_mean, self.score_scale)

    def confidence(self, scores: np.ndarray, candidates, row: int) -> float:
        return self.probability(self.inputs(scores, candidates, row))

    def to_dict(self) -> dict:
        def rounded(values) -> list[float]:
            return [round(float(v), 6) for v in values]

        return {"version": MODEL_VERSION, "features": list(self.features),
                "mean": rounded(self.mean), "scale": rounded(self.scale),
                "coef": rounded(self.coef), "intercept": round(float(self.intercept), 6),
                "calibration": {"method": "monotonic logistic on standardised inputs",
                                "inputs": list(CONFIDENCE_INPUTS),
                                "score_mean": round(self.score_mean, 6),
                                "score_scale": round(self.score_scale, 6),
                                "mean": rounded(self.calib_mean),
                                "scale": rounded(self.calib_scale),
                                "coef": rounded(self.calib_coef),
                                "intercept": round(float(self.calib_intercept), 6)},
                "threshold": round(self.threshold, 4), "meta": self.meta}

    @classmethod
    def from_dict(cls, data: dict) -> AnswerModel:
        if data.get("version") != MODEL_VERSION:
            raise ModelError(f"answer model version {data.get('version')} is not "
                             f"{MODEL_VERSION}")
        try:
            calibration = data["calibration"]
            if tuple(calibration["inputs"]) != CONFIDENCE_INPUTS:
                raise ModelError("answer model calibration inputs do not match this code; "
                                 "refit it with bench/fit_answer_model.py")

            def array(values) -> np.ndarray:
                return np.asarray(values, dtype=np.float64)

            return cls(tuple(data["features"]), array(data["mean"]), array(data["scale"]),
                       array(data["coef"]), float(data["intercept"]),
                       array(calibration["coef"]), float(calibration["intercept"]),
                       float(data.get("threshold", 0.5)), dict(data.get("meta", {})),
                       float(calibration["score_mean"]), float(calibration["score_scale"]),
                       array(calibration["mean"]), array(calibration["scale"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"answer model file is malformed: {exc}") from exc

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")


def _default_calibration() -> np.ndarray:
    """Uncalibrated: the probability is the logistic of the score alone."""
    weights = np.zeros(len(CONFIDENCE_INPUTS))
    weights[0] = 1.0
    return weights


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> AnswerModel:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read the answer model {path}: {exc}") from exc
    return AnswerModel.from_dict(data)
