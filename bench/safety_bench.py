"""How well the shipped safety net (patterns + model) separates live concerns from questions.

    .venv/bin/python bench/safety_bench.py [--data-dir DIR] [--backend onnx] [--all]

Scores the HELD-BACK part of bench/data/safety_messages.jsonl (about 30%, chosen by id hash;
never used for fitting, the threshold or the patterns). Targets (issue 12): recall on urgent
messages >= 0.98, false alarms on ordinary messages <= 0.10. Prints every miss and false
alarm, recall per category, the patterns alone, and the time per message. When the shared
evaluation questions are present (../shared/eval/*.jsonl: real partnership questions, all
ordinary), also prints how many of them would get the urgent routes; their text is not printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import safety_data  # noqa: E402

RECALL_TARGET = 0.98  # issue 12: at most 1 live concern in 50 may miss the routes
FALSE_ALARM_TARGET = 0.10  # issue 12: at most 1 ordinary question in 10 gets them
SHARED_EVAL = REPO.parent / "shared" / "eval"


def make_net(data_dir: Path, backend: str):
    from knowledge.safety import SafetyNet
    from knowledge.search.embedder import make_embedder
    from knowledge.settings import Settings

    settings = Settings.from_env({}, env_file=None).with_overrides(
        data_dir=data_dir, embed_backend=backend)
    net = SafetyNet(settings, make_embedder(settings))
    if not net.uses_model:
        print(f"WARNING: {net.check('x').reason}")
    return net


def score(net, messages):
    verdicts, times = {}, []
    for m in messages:
        started = time.perf_counter()
        verdicts[m.id] = net.check(m.text)
        times.append(1000 * (time.perf_counter() - started))
    return verdicts, times


def report(messages, verdicts, *, title: str, verbose: bool) -> tuple[float, float]:
    urgent = [m for m in messages if m.urgent]
    ordinary = [m for m in messages if not m.urgent]
    misses = [m for m in urgent if not verdicts[m.id].urgent]
    alarms = [m for m in ordinary if verdicts[m.id].urgent]
    recall = 1 - len(misses) / len(urgent)
    false_alarms = len(alarms) / len(ordinary)
    print(f"\n## {title}: {len(messages)} messages ({len(urgent)} urgent, {len(ordinary)} "
          "ordinary)")
    print(f"recall {recall:.3f} ({len(urgent) - len(misses)}/{len(urgent)}, target >= "
          f"{RECALL_TARGET}) | false alarms {false_alarms:.3f} ({len(alarms)}/{len(ordinary)}, "
          f"target <= {FALSE_ALARM_TARGET})")
    if verbose:
        for m in misses:
            print(f"  MISS [{m.category}] score {verdicts[m.id].score:.2f}: {m.text}")
        for m in alarms:
            print(f"  FALSE ALARM [{m.category}] {verdicts[m.id].reason} "
                  f"{verdicts[m.id].score:.2f}: {m.text}")
    return recall, false_alarms


def per_category(messages, verdicts) -> None:
    caught: dict[str, list[bool]] = defaultdict(list)
    for m in messages:
        if m.urgent:
            caught[m.category].append(verdicts[m.id].urgent)
    print("\nper-category recall (held back): " + ", ".join(
        f"{c} {sum(v)}/{len(v)}" for c, v in sorted(caught.items())))
    reasons: dict[str, int] = defaultdict(int)
    for m in messages:
        if verdicts[m.id].urgent:
            reasons[verdicts[m.id].reason] += 1
    print("routes shown by: " + ", ".join(f"{r} {n}" for r, n in sorted(reasons.items())))


def shared_questions(net) -> None:
    texts = []
    for path in sorted(SHARED_EVAL.glob("*.jsonl")) if SHARED_EVAL.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["question"])
    if not texts:
        return
    flagged = [net.check(t) for t in texts]
    shown = [v for v in flagged if v.urgent]
    print(f"\nshared eval questions (ordinary partnership questions): {len(shown)}/{len(texts)} "
          f"would get the urgent routes ({', '.join(sorted(v.reason for v in shown)) or '-'})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/sgbot-bench-data"),
                        help="where the ONNX export is cached")
    parser.add_argument("--backend", default="onnx", help="embedder backend (default int8 ONNX)")
    parser.add_argument("--all", action="store_true",
                        help="also score the training part (seen while fitting: not an estimate)")
    args = parser.parse_args()
    from knowledge.safety import pattern_family

    messages = safety_data.load()
    held = safety_data.held_back(messages)
    net = make_net(args.data_dir, args.backend)
    net.check("warm-up message so the model load is not timed")
    verdicts, times = score(net, held)
    recall, false_alarms = report(held, verdicts, title=f"held back, patterns + model "
                                  f"({args.backend})", verbose=True)
    per_category(held, verdicts)
    from knowledge.safety import SafetyVerdict

    patterns_only = {m.id: SafetyVerdict(pattern_family(m.text) is not None, 0.0, "pattern")
                     for m in held}
    report(held, patterns_only, title="held back, patterns alone", verbose=False)
    if args.all:
        train = safety_data.train(messages)
        report(train, score(net, train)[0], title="training part (seen while fitting)",
               verbose=False)
    shared_questions(net)
    times.sort()
    print(f"\nlatency per message ({len(times)} messages, one at a time): median "
          f"{statistics.median(times):.2f} ms, p95 {times[int(0.95 * (len(times) - 1))]:.2f} ms,"
          f" max {times[-1]:.2f} ms")
    ok = recall >= RECALL_TARGET and false_alarms <= FALSE_ALARM_TARGET
    print("\nTARGETS MET" if ok else "\nTARGETS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
