"""What abstentions show: passages only when they are about the question.

Every question is forced to abstain (min confidence 1.0) so the passage filter
(`knowledge/answering/abstention.py`) is measured on all of them, with the real model. Questions
are invented here: off-topic ones (nothing in any partnership's documents is about them) are
asked of the fictional sample corpus and of the shared dev corpus; on-topic ones whose detail is
not in the documents are asked of the sample corpus, each with a word its subject's passages
contain. Prints, per set: questions showing any passage before the filter and after it, and
for on-topic questions the share of shown passages that are about the subject.

    .venv/bin/python bench/abstention_bench.py [--backend onnx|torch]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

OFF_TOPIC = [
    "What is the capital of France?",
    "How do I bake sourdough bread?",
    "Who won the football World Cup in 2018?",
    "What is the best way to learn Spanish?",
    "How do I reset my broadband router?",
    "What time does the supermarket close on Sundays?",
    "What is the boiling point of water in Fahrenheit?",
    "Can you recommend a good science fiction novel?",
    "how tall is mount everest",
    "What's the weather like in Lisbon in May?",
    "Which team won the county cricket championship in 2024?",
    "Who won the football league in 2023?",
    "What is the best recipe for banana bread?",
    "How do I reset my email password?",
    "who is the prime minister?",
    "how many goals did the striker score?",
    "When is the next bank holiday?",
    "how do i claim expenses for mileage",
    "Where can I park at the hospital?",
    "What's the wifi password?",
    "How do I book annual leave?",
    "who designed the company logo",
    "What is the speed limit on a motorway?",
    "how many calories in a pizza",
]
#: (question, a word the passages about its subject contain) for the sample corpus.
ON_TOPIC = [
    ("What is the annual budget of the Safeguarding Practice Review Group?", "practice review"),
    ("What is the salary of the independent scrutineer?", "scrutin"),
    ("What was Baby K's birth weight?", "baby k"),
    ("Who designed the seven-minute briefing template?", "seven-minute"),
    ("How many staff work in the neglect strategy team?", "neglect"),
    ("When will the threshold guidance next be translated into Welsh?", "threshold"),
    ("How many professional disagreements were escalated to stage three last year?",
     "disagree"),
    ("What software does the MASH use to record contacts?", "mash"),
]
CORPORA = {"sample": REPO / "samples", "shared dev": REPO.parent / "shared" / "corpus" / "pdf"}


def open_kb(corpus: Path, data_dir: Path, backend: str):
    from ingest.pipeline import Ingester
    from knowledge.kb import KnowledgeBase
    from knowledge.settings import Settings

    settings = Settings.from_env({}, env_file=None).with_overrides(
        data_dir=data_dir, embed_backend=backend, min_confidence=1.0)
    kb = KnowledgeBase(settings)
    report = Ingester(kb).ingest([corpus])
    if report.failed:
        raise SystemExit(f"ingest failed: {[r.reason for r in report.failed]}")
    return kb


def unfiltered(kb, question: str):
    """The citations the answerer returned, before the abstention filter (for 'before')."""
    import knowledge.kb as kb_module

    original = kb_module.shape_abstention
    kb_module.shape_abstention = lambda answer, *a, **k: answer
    try:
        return kb.ask(question).citations
    finally:
        kb_module.shape_abstention = original


def best_coverage(kb, question: str, citations) -> float:
    """The highest subject coverage among a question's citations (what the filter compares)."""
    from knowledge.answering.abstention import subject_coverage
    from knowledge.text import words

    glossary = kb.glossary()
    synonyms = {acronym: [expansion] for acronym, expansion in glossary.items()}
    for acronym, expansion in glossary.items():
        synonyms.setdefault(expansion, []).append(acronym)
    doc_freq = kb.index.doc_freq(words(question))
    total = kb.index.passage_count()
    return max((subject_coverage(question, f"{c.section or ''} {c.text}", doc_freq, total,
                                 synonyms=synonyms, context=c.title) for c in citations),
               default=0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="onnx", choices=("onnx", "onnx-fp32", "torch"))
    args = parser.parse_args()
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp:
        for name, corpus in CORPORA.items():
            if not corpus.is_dir():
                print(f"## {name}: {corpus} missing, skipped")
                continue
            kb = open_kb(corpus, Path(tmp) / name, args.backend)
            sets = [("off-topic", [(q, None) for q in OFF_TOPIC])]
            if name == "sample":
                sets.append(("on-topic, detail missing", ON_TOPIC))
            for label, questions in sets:
                before = after = about = shown = 0
                coverages = []
                started = time.perf_counter()
                for question, subject in questions:
                    raw = unfiltered(kb, question)
                    before += bool(raw)
                    coverages.append(best_coverage(kb, question, raw))
                    answer = kb.ask(question)
                    assert answer.abstained
                    after += bool(answer.citations)
                    for citation in answer.citations:
                        shown += 1
                        text = f"{citation.section or ''} {citation.text}".lower()
                        about += bool(subject and subject in text)
                ms = 1000 * (time.perf_counter() - started) / (2 * len(questions))
                line = (f"{name} corpus, {label} ({len(questions)} questions): passages shown "
                        f"before the filter {before}/{len(questions)}, after {after}/"
                        f"{len(questions)}")
                if label.startswith("on-topic"):
                    line += f"; shown passages about the subject {about}/{shown}"
                print(f"{line}; {ms:.0f} ms/question")
                print(f"    best subject coverage per question: "
                      f"{' '.join(f'{c:.2f}' for c in sorted(coverages))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
