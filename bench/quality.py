"""Answer quality on one index of every evaluation document: in-sample and cross-validated.

    .venv/bin/python bench/quality.py --data-dir /tmp/sgbot-quality [--refresh] [--live]

One data dir holds the shared PDFs, the shared partnership documents and the repo's samples
(ingested once, reused on later runs); its `training-index/` holds those plus the team's
training documents (bench/training/docs), of which the training questions are asked. Questions:
the shared partnership set (written by nobody on the team), the shared dev set, the repo's
sample questions and the team's training questions. Candidates are cached
(`answer_data.py`), so re-running after a model change does not run the embedding model.

- in-sample: the shipped model (`knowledge/answering/answer_model.json`, fitted on all pooled
  questions) replayed on every question with its CV-chosen threshold;
- cross-validated: leave-documents-out folds grouped by source document; the ranker, the
  calibration and the threshold are all fitted on the other folds (`fit_answer_model.py`);
- fitted on team-written questions only (sample + training), scored on the others: the
  cleanest generalisation figure;
- `--live`: also runs `KnowledgeBase.ask` on every question (the real code path) and prints
  its figures and latency, as a check that the replay matches, and how many off-topic
  questions (`abstention_bench.OFF_TOPIC`) are abstained.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from abstention_bench import OFF_TOPIC  # noqa: E402
from answer_data import (  # noqa: E402
    QUESTION_SETS,
    TEAM_WRITTEN,
    collect,
    index_for,
    metrics,
    open_kb,
    question_files,
    replay,
)
from fit_answer_model import INNER_FOLDS, calibrated, cross_validate, trade_off  # noqa: E402

from knowledge.answering.model import load_model  # noqa: E402
from knowledge.answering.question import QUESTION_TYPES  # noqa: E402

KEYS = ("hit@1", "hit@3", "answer@1", "mrr", "abstention_rate_unanswerable",
        "false_abstention_rate")
TARGETS = {"answer@1": 0.85, "hit@3": 0.95, "abstention_rate_unanswerable": 0.85,
           "false_abstention_rate": 0.05}
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


def table(title: str, rows: dict[str, dict]) -> None:
    print(f"\n{title}\n")
    print("| set | questions | " + " | ".join(KEYS) + " |")
    print("|---|---|" + "---|" * len(KEYS))
    for name, m in rows.items():
        cells = ["-" if m[k] is None else f"{m[k]:.2f}" for k in KEYS]
        print(f"| {name} | {m['answerable']} + {m['unanswerable']} | " + " | ".join(cells) + " |")


def per_type(outcomes) -> None:
    print("\nPer question type (cross-validated, all sets pooled)\n")
    print("| type | n | answer@1 | hit@3 | abstained |")
    print("|---|---|---|---|---|")
    for kind in (*QUESTION_TYPES, "unanswerable"):
        group = [o for o in outcomes if o.item.qtype == kind]
        if not group:
            continue
        hit = np.mean([o.hit for o in group]) if kind != "unanswerable" else float("nan")
        top3 = np.mean([o.rank is not None for o in group]) if kind != "unanswerable" else \
            float("nan")
        abstained = np.mean([o.abstained for o in group])
        row = f"{hit:.2f} | {top3:.2f}".replace("nan", "-")
        print(f"| {kind} | {len(group)} | {row} | {abstained:.2f} |")


def reliability(outcomes, confidence: np.ndarray) -> None:
    print("\nReliability (cross-validated confidence of the chosen quote -> share right; "
          "unanswerable questions count as wrong)\n")
    print("| confidence | questions | share right |")
    print("|---|---|---|")
    right = np.array([o.hit for o in outcomes])
    for low, high in zip(BINS, BINS[1:], strict=False):
        mask = (confidence >= low) & (confidence < high)
        share = f"{right[mask].mean():.2f}" if mask.any() else "-"
        print(f"| {low:.1f}-{min(high, 1.0):.1f} | {int(mask.sum())} | {share} |")
    for label, keep in (("right", right),
                        ("wrong (answerable)", ~right & ~np.array([o.item.unanswerable
                                                                   for o in outcomes])),
                        ("unanswerable", np.array([o.item.unanswerable for o in outcomes]))):
        print(f"\nmean confidence, {label}: {confidence[keep].mean():.2f}", end="")
    print()


def trade_offs(outcomes, confidence: np.ndarray, chosen: float) -> None:
    print("\nThreshold trade-off (cross-validated confidences, partnership set)\n")
    print("| threshold | answer@1 | false abstentions | unanswerable abstained |")
    print("|---|---|---|---|")
    keep = [k for k, o in enumerate(outcomes) if o.item.set == "partnership"]
    items = [outcomes[k].item for k in keep]
    right = np.array([o.decision.best is not None and bool(o.item.labels[o.decision.best])
                      for o in (outcomes[k] for k in keep)])
    # nothing verifiable to quote: abstained at any threshold
    probs = np.array([-1.0 if outcomes[k].decision.best is None else confidence[k] for k in keep])
    for t in sorted({0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, round(chosen, 3)}):
        r = trade_off(items, probs, right, t)
        mark = " (shipped)" if t == round(chosen, 3) else ""
        print(f"| {t:.3f}{mark} | {r['answer@1']:.2f} | {r['false_abstention_rate']:.2f} | "
              f"{r['abstention_rate_unanswerable']:.2f} |")


def misses(outcomes) -> None:
    print("\nMisses (cross-validated)\n")
    for o in outcomes:
        item = o.item
        if item.unanswerable and o.abstained or not item.unanswerable and o.hit:
            continue
        if item.unanswerable:
            status = "answered unanswerable"
        elif o.abstained:
            status = "abstained" + (" (evidence in top 3)" if o.rank else "")
        elif o.rank is None:
            status = "evidence not in top 3" if item.passage_hits.any() else "not retrieved"
        else:
            status = f"wrong sentence (evidence cited at {o.rank})"
        print(f"- {item.set}/{item.id} [{item.qtype}] {status}, conf {o.decision.confidence:.2f}")


def live(data_dir: Path) -> None:
    from knowledge.evaluation import evaluate, load_questions

    kb = open_kb(data_dir)
    rows, seconds = {}, []
    for name, path in QUESTION_SETS.items():
        if index_for(data_dir, name)[0] != data_dir:
            continue  # asked of another index (training questions)
        questions = [q for file in question_files(path) for q in load_questions(file)]
        if not questions:
            continue
        summary = evaluate(kb, questions)
        rows[name] = summary.metrics()
        seconds += [r.seconds for r in summary.results]
    table("Live `KnowledgeBase.ask` (shipped model, settings' min_confidence)", rows)
    print(f"\nlatency: p50 {1000 * np.percentile(seconds, 50):.0f} ms, "
          f"p95 {1000 * np.percentile(seconds, 95):.0f} ms over {len(seconds)} questions")
    answered = [q for q in OFF_TOPIC if not kb.ask(q).abstained]
    print(f"\noff-topic questions (team-written, nothing in any document is about them): "
          f"{len(OFF_TOPIC) - len(answered)} of {len(OFF_TOPIC)} abstained")
    for question in answered:
        print(f"- answered: {question}")


def held_out_by_author(items) -> None:
    """The cleanest figure: ranker, calibration and threshold fitted on the team's own
    questions about the team's own documents only, scored on the questions nobody on the team
    wrote (which no fit has seen)."""
    train = [i for i in items if i.set in TEAM_WRITTEN]
    if not train or not any(i.unanswerable for i in train):
        return
    model = calibrated(train, INNER_FOLDS)
    unseen = [i for i in items if i.set not in TEAM_WRITTEN]
    outcomes = replay(unseen, model, model.threshold)
    sets = [s for s in QUESTION_SETS if s not in TEAM_WRITTEN and any(i.set == s for i in unseen)]
    table(f"Fitted on team-written questions only ({len(train)}: "
          f"{', '.join(TEAM_WRITTEN)}; threshold {model.threshold}), scored on the others",
          {s: metrics([o for o in outcomes if o.item.set == s]) for s in sets})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/sgbot-quality"))
    parser.add_argument("--refresh", action="store_true", help="recompute cached candidates")
    parser.add_argument("--live", action="store_true", help="also run KnowledgeBase.ask")
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    items = collect(args.data_dir, refresh=args.refresh)
    print(f"{len(items)} questions, {sum(len(i.labels) for i in items)} candidate sentences "
          f"({time.perf_counter() - started:.0f}s)")
    model = load_model()
    sets = sorted({i.set for i in items}, key=list(QUESTION_SETS).index)
    inside = replay(items, model, model.threshold)
    table(f"In-sample (shipped model, threshold {model.threshold})",
          {s: metrics([o for o in inside if o.item.set == s]) for s in sets})
    outcomes, confidence = cross_validate(items)
    rows = {s: metrics([o for o in outcomes if o.item.set == s]) for s in sets}
    table("Cross-validated (leave-documents-out, 5 folds)", rows)
    for key, target in TARGETS.items():
        value = rows.get("partnership", {}).get(key)
        if value is not None:
            ok = value <= target if key == "false_abstention_rate" else value >= target
            print(f"partnership {key} {value:.2f} target {target}: {'met' if ok else 'NOT met'}")
    held_out_by_author(items)
    per_type(outcomes)
    reliability(outcomes, confidence)
    trade_offs(outcomes, confidence, model.threshold)
    misses(outcomes)
    if args.live:
        live(args.data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
