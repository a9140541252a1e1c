"""Pathological ingestion: does a batch of hostile files finish, how fast, in how much memory?

    .venv/bin/python bench/pathological_ingest.py [--timeout S] [--backend fake|onnx] [--repeat N]

Builds the corpus of tests/ingest/pathological.py (broken-XML DOCX, truncated PDF, PDF with
20,000 nested arrays, unclosed-<p> and 12,000-deep-div HTML, UTF-16 with/without BOM, cp1252,
a 2 MB one-line Markdown file, binary .txt, empty file, folder symlink loop, good files) in a
temp dir and ingests it into a fresh data dir. Prints per-file outcome and seconds, the batch
time, and peak RSS summed over this process and its children (fork server and parser worker),
sampled every 20 ms. Then the happy path: the sample partnership (samples/) and the shared
corpus, parsed through the worker vs in-process, to show what isolation costs.
`--timeout 0.5` forces deadline kills on the slow files to time the kill-and-replace path.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "ingest"))  # the corpus builder and its helpers
SHARED = REPO.parent / "shared" / "corpus"

#: RSS sampling period: short enough to catch a parse's peak, cheap on 2 cores.
SAMPLE_S = 0.02


class PeakRss:
    """Peak of RSS summed over this process and all its descendants, sampled in a thread."""

    def __init__(self) -> None:
        import psutil

        self._me = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _total(self) -> int:
        import psutil

        total = self._me.memory_info().rss
        for child in self._me.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:  # exited between listing and reading
                continue
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            self._stop.wait(SAMPLE_S)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._total())


def _kb(data_dir: Path, backend: str, timeout: float):
    from knowledge.kb import KnowledgeBase
    from knowledge.settings import Settings

    settings = Settings.from_env({}, env_file=None).with_overrides(
        data_dir=data_dir, embed_backend=backend, ingest_timeout_s=timeout)
    return KnowledgeBase(settings)


class InProcessPool:
    """Stand-in for ParserPool parsing in this process (no deadline): the baseline."""

    def __init__(self, limits) -> None:
        self.limits = limits

    def parse(self, job):
        from ingest.parse import parse_file

        return parse_file(job)

    def close(self) -> None:
        pass


def pathological(work: Path, backend: str, timeout: float) -> None:
    from pathological import build_corpus

    from ingest.pipeline import Ingester

    files = work / "corpus" / "files"
    cases = build_corpus(files)
    size = sum(p.stat().st_size for p in files.iterdir() if p.is_file())
    kb = _kb(work / "data", backend, timeout)
    kb.embedder  # noqa: B018 - load the model before timing
    with PeakRss() as rss:
        started = time.perf_counter()
        report = Ingester(kb).ingest([files])
        seconds = time.perf_counter() - started
    print(f"## pathological corpus: {len(cases)} entries, {size / 1e6:.1f} MB, backend {backend}, "
          f"timeout {timeout:g} s")
    for r in report.results:
        detail = r.reason if r.status == "failed" else f"{r.passages} passages"
        print(f"  {r.status:8} {r.seconds:6.2f}s  {Path(r.path).name:18} {detail[:110]}")
    longest = max(len(p.text) for p in kb.index.iter_passages())
    print(f"batch {seconds:.2f}s; {report.count('added')} added, {len(report.failed)} failed; "
          f"longest passage {longest} chars; peak RSS (all processes) {rss.peak / 1e6:.0f} MB")
    kb.index.close()


def happy_path(work: Path, backend: str, repeat: int) -> None:
    import ingest.pipeline as pipeline

    folders = [REPO / "samples"] + [SHARED / name for name in ("pdf", "partnerships")
                                    if (SHARED / name).is_dir()]
    real_pool = pipeline.ParserPool
    print(f"## happy path: {', '.join(f.name for f in folders)} ({backend} embedder)")
    for label, pool in (("worker process", real_pool), ("in-process", InProcessPool)):
        timings, peaks = [], []
        for run in range(repeat):
            data = work / f"happy-{label.replace(' ', '-')}-{run}"
            kb = _kb(data, backend, 120.0)
            kb.embedder  # noqa: B018
            pipeline.ParserPool = pool
            try:
                with PeakRss() as rss:
                    started = time.perf_counter()
                    report = pipeline.Ingester(kb).ingest(folders)
                    timings.append(time.perf_counter() - started)
            finally:
                pipeline.ParserPool = real_pool
            peaks.append(rss.peak)
            files = report.count("added")
            kb.index.close()
            shutil.rmtree(data)
        timings.sort()
        print(f"  {label:15} {files} files: median {timings[len(timings) // 2]:.2f}s "
              f"(min {timings[0]:.2f}s, {repeat} runs); peak RSS {max(peaks) / 1e6:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=10.0, help="SGBOT_INGEST_TIMEOUT_S")
    parser.add_argument("--backend", default="fake", help="embedder (fake: parsing only)")
    parser.add_argument("--repeat", type=int, default=3, help="happy-path runs per mode")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sgbot-patho-") as tmp:
        pathological(Path(tmp), args.backend, args.timeout)
        happy_path(Path(tmp), args.backend, args.repeat)


if __name__ == "__main__":
    main()
