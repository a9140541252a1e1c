"""The fitted sentence-scoring model and its confidence calibration, read from a small JSON file.

`answer_model.json` (written by `bench/fit_answer_model.py`) holds a conditional-logit ranker
over the features of `knowledge.answering.features` (standardised), plus a logistic calibrator
mapping the chosen sentence's score (and a few question-level inputs) to the probability that
the quote is right. That probability is fitted
on cross-validated scores, so a threshold such as `SGBOT_MIN_CONFIDENCE` means the same share of
right quotes on a corpus the model never saw. Run time needs numpy only.
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
MODEL_VERSION = 2
#: What the confidence is computed from: the chosen sentence's score, its lead over the next
#: best sentence, and question-level evidence the ranking cannot see (a ranking is unchanged by
#: anything shared by all candidates, such as a question word no document contains).
CONFIDENCE_INPUTS = ("score", "margin", "coverage", "sentence_coverage", "heading_coverage",
                     "dense", "missing_named", "missing_other", "entity_missing", "missing_idf",
                     "bigrams")
_COLUMN = {name: i for i, name in enumerate(FEATURES)}


def confidence_inputs(scores: np.ndarray, matrix: np.ndarray, row: int) -> np.ndarray:
    """The calibrator's inputs for quoting candidate `row`."""
    others = np.delete(scores, row)
    margin = float(scores[row] - others.max()) if len(others) else 0.0
    values = [float(scores[row]), margin]
    values += [float(matrix[row, _COLUMN[name]]) for name in CONFIDENCE_INPUTS[2:]]
    return np.asarray(values)


@dataclass(frozen=True)
class AnswerModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    calib_coef: np.ndarray = field(default_factory=lambda: _default_calibration())
    calib_intercept: float = 0.0
    threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if tuple(self.features) != FEATURES:
            raise ModelError("answer model features do not match this code "
                             f"({len(self.features)} vs {len(FEATURES)}); refit it with "
                             "bench/fit_answer_model.py")
        if len(self.calib_coef) != len(CONFIDENCE_INPUTS) or self.calib_coef[0] <= 0:
            raise ModelError("answer model calibration needs one weight per input and a "
                             "positive weight on the score")

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        """One raw score (log-odds) per candidate row."""
        if len(matrix) == 0:
            return np.zeros(0)
        return ((matrix - self.mean) / self.scale) @ self.coef + self.intercept

    def probability(self, inputs: np.ndarray) -> float:
        """Calibrated probability that the quote is right (logistic over `CONFIDENCE_INPUTS`,
        fitted on cross-validated scores); increasing in the score."""
        z = float(np.asarray(inputs, dtype=np.float64) @ self.calib_coef) + self.calib_intercept
        return float(1.0 / (1.0 + np.exp(-min(max(z, -30.0), 30.0))))

    def confidence(self, scores: np.ndarray, matrix: np.ndarray, row: int) -> float:
        return self.probability(confidence_inputs(scores, matrix, row))

    def to_dict(self) -> dict:
        return {"version": MODEL_VERSION, "features": list(self.features),
                "mean": [round(float(v), 6) for v in self.mean],
                "scale": [round(float(v), 6) for v in self.scale],
                "coef": [round(float(v), 6) for v in self.coef],
                "intercept": round(float(self.intercept), 6),
                "calibration": {"method": "logistic", "inputs": list(CONFIDENCE_INPUTS),
                                "coef": [round(float(v), 6) for v in self.calib_coef],
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
            return cls(tuple(data["features"]), np.asarray(data["mean"], dtype=np.float64),
                       np.asarray(data["scale"], dtype=np.float64),
                       np.asarray(data["coef"], dtype=np.float64), float(data["intercept"]),
                       np.asarray(calibration["coef"], dtype=np.float64),
                       float(calibration["intercept"]), float(data.get("threshold", 0.5)),
                       dict(data.get("meta", {})))
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
