"""Cold start: wall time from launching `sgbot ask --json` to its printed answer.

    python bench/cold_start.py [--passages 1000] [--runs 3]

The knowledge base is the 1k-passage generated corpus embedded with the ONNX backend (torch and
ONNX vectors are interchangeable: cosine > 0.9999), so the same index is asked through each
backend in a fresh process. Also prints the slowest imports of one run (`python -X importtime`).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

from scale_common import REPO, build, corpus, machine

QUESTION = "Who chairs the safeguarding partnership?"


def ask_once(data_dir, backend: str, *, importtime: bool = False) -> tuple[float, str]:
    env = {**os.environ, "SGBOT_DATA_DIR": str(data_dir), "SGBOT_EMBED_BACKEND": backend,
           "PYTHONPATH": str(REPO), "SGBOT_LOG_LEVEL": "WARNING"}
    cmd = [sys.executable, *(["-X", "importtime"] if importtime else []), "-m", "bot",
           "--env-file", os.devnull, "ask", "--json", QUESTION]
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    if '"answer"' not in proc.stdout:
        raise SystemExit(f"no answer printed: {proc.stdout[:200]} {proc.stderr[-500:]}")
    return seconds, proc.stderr


def slowest_imports(stderr: str, top: int = 8) -> list[tuple[float, str]]:
    rows = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and len(match.group(2)) <= 3:  # top-level and first-level imports
            rows.append((int(match.group(1)) / 1e6, match.group(3)))
    return sorted(rows, reverse=True)[:top]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="sgbot ask cold start")
    parser.add_argument("--passages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", nargs="+", default=["onnx", "torch"])
    args = parser.parse_args(argv)
    print(f"# cold start, {machine()}")
    data_dir, built = build(corpus(args.passages), "onnx")
    print(f"index: {built['passages']} passages")
    ask_once(data_dir, "onnx")  # make sure the one-off ONNX export exists
    for backend in args.backends:
        times = [ask_once(data_dir, backend)[0] for _ in range(args.runs)]
        print(f"RESULT cold start {backend}: median {statistics.median(times):.2f}s "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)})")
        _, stderr = ask_once(data_dir, backend, importtime=True)
        print("  slowest imports: " + ", ".join(f"{name} {s:.2f}s"
                                                for s, name in slowest_imports(stderr)))
    print(machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
