"""Shared plumbing for the scale benchmarks: generated corpora and built knowledge bases are
cached under SGBOT_BENCH_DIR (default /tmp/sgbot-bench) so re-runs only measure."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEV_QUESTIONS = SHARED / "eval" / "dev-questions.jsonl"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def work_dir() -> Path:
    path = Path(os.environ.get("SGBOT_BENCH_DIR", "/tmp/sgbot-bench"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_for(data_dir: Path, backend: str, **overrides):
    from knowledge.settings import Settings

    base = Settings.from_env({k: v for k, v in os.environ.items()
                              if k in {"SGBOT_INDEX_URL", "CHROMA_HOST", "CHROMA_PORT"}},
                             env_file=None)
    return base.with_overrides(data_dir=data_dir, embed_backend=backend, **overrides)


def corpus(passages: int, *, seed: int = 7, docs: int | None = None) -> Path:
    """A generated corpus folder (made once per size/seed/docs)."""
    from generate_corpus import generate

    out = work_dir() / (f"corpus-{passages}-s{seed}" + ("" if docs is None else f"-d{docs}"))
    marker = out / ".generated.json"
    if not marker.is_file():
        summary = generate(out, passages, docs=docs, seed=seed)
        marker.write_text(json.dumps(summary))
    return out


def build(corpus_dir: Path, backend: str, *, label: str | None = None,
          sentence_vectors: bool | None = None) -> tuple[Path, dict]:
    """Ingest `corpus_dir` into a cached data dir with `backend`; returns (data dir, summary)."""
    from ingest.pipeline import PIPELINE_VERSION, Ingester
    from knowledge.kb import KnowledgeBase

    servers = ("-pg" if os.environ.get("SGBOT_INDEX_URL") else "") + \
        ("-chroma-server" if os.environ.get("CHROMA_HOST") else "")
    data_dir = work_dir() / (f"data-{label or corpus_dir.name}-{backend}-p{PIPELINE_VERSION}"
                             f"{servers}{'-sv' if sentence_vectors else ''}")
    marker = data_dir / ".built.json"
    if marker.is_file():
        return data_dir, json.loads(marker.read_text())
    kb = KnowledgeBase(settings_for(data_dir, backend), sentence_vectors=sentence_vectors)
    started = time.perf_counter()
    report = Ingester(kb).ingest([corpus_dir])
    summary = {"passages": kb.index.passage_count(), "documents": len(kb.documents()),
               "words": report.words, "failed": len(report.failed),
               "seconds": round(time.perf_counter() - started, 1), "backend": backend}
    kb.index.close()
    marker.write_text(json.dumps(summary))
    return data_dir, summary


def questions() -> list[str]:
    """The dev questions plus each re-attributed to a synthetic partnership (48 in all)."""
    base = [json.loads(line)["question"] for line in DEV_QUESTIONS.read_text().splitlines()
            if line.strip()]
    places = ["Elderfield", "Oakdale", "Cinderton", "Marlbury", "Sedgemoor", "Thornwick"]
    variants = []
    for n, question in enumerate(base):
        place = places[n % len(places)]
        changed = re.sub(r"\b(Norfolk|Nottingham|North Somerset|Bristol)\b", place, question)
        variants.append(changed if changed != question else f"{question.rstrip('?')} in {place}?")
    return base + variants


def percentiles(values_ms: list[float]) -> dict[str, float]:
    arr = np.asarray(values_ms, dtype=float)
    return {"p50_ms": round(float(np.percentile(arr, 50)), 1),
            "p95_ms": round(float(np.percentile(arr, 95)), 1),
            "mean_ms": round(float(arr.mean()), 1), "n": len(values_ms)}


def machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.1f} (other jobs share this machine)"
