"""Learning summaries on the shared real corpus, with the real embedding model.

    .venv/bin/python bench/learning_bench.py [--corpus ../shared/corpus/pdf] [--data-dir DIR]

Ingests the corpus into a temporary data dir (default settings: torch backend, default model),
summarises a few themes and prints, per theme, the points (truncated, for a human to judge) and
how many of them cite a document a reader would expect for that theme.

Expectations were decided by reading the shared documents (file-name prefixes):
  000 Norfolk annual report cover paper (HWB)      001 Nottingham City annual report 2022/23
  002 North Somerset LSCB annual report 2016/17    003 Norfolk multi-agency arrangements (MASA)
  004 Norfolk children-in-care council's annual report (young people's view, practice reviews)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

#: theme -> file prefixes whose documents substantially discuss it.
EXPECTED: dict[str, tuple[str, ...]] = {
    "neglect": ("001", "002", "004"),            # priorities/strategy; not in 000 or 003
    "exploitation": ("001", "002", "004"),       # CSE/CCE priorities and audits
    "rapid reviews": ("003", "004", "002"),      # RR/CSPR process; 002 on serious case reviews
    "training": ("004", "003", "002"),           # multi-agency training offer and evaluation
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "pdf")
    parser.add_argument("--data-dir", type=Path, help="reuse/keep an ingested data dir")
    parser.add_argument("--themes", nargs="*", default=list(EXPECTED))
    args = parser.parse_args(argv)

    from ingest.pipeline import Ingester
    from knowledge.kb import KnowledgeBase
    from knowledge.learning import LearningSummariser
    from knowledge.settings import Settings

    tmp = None
    data_dir = args.data_dir
    if data_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="learning-bench-")
        data_dir = Path(tmp.name) / "data"
    settings = Settings.from_env({}, env_file=None).with_overrides(data_dir=data_dir)
    kb = KnowledgeBase(settings)
    started = time.perf_counter()
    report = Ingester(kb).ingest([args.corpus])
    print(f"ingest: {len(report.results)} files, {kb.index.passage_count()} passages, "
          f"{time.perf_counter() - started:.1f}s (backend {settings.embed_backend})")

    summariser = LearningSummariser(kb)
    started = time.perf_counter()
    themes = summariser.themes()
    print(f"themes: {len(themes)} listed in {time.perf_counter() - started:.2f}s; top: "
          + ", ".join(f"{t.theme} ({t.passages})" for t in themes[:8]))
    summariser.summarise("warm-up")  # load the model outside the timings
    rows = []
    for theme in args.themes:
        started = time.perf_counter()
        summary = summariser.summarise(theme)
        seconds = time.perf_counter() - started
        expected = EXPECTED.get(theme, ())
        prefixes = [Path(p.citation.source).name[:3] for p in summary.points]
        hits = sum(prefix in expected for prefix in prefixes)
        docs = sorted(set(prefixes))
        covered = sorted(set(prefixes) & set(expected))
        print(f"\n== {theme}: {len(summary.points)} points, thin={summary.thin}, "
              f"{hits}/{len(summary.points)} cite expected documents {expected}, "
              f"documents cited {docs}, {seconds:.2f}s")
        for point in summary.points:
            prefix = Path(point.citation.source).name[:3]
            mark = "+" if prefix in expected else "-"
            text = point.text.replace("\n", " ")
            print(f"  {mark} [{prefix} {point.citation.doc_type}, p.{point.citation.page}] "
                  f"{text[:150]}{'…' if len(text) > 150 else ''}")
        rows.append((theme, len(summary.points), hits, len(covered), len(expected), seconds))
    print("\n| theme | points | cite expected docs | expected docs covered | seconds |")
    print("|---|---|---|---|---|")
    for theme, n, hits, covered, expected, seconds in rows:
        print(f"| {theme} | {n} | {hits}/{n} | {covered}/{expected} | {seconds:.2f} |")
    total = sum(r[1] for r in rows)
    print(f"overall: {sum(r[2] for r in rows)}/{total} points cite an expected document")
    if tmp is not None:
        kb.index.close()
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
