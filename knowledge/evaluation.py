"""Batch evaluation over a questions file (format of shared/eval/dev-questions.jsonl)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.errors import InvalidArgument
from knowledge.text import match_key
from knowledge.types import Answer


@dataclass(frozen=True)
class EvalQuestion:
    id: str
    question: str
    expect: tuple[str, ...]
    unanswerable: bool


@dataclass
class EvalResult:
    question: EvalQuestion
    answer: Answer
    rank: int | None  # 1-based rank of the first citation holding the evidence
    answer_hit: bool
    seconds: float


@dataclass
class EvalSummary:
    results: list[EvalResult] = field(default_factory=list)

    def _answerable(self) -> list[EvalResult]:
        return [r for r in self.results if not r.question.unanswerable]

    def metrics(self) -> dict[str, float | int | None]:
        answerable = self._answerable()
        unanswerable = [r for r in self.results if r.question.unanswerable]
        n = len(answerable)

        def share(values: list[bool], total: int) -> float | None:
            return round(sum(values) / total, 4) if total else None

        return {
            "questions": len(self.results),
            "answerable": n,
            "unanswerable": len(unanswerable),
            "hit@1": share([r.rank == 1 for r in answerable], n),
            "hit@3": share([r.rank is not None and r.rank <= 3 for r in answerable], n),
            "answer@1": share([r.answer_hit for r in answerable], n),
            "mrr": round(sum(1 / r.rank for r in answerable if r.rank) / n, 4) if n else None,
            "abstention_rate_unanswerable": share([r.answer.abstained for r in unanswerable],
                                                  len(unanswerable)),
            "false_abstention_rate": share([r.answer.abstained for r in answerable], n),
            "mean_seconds": round(sum(r.seconds for r in self.results) / len(self.results), 4)
            if self.results else None,
        }


def load_questions(path: Path) -> list[EvalQuestion]:
    questions = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InvalidArgument(f"cannot read questions file {path}: {exc.strerror or exc}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            questions.append(EvalQuestion(
                id=str(item.get("id", number)), question=item["question"],
                expect=tuple(item.get("expect") or ()),
                unanswerable=item.get("kind") == "unanswerable" or not item.get("expect"),
            ))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InvalidArgument(f"{path}:{number}: not a question object ({exc})") from exc
    return questions


def evidence_found(expect: tuple[str, ...], text: str) -> bool:
    haystack = match_key(text)
    return any(match_key(e) in haystack for e in expect if e.strip())


def evaluate(kb, questions: list[EvalQuestion], *, partnership: str | None = None) -> EvalSummary:
    import time

    summary = EvalSummary()
    for q in questions:
        started = time.perf_counter()
        answer = kb.ask(q.question, partnership=partnership)
        elapsed = time.perf_counter() - started
        rank = None
        for position, citation in enumerate(answer.citations, start=1):
            if evidence_found(q.expect, citation.text):
                rank = position
                break
        answer_hit = bool(answer.answer) and not answer.abstained and evidence_found(q.expect,
                                                                                    answer.answer)
        summary.results.append(EvalResult(q, answer, rank, answer_hit, elapsed))
    return summary
