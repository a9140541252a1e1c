"""Labelled answer candidates for the quality bench and the model fit, cached on disk.

One index holds every evaluation document (shared PDFs, shared partnership documents, the
repo's samples). Each question is asked through `KnowledgeBase.ask` with a recording answerer
that keeps the candidate sentences, their features, their composed quotes and whether each
holds the expected evidence. Fitting and cross-validation then replay `answerer.decide` on the
cached candidates without running the model again.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from knowledge.answering.answerer import Decision, ExtractiveAnswerer, decide  # noqa: E402
from knowledge.answering.features import FEATURES, Candidates  # noqa: E402
from knowledge.answering.model import AnswerModel  # noqa: E402
from knowledge.answering.question import question_type  # noqa: E402
from knowledge.evaluation import evidence_found  # noqa: E402
from knowledge.search.embedder import MIN_TOPIC_SIMILARITY  # noqa: E402
from knowledge.types import Answer  # noqa: E402

SHARED = REPO.parent / "shared"
#: Team-written training material: invented partnerships' documents (built from
#: bench/training/sources by scripts/build_samples.py) and questions on them.
TRAINING = REPO / "bench/training"
#: The evaluation index holds what the issue names (shared PDFs, shared partnership documents,
#: the samples); training questions are asked of a second index that also holds their own
#: documents, so the reported figures never gain or lose by the training documents' presence.
CORPORA = [SHARED / "corpus/pdf", SHARED / "corpus/partnerships", REPO / "samples"]
TRAINING_CORPORA = [*CORPORA, TRAINING / "docs"]
QUESTION_SETS = {
    "partnership": SHARED / "eval/partnership-questions.jsonl",
    "dev": SHARED / "eval/dev-questions.jsonl",
    "sample": REPO / "tests/fixtures/sample-questions.jsonl",
    "training": TRAINING / "questions",
}
#: Sets written by the team on its own documents; the others were written by nobody on it.
TEAM_WRITTEN = ("sample", "training")
#: Source files whose change invalidates the candidate cache.
FEATURE_CODE = ["knowledge/answering/*.py", "knowledge/search/*.py", "knowledge/kb.py",
                "knowledge/text.py"]


@dataclass
class Item:
    """One question with its candidates and labels."""

    set: str
    id: str
    question: str
    source: str
    qtype: str
    unanswerable: bool
    candidates: Candidates
    labels: np.ndarray  # composed quote holds the evidence
    passage_hits: np.ndarray  # retrieved passage holds the evidence
    seconds: float


def open_kb(data_dir: Path):
    from knowledge.kb import KnowledgeBase
    from knowledge.settings import Settings

    settings = Settings.from_env({}, env_file=None).with_overrides(data_dir=data_dir)
    return KnowledgeBase(settings)


def index_for(data_dir: Path, set_name: str) -> tuple[Path, list[Path]]:
    """The data dir and corpora of the index a question set is asked of."""
    if set_name == "training":
        return data_dir / "training-index", TRAINING_CORPORA
    return data_dir, CORPORA


def ensure_index(data_dir: Path, corpora: list[Path] = CORPORA) -> None:
    """Ingest every corpus (idempotent: documents already indexed unchanged are skipped)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    kb = open_kb(data_dir)
    from ingest.pipeline import Ingester

    started = time.perf_counter()
    report = Ingester(kb).ingest([c for c in corpora if c.exists()])
    print(f"{len(kb.documents())} documents indexed, checked in "
          f"{time.perf_counter() - started:.0f}s ({len(report.failed)} failed)")


class RecordingAnswerer(ExtractiveAnswerer):
    """Keeps the last question's candidates instead of answering."""

    last: Candidates | None = None
    retrieved: list = []

    def answer(self, question, retrieved, *, query_vector, weights, synonyms=None,
               suggestion=None):
        self.retrieved = list(retrieved)
        self.last = self.candidates(question, retrieved, query_vector=query_vector,
                                    weights=weights, synonyms=synonyms) if retrieved else None
        return Answer(question, "", True, 0.0, (), suggestion)


def question_files(path: Path) -> list[Path]:
    """A question set is one JSONL file or a folder of them (one per training document)."""
    if path.is_dir():
        return sorted(path.glob("*.jsonl"))
    return [path] if path.exists() else []


def load_questions() -> list[dict]:
    out = []
    for name, path in QUESTION_SETS.items():
        for file in question_files(path):
            for line in file.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    item = json.loads(line)
                    item["set"] = name
                    out.append(item)
    return out


def _cache_key(questions: list[dict]) -> str:
    digest = hashlib.sha256(json.dumps(questions, sort_keys=True).encode())
    for corpus in TRAINING_CORPORA:  # a document added or changed changes the index
        for path in sorted(corpus.glob("*")) if corpus.exists() else ():
            digest.update(f"{path.name}:{path.stat().st_size}".encode())
    for pattern in FEATURE_CODE:  # every module of a stage: a new check needs no listing
        for path in sorted(REPO.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def collect(data_dir: Path, *, refresh: bool = False) -> list[Item]:
    """Candidates for every question, from the cache when the code and questions are unchanged."""
    questions = load_questions()
    cache = data_dir / f"answer-candidates-{_cache_key(questions)}.pkl"
    if cache.exists() and not refresh:
        return pickle.loads(cache.read_bytes())
    items: list[Item] = []
    for set_name in dict.fromkeys(q["set"] for q in questions):
        directory, corpora = index_for(data_dir, set_name)
        ensure_index(directory, corpora)
        items += _ask_all(directory, [q for q in questions if q["set"] == set_name])
    for old in data_dir.glob("answer-candidates-*.pkl"):
        old.unlink()
    cache.write_bytes(pickle.dumps(items))
    return items


def _ask_all(data_dir: Path, questions: list[dict]) -> list[Item]:
    """Each question asked through the real `KnowledgeBase.ask`, its candidates recorded."""
    kb = open_kb(data_dir)
    # candidates need no fitted model (and the shipped one may predate a feature change)
    n = len(FEATURES)
    unfitted = AnswerModel(FEATURES, np.zeros(n), np.ones(n), np.zeros(n), 0.0)
    recorder = RecordingAnswerer(kb.cached_embedder, min_confidence=kb.settings.min_confidence,
                                 model=unfitted)
    if not kb.sentence_vectors:
        with mock.patch("knowledge.answering.answerer.load_model", return_value=unfitted):
            recorder.max_dense_units = kb.answerer.max_dense_units
    kb._answerer = recorder
    items = []
    for q in questions:
        expect = tuple(q.get("expect") or ())
        unanswerable = q.get("kind") == "unanswerable" or not expect
        started = time.perf_counter()
        kb.ask(q["question"])
        seconds = time.perf_counter() - started
        found = recorder.last or Candidates([], np.zeros((0, 0)), [], np.zeros(0, bool), 0)
        labels = np.array([not unanswerable and evidence_found(expect, t)
                           for t in found.composed], dtype=bool)
        hits = np.array([not unanswerable and evidence_found(expect, s.passage.text)
                         for s in recorder.retrieved], dtype=bool)
        items.append(Item(q["set"], q["id"], q["question"], str(q.get("source") or "none"),
                          "unanswerable" if unanswerable else question_type(q["question"]),
                          unanswerable, found, labels, hits, seconds))
    return items


@dataclass
class Outcome:
    item: Item
    decision: Decision

    @property
    def abstained(self) -> bool:
        return self.decision.row is None

    @property
    def hit(self) -> bool:
        return self.decision.row is not None and bool(self.item.labels[self.decision.row])

    @property
    def rank(self) -> int | None:
        for position, passage in enumerate(self.decision.order[:3], start=1):
            if self.item.passage_hits[passage]:
                return position
        return None

    @property
    def quote(self) -> str:
        row = self.decision.row
        return "" if row is None else self.item.candidates.composed[row]


def replay(items: list[Item], model, threshold: float) -> list[Outcome]:
    """`decide` on each question's recorded candidates, as `KnowledgeBase.ask` with the default
    (MiniLM) embedder would: its topic floor included."""
    out = []
    for item in items:
        if not item.candidates.units:
            out.append(Outcome(item, Decision(None, 0.0, [], {})))
        else:
            out.append(Outcome(item, decide(item.candidates, model, threshold,
                                           MIN_TOPIC_SIMILARITY)))
    return out


def metrics(outcomes: list[Outcome]) -> dict:
    answerable = [o for o in outcomes if not o.item.unanswerable]
    unanswerable = [o for o in outcomes if o.item.unanswerable]
    n = len(answerable)

    def share(values, total):
        return round(sum(values) / total, 4) if total else None

    return {
        "questions": len(outcomes), "answerable": n, "unanswerable": len(unanswerable),
        "hit@1": share([o.rank == 1 for o in answerable], n),
        "hit@3": share([o.rank is not None for o in answerable], n),
        "answer@1": share([o.hit for o in answerable], n),
        "mrr": round(sum(1 / o.rank for o in answerable if o.rank) / n, 4) if n else None,
        "abstention_rate_unanswerable": share([o.abstained for o in unanswerable],
                                              len(unanswerable)),
        "false_abstention_rate": share([o.abstained for o in answerable], n),
    }


def groups(items: list[Item], unanswerable_buckets: int) -> np.ndarray:
    """Fold groups: a question's source document; unanswerable ones spread over buckets."""
    out = []
    for index, item in enumerate(items):
        if item.unanswerable or item.source == "none":
            out.append(f"unanswerable-{index % unanswerable_buckets}")
        else:
            out.append(f"{item.set}:{item.source}")
    return np.array(out)
