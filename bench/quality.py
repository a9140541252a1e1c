"""Answer quality: `sgbot ingest` then `sgbot eval`, exactly as a user would run them.

Runs on the shared dev set (../shared/corpus/pdf + ../shared/eval/dev-questions.jsonl) and on
the repo's own fictional sample corpus (samples/ + tests/fixtures/sample-questions.jsonl),
each into a fresh data directory, and prints the metrics.

    .venv/bin/python bench/quality.py [--backend torch|onnx]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SGBOT = [sys.executable, "-m", "bot"]
SETS = {
    "shared dev set": (REPO.parent / "shared/corpus/pdf", REPO.parent / "shared/eval/dev-questions.jsonl"),
    "sample corpus": (REPO / "samples", REPO / "tests/fixtures/sample-questions.jsonl"),
}
TARGETS = {"hit@3": 0.95, "answer@1": 0.80, "abstention_rate_unanswerable": 1.0,
           "false_abstention_rate": 0.05}


def run(name: str, corpus: Path, questions: Path, backend: str | None) -> dict:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "SGBOT_DATA_DIR": data, "SGBOT_LOG_LEVEL": "WARNING"}
        if backend:
            env["SGBOT_EMBED_BACKEND"] = backend
        started = time.perf_counter()
        subprocess.run([*SGBOT, "--env-file", "/nonexistent", "ingest", "--quiet", str(corpus)],
                       env=env, check=True, cwd=REPO, stdout=subprocess.DEVNULL)
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        out = subprocess.run([*SGBOT, "--env-file", "/nonexistent", "eval", "--json",
                              str(questions)], env=env, check=True, cwd=REPO,
                             capture_output=True, text=True).stdout
        eval_s = time.perf_counter() - started
    result = json.loads(out)
    metrics = result["metrics"]
    print(f"\n## {name}: {corpus.relative_to(REPO.parent) if REPO.parent in corpus.parents else corpus}")
    print(f"ingest {ingest_s:.1f}s, eval {eval_s:.1f}s ({metrics['questions']} questions)")
    for q in result["questions"]:
        status = "abstain" if q["abstained"] else ("ok" if q["answer_hit"] else "miss")
        print(f"  {q['id']:>5} rank={q['rank'] or '-':<2} {status:<8} conf={q['confidence']:.2f}"
              f"  {q['question']}")
    for key in ("hit@1", "hit@3", "answer@1", "mrr", "abstention_rate_unanswerable",
                "false_abstention_rate", "mean_seconds"):
        target = TARGETS.get(key)
        note = ""
        if target is not None and metrics[key] is not None:
            good = metrics[key] <= target if key == "false_abstention_rate" else metrics[key] >= target
            note = f"  (target {'<=' if key == 'false_abstention_rate' else '>='} {target}: " \
                   f"{'met' if good else 'NOT met'})"
        print(f"  {key:>30}: {metrics[key]}{note}")
    return metrics


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("torch", "onnx"), help="embedding backend")
    args = parser.parse_args()
    for name, (corpus, questions) in SETS.items():
        if not corpus.exists() or not questions.exists():
            print(f"skipping {name}: {corpus} or {questions} not found")
            continue
        run(name, corpus, questions, args.backend)
    return 0


if __name__ == "__main__":
    sys.exit(main())
