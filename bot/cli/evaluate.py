"""`sgbot eval QUESTIONS.jsonl [--json]`: quality figures for the current index."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("eval", help="evaluate answers against a questions file")
    p.add_argument("questions", type=Path, help="JSONL: {id, question, expect, kind?}")
    p.add_argument("--json", action="store_true", help="also print every answer and citation")
    p.add_argument("--partnership", help="only this partnership's documents (its full name, "
                   "place or acronym, any case)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.cli.common import open_kb, settings_from
    from knowledge.evaluation import evaluate, load_questions

    settings = settings_from(args)
    kb = open_kb(settings)
    summary = evaluate(kb, load_questions(args.questions), partnership=args.partnership)
    metrics = summary.metrics()
    if args.json:
        payload = {"metrics": metrics, "questions": [
            {"id": r.question.id, "expect": list(r.question.expect), "rank": r.rank,
             "answer_hit": r.answer_hit, "seconds": round(r.seconds, 4), **r.answer.to_dict()}
            for r in summary.results]}
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for r in summary.results:
        mark = "abstain" if r.answer.abstained else ("ok" if r.answer_hit else "miss")
        print(f"{r.question.id:>6}  rank={r.rank or '-':<2} {mark:<8} "
              f"conf={r.answer.confidence:.2f}  {r.question.question}")
    print()
    for key, value in metrics.items():
        print(f"{key:>30}: {value}")
    return 0
