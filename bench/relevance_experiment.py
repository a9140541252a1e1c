"""Does a relevance model fine-tuned on the team's training questions help the answerer?

    .venv/bin/python bench/relevance_experiment.py --data-dir /tmp/ft-q0 --train-dir /tmp/ft-train \
        --models /tmp/ft-models [--mode add|replace]

The bench's cached candidates (`answer_data.collect`) get the fine-tuned model's cosine for every
sentence the answerer embedded: as extra columns (`add`: dense_ft, its gap to the best and its
rank) or in place of the packaged model's (`replace`). The ranker, calibration and threshold are
then cross-validated as in bench/quality.py. The training questions' own figures are only fair
with a fine-tune that never saw their document: each of them is scored by a model fine-tuned
without its partnership's documents (one fine-tune per partnership, plus one on all of them
for every other set).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_answer_model  # noqa: E402
import quality  # noqa: E402
from answer_data import QUESTION_SETS, collect, metrics  # noqa: E402
from finetune_relevance import (  # noqa: E402
    EPOCHS,
    SEED,
    examples,
    fine_tune,
    training_items,
    unit_texts,
)

import knowledge.answering.model as answer_model  # noqa: E402
from knowledge.answering.features import FEATURES  # noqa: E402

EXTRA = ("dense_ft", "dense_ft_gap", "dense_ft_rank")
_DENSE, _EMBEDDED = FEATURES.index("dense"), FEATURES.index("embedded")
_GAP, _RANK = FEATURES.index("dense_gap"), FEATURES.index("dense_rank")


def partnership(source: str) -> str:
    """Training documents are named after their invented partnership (two documents each)."""
    return source.split("-")[0]


def models(train_dir: Path, out: Path, epochs: int, in_sample: bool,
           seed: int = SEED) -> dict[str, Path]:
    """One fine-tune on every training question ('all') and one without each partnership."""
    train = examples(training_items(train_dir))
    paths = {}
    held_out = [] if in_sample else sorted({partnership(e.source) for e in train})
    for held in ["all", *held_out]:
        path = out / held
        if not (path / "config.json").exists():
            kept = [e for e in train if partnership(e.source) != held]
            report = fine_tune(kept, path, epochs=epochs, seed=seed)
            print(f"fine-tune without {held}: {report}", flush=True)
            (path / "report.json").write_text(json.dumps(report))
        paths[held] = path
    return paths


def similarities(items, paths: dict[str, Path], cache: Path,
                 in_sample: bool = False) -> list[np.ndarray]:
    """Per item, the fine-tuned cosine of each candidate (nan where the answerer embeds none)."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from sentence_transformers import SentenceTransformer

    loaded: dict[str, object] = {}
    out, seconds = [], []
    for item in items:
        held = partnership(item.source) if item.set == "training" and not in_sample else "all"
        if held not in loaded:
            loaded[held] = SentenceTransformer(str(paths[held]), device="cpu")
        model = loaded[held]
        sims = np.full(len(item.labels), np.nan)
        rows = np.flatnonzero(item.candidates.matrix[:, _EMBEDDED] > 0)
        if len(rows):
            started = time.perf_counter()
            texts = unit_texts(item.candidates)
            vectors = model.encode([item.question] + [texts[r] for r in rows],
                                   normalize_embeddings=True, show_progress_bar=False)
            seconds.append(time.perf_counter() - started)
            sims[rows] = vectors[1:] @ vectors[0]
        out.append(sims)
    print(f"fine-tuned embedding per question (torch, question + its embedded sentences): "
          f"p50 {1000 * np.median(seconds):.0f} ms, p95 {1000 * np.percentile(seconds, 95):.0f} ms")
    cache.write_bytes(pickle.dumps(out))
    return out


def augmented(items, sims: list[np.ndarray], mode: str):
    out = []
    for item, s in zip(items, sims, strict=True):
        matrix = item.candidates.matrix.astype(np.float32)
        embedded = ~np.isnan(s)
        value = np.where(embedded, s, 0.0).astype(np.float32)
        gap = np.where(embedded, value - (value[embedded].max() if embedded.any() else 0), 0.0)
        ranks = np.argsort(np.argsort(-value, kind="stable"), kind="stable")
        rank = (1.0 / (1.0 + ranks)).astype(np.float32)
        if mode == "add":
            matrix = np.c_[matrix, value, gap, rank].astype(np.float32)
        elif mode == "replace":
            matrix = matrix.copy()
            matrix[:, _DENSE], matrix[:, _GAP], matrix[:, _RANK] = value, gap, rank
        out.append(replace(item, candidates=replace(item.candidates, matrix=matrix)))
    return out


def use_features(names: tuple[str, ...]) -> None:
    """The fit and the model check read FEATURES at call time from these modules."""
    answer_model.FEATURES = names
    fit_answer_model.FEATURES = names


def report(items, title: str) -> None:
    sets = sorted({i.set for i in items}, key=list(QUESTION_SETS).index)
    outcomes, _ = fit_answer_model.cross_validate(items)
    quality.table(f"{title}: cross-validated", {s: metrics([o for o in outcomes if o.item.set == s])
                                               for s in sets})
    quality.held_out_by_author(items)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--train-dir", type=Path, required=True)
    parser.add_argument("--models", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--mode", choices=("add", "replace", "both"), default="both")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--in-sample", action="store_true",
                        help="score the training questions with the model fine-tuned on them")
    args = parser.parse_args()
    items = collect(args.data_dir)
    if args.baseline:
        report(items, "baseline")
    paths = models(args.train_dir, args.models, args.epochs, args.in_sample, args.seed)
    name = "similarities-in-sample.pkl" if args.in_sample else "similarities.pkl"
    sims = similarities(items, paths, args.models / name, args.in_sample)
    right = [s[i.labels & ~np.isnan(s)] for i, s in zip(items, sims, strict=True)]
    print(f"mean fine-tuned cosine: right {np.mean(np.concatenate(right)):.2f}, all "
          f"{np.nanmean(np.concatenate(sims)):.2f}")
    for mode in ("add", "replace") if args.mode == "both" else (args.mode,):
        use_features(FEATURES + EXTRA if mode == "add" else FEATURES)
        report(augmented(items, sims, mode), f"fine-tuned relevance ({mode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
