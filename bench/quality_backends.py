"""Dev-set quality and ingest speed with each embedding backend, on the shared corpus.

    python bench/quality_backends.py [--backends torch onnx-fp32 onnx] \
        [--corpus ../shared/corpus/pdf]

Each backend ingests the corpus into a fresh data dir (real backends also embed every sentence
ahead for answering) and answers the dev questions with the current answerer; the metrics are
printed side by side, so a faster backend is only made the default when answer@1 holds (within
one point).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from scale_common import DEV_QUESTIONS, SHARED, machine, settings_for

from ingest.pipeline import Ingester
from knowledge.evaluation import evaluate, load_questions
from knowledge.kb import KnowledgeBase


def run(backend: str, folder: Path) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix=f"sgbot-quality-{backend}-"))
    try:
        kb = KnowledgeBase(settings_for(data_dir, backend))
        t0 = time.perf_counter()
        kb.embedder.embed_query("load")
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        report = Ingester(kb).ingest([folder])
        ingest = time.perf_counter() - t0
        summary = evaluate(kb, load_questions(DEV_QUESTIONS))
        kb.index.close()
        return {"backend": backend, "model_load_s": round(load, 1),
                "ingest_s": round(ingest, 1), "words": report.words, **summary.metrics()}
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="dev-set quality per embedding backend")
    parser.add_argument("--backends", nargs="+", default=["torch", "onnx-fp32", "onnx"])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "pdf")
    args = parser.parse_args(argv)
    print(f"# backend quality on {args.corpus}, {machine()}")
    rows = [run(b, args.corpus) for b in args.backends]
    keys = [k for k in rows[0] if k != "backend"]
    print("| metric | " + " | ".join(r["backend"] for r in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for key in keys:
        print(f"| {key} | " + " | ".join(str(r.get(key)) for r in rows) + " |")
    print(machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
