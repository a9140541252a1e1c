"""Warm in-process answer latency (p50/p95) and peak RSS of the serving process, by corpus size.

    python bench/query_bench.py [--sizes 1000 10000 100000] [--backend onnx] [--large-backend fake]

Each size is generated (bench/generate_corpus.py) and ingested once into a cached data dir; then a
fresh child process opens the knowledge base, warms up with three questions, and times
`kb.ask` on 48 questions (the dev questions and re-attributed variants), three times through
(percentiles over all 144 answers; the first pass's p95 is printed too: the machine is shared,
so more samples steady the tail). The child reports its own peak RSS (VmHWM), which covers
opening the stores, the model and every answer. Corpora of `--large-from` passages or more are
embedded with `--large-backend` (default fake: embedding 100k passages with the real model takes
hours here).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from scale_common import build, corpus, machine, percentiles, questions, settings_for

WARM_UP = ("What is early help?", "Who funds the partnership?", "What is a rapid review?")


def serve(data_dir: Path, backend: str, passes: int) -> dict:
    """Runs in the child: open, warm up, time each question once."""
    from knowledge.kb import KnowledgeBase

    started = time.perf_counter()
    kb = KnowledgeBase(settings_for(data_dir, backend))
    for question in WARM_UP:
        kb.ask(question)
    warm_seconds = time.perf_counter() - started
    times, first_pass, abstained = [], [], 0
    for n in range(passes):
        for question in questions():
            t0 = time.perf_counter()
            answer = kb.ask(question)
            times.append(1000 * (time.perf_counter() - t0))
            abstained += answer.abstained if n == 0 else 0
        first_pass = first_pass or list(times)
    return {**percentiles(times), "first_pass_p95_ms": percentiles(first_pass)["p95_ms"],
            "abstained": abstained, "passages": kb.index.passage_count(),
            "open_and_warm_s": round(warm_seconds, 2),
            "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's own high-water RSS (VmHWM). Not getrusage: Linux carries ru_maxrss over
    from the parent across exec, which would report the benchmark driver's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="query latency and memory by corpus size")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--backend", default="onnx", choices=["onnx", "torch", "fake"])
    parser.add_argument("--large-backend", default="fake", choices=["onnx", "torch", "fake"])
    parser.add_argument("--large-from", type=int, default=50000)
    parser.add_argument("--passes", type=int, default=3, help="times through the questions")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        print(json.dumps(serve(args.serve, args.backend, args.passes)))
        return 0
    print(f"# query latency, {machine()}")
    rows = []
    for size in args.sizes:
        backend = args.large_backend if size >= args.large_from else args.backend
        folder = corpus(size)
        data_dir, built = build(folder, backend)
        proc = subprocess.run([sys.executable, __file__, "--serve", str(data_dir), "--backend",
                               backend, "--passes", str(args.passes)], capture_output=True,
                              text=True, check=True)
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        row = {"target": size, "backend": backend, **result,
               "build_s": built["seconds"], "build_words": built["words"]}
        rows.append(row)
        print(json.dumps(row), flush=True)
    print()
    print("| passages | embedder | p50 ms | p95 ms | first-pass p95 ms | mean ms | peak RSS MB |"
          " abstained/48 |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['passages']:,} | {r['backend']} | {r['p50_ms']} | {r['p95_ms']} | "
              f"{r['first_pass_p95_ms']} | {r['mean_ms']} | {r['peak_rss_mb']} | "
              f"{r['abstained']} |")
    print(f"\n{machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
