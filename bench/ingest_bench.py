"""Ingestion throughput end to end vs plain sentence-transformers `encode`, and re-ingest cost.

    python bench/ingest_bench.py [--passages 1000] [--backends onnx onnx@8 onnx-fp32]
                                 [--reingest-docs 1000]

1. Throughput: the generated corpus is parsed, cleaned and chunked once to get the exact passage
   texts the pipeline embeds; the baseline is `SentenceTransformer(model).encode(texts,
   batch_size=32)` in fp32 torch, timed before and after the end-to-end run (the machine is
   shared, so the two baseline runs bracket it). End to end is `Ingester.ingest` into a fresh data
   dir (parse, clean, chunk, embed, write vectors and index), for each backend once as shipped
   (every sentence is also embedded, for answering) and once embedding passages only. Model
   loading/export is timed separately and excluded from all rates.
2. Re-ingest: a 1,000-document folder is ingested once (fake embedder: the unchanged path never
   embeds; vector cache on, as with the real backends), then re-ingested unchanged, in process
   and as a fresh `sgbot ingest` process.
3. Edits: ten documents get a new paragraph; only new text is embedded (then the edit is undone).
4. `--lazy-query 10000 [--dense-units 40 20]`: answer latency on an index built with sentence
   vectors vs one built with passages only (sentences embedded on first use and cached), and
   with the answerer capped at N embedded sentences a question, its dev-set quality.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scale_common import REPO, build, corpus, machine, settings_for

from ingest.pipeline import Ingester
from knowledge.kb import KnowledgeBase, embedding_text


def pipeline_texts(folder: Path) -> tuple[list[str], int]:
    """The exact texts the pipeline embeds for `folder`, and their word count."""
    kb = KnowledgeBase(settings_for(Path(tempfile.mkdtemp()), "fake"))
    ingester = Ingester(kb)
    texts, words = [], 0
    for path in sorted(p for p in folder.iterdir() if p.suffix == ".txt"):
        _, passages, _ = ingester.build(path, str(path), "x", None, None)
        texts.extend(embedding_text(p) for p in passages)
        words += sum(len(p.text.split()) for p in passages)
    return texts, words


def baseline_seconds(texts: list[str]) -> float:
    from sentence_transformers import SentenceTransformer

    from knowledge.search.embedder import resolve_model_path
    from knowledge.settings import DEFAULT_MODEL

    model = SentenceTransformer(resolve_model_path(DEFAULT_MODEL), device="cpu")
    model.encode(texts[:32], batch_size=32)  # warm
    started = time.perf_counter()
    model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    return time.perf_counter() - started


def end_to_end(folder: Path, spec: str, models: Path, *, sentences: bool = True) -> dict:
    """One fresh ingest; `spec` is a backend, optionally with `@BATCH_SIZE` (e.g. `onnx@8`)."""
    backend, _, batch = spec.partition("@")
    overrides = {"embed_batch_size": int(batch)} if batch else {}
    data_dir = Path(tempfile.mkdtemp(prefix="sgbot-e2e-"))
    if models.is_dir():  # reuse the one-off ONNX export
        shutil.copytree(models, data_dir / "models")
    kb = KnowledgeBase(settings_for(data_dir, backend, **overrides), sentence_vectors=sentences)
    t0 = time.perf_counter()
    kb.embedder.embed_query("load the model")
    load = time.perf_counter() - t0
    started = time.perf_counter()
    report = Ingester(kb).ingest([folder])
    seconds = time.perf_counter() - started
    if backend.startswith("onnx"):  # keep exports (fp32, int8) for the next run
        shutil.copytree(data_dir / "models", models, dirs_exist_ok=True)
    result = {"seconds": seconds, "words": report.words, "passages": kb.index.passage_count(),
              "model_load_s": round(load, 1)}
    kb.index.close()
    shutil.rmtree(data_dir)
    return result


def throughput(passages: int, backends: list[str]) -> None:
    folder = corpus(passages)
    texts, words = pipeline_texts(folder)
    print(f"corpus: {len(texts)} passages, {words} words, {len(list(folder.glob('*.txt')))} files")
    models = folder.parent / "onnx-models"
    before = baseline_seconds(texts)
    print(f"baseline st-torch-fp32 encode (before): {before:.1f}s = {words / before:.0f} words/s "
          f"[{machine()}]")
    runs = []
    for backend in backends:
        for sentences, label in ((True, "passages + every sentence for answering"),
                                 (False, "passages only")):
            run = end_to_end(folder, backend, models, sentences=sentences)
            print(f"end to end ({backend}, {label}): {run['seconds']:.1f}s = "
                  f"{run['words'] / run['seconds']:.0f} words/s ({run['passages']} passages; "
                  f"model load {run['model_load_s']}s excluded) [{machine()}]")
            runs.append((f"{backend}, {'with sentences' if sentences else 'passages only'}", run))
    after = baseline_seconds(texts)
    print(f"baseline st-torch-fp32 encode (after):  {after:.1f}s = {words / after:.0f} words/s "
          f"[{machine()}]")
    base_rate = words / ((before + after) / 2)
    for label, run in runs:
        rate = run["words"] / run["seconds"]
        print(f"RESULT throughput {label}: end-to-end {rate:.0f} words/s vs baseline "
              f"{base_rate:.0f} words/s -> {rate / base_rate:.2f}x")


def lazy_query(passages: int) -> None:
    """Answer latency when sentences are not embedded at ingest: the answerer embeds the ones
    it scores on first use (and the cache keeps them), vs the default index that has them all."""
    import json

    folder = corpus(passages)
    for label, sentences in (("sentences embedded at ingest", True),
                             ("passages only at ingest, sentences on first use", False)):
        data_dir, built = build(folder, "onnx", label=f"{folder.name}-sv{int(sentences)}",
                                sentence_vectors=sentences)
        proc = subprocess.run([sys.executable, str(REPO / "bench" / "query_bench.py"), "--serve",
                               str(data_dir), "--backend", "onnx", "--passes", "3"],
                              capture_output=True, text=True, check=True)
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"RESULT ask at {result['passages']} passages, {label}: p50 {result['p50_ms']} ms, "
              f"p95 {result['p95_ms']} ms, first-pass p95 {result['first_pass_p95_ms']} ms "
              f"(index built in {built['seconds']}s incl. model export) "
              f"[{machine()}]")


def lazy_dense_units(passages: int, units: list[int]) -> None:
    """Sentences on first use only, with the answerer embedding at most `units` sentences a
    question (`ExtractiveAnswerer.max_dense_units`): dev-set quality and cold-cache latency."""
    from scale_common import DEV_QUESTIONS, SHARED, percentiles, questions

    from knowledge.evaluation import evaluate, load_questions

    built, _ = build(corpus(passages), "onnx", label=f"{corpus(passages).name}-sv0",
                     sentence_vectors=False)
    dev = Path(tempfile.mkdtemp(prefix="sgbot-lazy-"))
    shutil.copytree(built / "models", dev / "models")
    kb = KnowledgeBase(settings_for(dev, "onnx"), sentence_vectors=False)
    Ingester(kb).ingest([SHARED / "corpus" / "pdf"])
    for n in units:
        kb._answerer = None
        kb.answerer.max_dense_units = n
        m = evaluate(kb, load_questions(DEV_QUESTIONS)).metrics()
        print(f"RESULT dev set, sentences on first use, max_dense_units={n}: hit@3 {m['hit@3']} "
              f"answer@1 {m['answer@1']} abstention {m['abstention_rate_unanswerable']} "
              f"false abstention {m['false_abstention_rate']}")
    kb.index.close()
    shutil.rmtree(dev)
    for n in units:
        data_dir = Path(tempfile.mkdtemp(prefix="sgbot-lazy-")) / "kb"
        shutil.copytree(built, data_dir)
        (data_dir / "sentence-vectors.sqlite").unlink(missing_ok=True)  # cold: first use
        kb = KnowledgeBase(settings_for(data_dir, "onnx"))
        kb.answerer.max_dense_units = n
        for question in ("What is early help?", "Who funds the partnership?"):
            kb.ask(question)
        times = []
        for question in questions():
            started = time.perf_counter()
            kb.ask(question)
            times.append(1000 * (time.perf_counter() - started))
        print(f"RESULT ask at {kb.index.passage_count()} passages, sentences on first use, "
              f"max_dense_units={n}, first pass: {percentiles(times)} [{machine()}]")
        kb.index.close()
        shutil.rmtree(data_dir.parent)


def reingest(docs: int) -> None:
    folder = corpus(2 * docs, docs=docs)
    data_dir, built = build(folder, "fake", sentence_vectors=True)
    print(f"re-ingest corpus: {built['documents']} documents, {built['passages']} passages "
          f"(first ingest {built['seconds']}s)")
    kb = KnowledgeBase(settings_for(data_dir, "fake"), sentence_vectors=True)
    started = time.perf_counter()
    report = Ingester(kb).ingest([folder])
    in_process = time.perf_counter() - started
    assert report.count("unchanged") == built["documents"], "corpus changed under the benchmark"
    env = {**os.environ, "SGBOT_DATA_DIR": str(data_dir), "SGBOT_EMBED_BACKEND": "fake",
           "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", "--env-file", os.devnull, "ingest", str(folder),
                    "--quiet"], env=env, check=True, capture_output=True)
    cli = time.perf_counter() - started
    print(f"RESULT re-ingest unchanged {built['documents']} docs: {in_process:.2f}s in process, "
          f"{cli:.2f}s as a fresh `sgbot ingest` process")
    edits(kb, folder)
    kb.index.close()


def edits(kb: KnowledgeBase, folder: Path) -> None:
    counted = {"texts": 0}
    real = kb.embedder.embed_documents

    def counting(texts):
        counted["texts"] += len(texts)
        return real(texts)

    kb.embedder.embed_documents = counting
    files = sorted(folder.glob("*.txt"))[:10]
    originals = {p: p.read_text() for p in files}
    try:
        for p in files:
            p.write_text(originals[p] + f"\n\nA new paragraph about the neighbourhood hub pilot "
                         f"number {time.time_ns()}.\n")  # new text on every run
        report = Ingester(kb).ingest([folder])
        total = sum(r.passages for r in report.results if r.status == "updated")
        print(f"RESULT edit 10 docs ({total} passages): {counted['texts']} texts embedded "
              f"(new passages and sentences; the rest come from the cache)")
    finally:
        for p, text in originals.items():
            p.write_text(text)
    counted["texts"] = 0
    Ingester(kb).ingest([folder])
    print(f"RESULT revert the 10 edits: {counted['texts']} texts embedded")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ingestion throughput and re-ingest cost")
    parser.add_argument("--passages", type=int, default=1000)
    parser.add_argument("--backends", nargs="+", default=["onnx", "onnx@8", "onnx-fp32"],
                        help="onnx, onnx-fp32, torch or fake, each optionally @BATCH_SIZE")
    parser.add_argument("--reingest-docs", type=int, default=1000)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--lazy-query", type=int, metavar="PASSAGES",
                        help="only compare answer latency with and without ingest-time sentences")
    parser.add_argument("--dense-units", type=int, nargs="+", metavar="N",
                        help="with --lazy-query: also try these answerer max_dense_units")
    args = parser.parse_args(argv)
    print(f"# ingestion, {machine()}")
    if args.lazy_query:
        lazy_query(args.lazy_query)
        if args.dense_units:
            lazy_dense_units(args.lazy_query, args.dense_units)
        return 0
    if not args.skip_throughput:
        throughput(args.passages, args.backends)
    reingest(args.reingest_docs)
    print(machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
