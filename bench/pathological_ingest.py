"""Pathological ingestion: does a batch of hostile files finish, how fast, in how much memory?

    .venv/bin/python bench/pathological_ingest.py [--timeout S] [--backend fake|onnx] [--repeat N]

Builds the corpus of tests/ingest/pathological.py (broken-XML DOCX, truncated PDF, PDF with
20,000 nested arrays, unclosed-<p> and 12,000-deep-div HTML, UTF-16 with/without BOM, cp1252,
a 2 MB one-line Markdown file, binary .txt, empty file, folder symlink loop, good files) in a
temp dir and ingests it into a fresh data dir. Prints per-file outcome and seconds, the batch
time, and peak RSS summed over this process and its children (fork server and parser worker),
sampled every 20 ms. Then the happy path: the sample partnership (samples/) and the shared
corpus parsed through the worker vs in-process (parse only, interleaved rounds), which is
what isolation costs; storage and embedding are the same either way.
`--timeout 0.5` forces deadline kills on the slow files to time the kill-and-replace path.
"""

from __future__ import annotations

import argparse
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


def happy_path(repeat: int) -> None:
    """Parse-only cost of isolation on good files: the worker round trip vs in-process."""
    from ingest.chunker import SectionChunker
    from ingest.parse import ParseJob, parse_file
    from ingest.pipeline import discover
    from ingest.worker import ParseLimits, ParserPool
    from knowledge.settings import Settings

    folders = [REPO / "samples"] + [SHARED / name for name in ("pdf", "partnerships")
                                    if (SHARED / name).is_dir()]
    files, _ = discover(folders)
    limits = ParseLimits.from_settings(Settings.from_env({}, env_file=None))
    jobs = [ParseJob(path, SectionChunker(), limits.max_pages, limits.max_passages)
            for path in files]
    started = time.perf_counter()
    with ParserPool(limits) as pool:
        pool.parse(jobs[0])
        first = time.perf_counter() - started
    for job in jobs:  # imports and caches warm in this process too
        parse_file(job)
    in_process, worker = [], []
    for _ in range(repeat):  # interleaved, so machine load hits both alike
        started = time.perf_counter()
        for job in jobs:
            parse_file(job)
        in_process.append(time.perf_counter() - started)
        started = time.perf_counter()
        with ParserPool(limits) as pool:  # a fresh worker each round, forked warm
            for job in jobs:
                pool.parse(job)
        worker.append(time.perf_counter() - started)
    a, b = sorted(in_process)[repeat // 2], sorted(worker)[repeat // 2]
    print(f"## happy path, parse only: {len(jobs)} files of "
          f"{', '.join(f.name for f in folders)}, median of {repeat} interleaved rounds")
    print(f"  in-process {a:.2f}s, worker process {b:.2f}s: {(b - a) / len(jobs) * 1000:+.0f} ms "
          f"a file ({(b / a - 1) * 100:+.0f}%); first parse in a new process (fork server "
          f"start + preload) {first:.2f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=10.0, help="SGBOT_INGEST_TIMEOUT_S")
    parser.add_argument("--backend", default="fake", help="embedder (fake: parsing only)")
    parser.add_argument("--repeat", type=int, default=5, help="happy-path rounds per mode")
    args = parser.parse_args()
    happy_path(args.repeat)  # first, so its first parse times the fork server's cold start
    with tempfile.TemporaryDirectory(prefix="sgbot-patho-") as tmp:
        pathological(Path(tmp), args.backend, args.timeout)


if __name__ == "__main__":
    main()
