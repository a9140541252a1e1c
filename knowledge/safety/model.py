"""The learned layer of the safety net: logistic regression over sentence embeddings.

Fitted offline by bench/fit_safety.py on messages written for this repository; the weights ship
as `model.json` next to this file, so the runtime needs only numpy. A model is only valid for
the embedder it was fitted with: other vectors (the fake test embedder, another model) would
give meaningless scores, so `SafetyModel.fits(name)` gates its use.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.errors import ModelError
from knowledge.safety.patterns import CUES, cue_features

MODEL_PATH = Path(__file__).resolve().parent / "model.json"
FORMAT_VERSION = 2  # bump when the file layout changes (2: wording cues beside the vector)


@dataclass(frozen=True)
class SafetyModel:
    """Weights, bias and decision threshold for one embedder.

    Features are the sentence embedding followed by `cue_scale` times the wording cues
    (`patterns.cue_features`); `weights` covers both.
    """

    weights: np.ndarray
    bias: float
    threshold: float
    embedders: tuple[str, ...]  # embedder names whose vectors these weights were fitted to
    version: str
    cue_scale: float = 1.0

    def fits(self, embedder_name: str) -> bool:
        return embedder_name in self.embedders

    def scores(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        """Probability that each message (its embedding row and its text) is urgent."""
        z = features(vectors, texts, self.cue_scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        return {"format": FORMAT_VERSION, "version": self.version,
                "embedders": list(self.embedders), "threshold": self.threshold,
                "cues": list(CUES), "cue_scale": self.cue_scale,
                "bias": self.bias, "weights": [round(float(w), 6) for w in self.weights]}

    @classmethod
    def from_json(cls, data: dict) -> SafetyModel:
        if data.get("format") != FORMAT_VERSION:
            raise ModelError(f"safety model format {data.get('format')!r} is not "
                             f"{FORMAT_VERSION}", hint="re-run bench/fit_safety.py")
        try:
            weights = np.asarray(data["weights"], dtype=np.float64)
            model = cls(weights=weights, bias=float(data["bias"]),
                        threshold=float(data["threshold"]),
                        embedders=tuple(data["embedders"]), version=str(data["version"]),
                        cue_scale=float(data["cue_scale"]))
            if tuple(data["cues"]) != CUES:
                raise ValueError(f"cues {data['cues']} are not {list(CUES)}")
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"safety model file is incomplete: {exc}",
                             hint="re-run bench/fit_safety.py") from exc
        if weights.ndim != 1 or not 0.0 < model.threshold < 1.0:
            raise ModelError("safety model has malformed weights or threshold",
                             hint="re-run bench/fit_safety.py")
        return model


def features(vectors: np.ndarray, texts: list[str], cue_scale: float) -> np.ndarray:
    """The model's input rows: embedding, then the scaled wording cues. Shared with fitting."""
    cues = np.array([cue_features(t) for t in texts], dtype=np.float64).reshape(len(texts), -1)
    return np.hstack([np.asarray(vectors, dtype=np.float64), cue_scale * cues])


def load_model(path: Path = MODEL_PATH) -> SafetyModel:
    try:
        return SafetyModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"could not read the safety model {path}: {exc}",
                         hint="reinstall sgbot or re-run bench/fit_safety.py") from exc
