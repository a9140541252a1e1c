"""Partnership scoping (issue 13): the regional eval with scoping off and on, same index.

Ingests ../shared/corpus/pdf, ../shared/corpus/partnerships and samples/ into one fresh data
directory (as a county deployment holds them), then answers every question twice in-process:
with the partnership scope emptied (no names recognised: the behaviour before scoping) and
with it. Prints answer@1, hit@3, abstentions, and how many answers (and first citations) come
from another partnership than the question's `source` document (labels as the index infers).

    .venv/bin/python bench/partnership_scope.py [--data-dir DIR] [--backend onnx|torch|fake]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = (SHARED / "corpus/pdf", SHARED / "corpus/partnerships", REPO / "samples")
QUESTION_SETS = (SHARED / "eval/partnership-questions.jsonl", SHARED / "eval/dev-questions.jsonl")


def ingest(data_dir: Path, backend: str | None) -> None:
    env = {**os.environ, "SGBOT_DATA_DIR": str(data_dir), "SGBOT_LOG_LEVEL": "WARNING"}
    if backend:
        env["SGBOT_EMBED_BACKEND"] = backend
    subprocess.run([sys.executable, "-m", "bot", "--env-file", "/nonexistent", "ingest",
                    "--quiet", *map(str, CORPORA)], env=env, check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL)


def partnership_of_source(kb) -> dict[str, str]:
    """File stem -> the partnership the index gives that document."""
    return {Path(d.source).stem: d.partnership for d in kb.documents()}


def expected_partnership(source: str | None, by_stem: dict[str, str]) -> str | None:
    if not source or source == "none":
        return None
    matches = {p for stem, p in by_stem.items() if stem == source or stem.startswith(source + "_")}
    return matches.pop() if len(matches) == 1 else None


def score(kb, questions, by_stem: dict[str, str], sources: dict[str, str | None]) -> dict:
    from knowledge.evaluation import evaluate

    summary = evaluate(kb, questions)
    metrics = summary.metrics()
    wrong = scoped = wrong_scope = answered = top_wrong = 0
    for result in summary.results:
        expected = expected_partnership(sources.get(result.question.id), by_stem)
        answer = result.answer
        scoped += answer.partnership is not None
        if expected is None:
            continue
        wrong_scope += answer.partnership is not None and answer.partnership != expected
        if answer.citations:
            top_wrong += by_stem.get(Path(answer.citations[0].source).stem) != expected
        if answer.abstained or not answer.citations:
            continue
        answered += 1
        cited = answer.citations[answer.answer_citation or 0]
        wrong += by_stem.get(Path(cited.source).stem) != expected
    return {**metrics, "answered_with_source": answered, "wrong_partnership": wrong,
            "top_citation_wrong_partnership": top_wrong,
            "scoped": scoped, "scoped_to_wrong": wrong_scope}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path,
                        help="a data directory: used as it is if it exists, else ingested into")
    parser.add_argument("--backend", help="embedding backend (default: the settings' default)")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    import json

    from knowledge.evaluation import load_questions
    from knowledge.kb import KnowledgeBase
    from knowledge.search.scope import PartnershipScope
    from knowledge.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        if not data_dir.exists():
            ingest(data_dir, args.backend)
        settings = Settings.from_env(env_file=None).with_overrides(data_dir=data_dir)
        if args.backend:
            settings = settings.with_overrides(embed_backend=args.backend)
        kb = KnowledgeBase(settings)
        by_stem = partnership_of_source(kb)
        placeholder = sum(p == settings.partnership for p in by_stem.values())
        print(f"documents: {len(by_stem)}; partnerships: {len(set(by_stem.values()))}; "
              f"labelled with the placeholder {settings.partnership!r}: {placeholder}")
        for path in QUESTION_SETS:
            questions = load_questions(path)
            sources = {str(json.loads(line).get("id")): json.loads(line).get("source")
                       for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
            rows = {}
            scope = kb.partnership_scope
            kb.partnership_scope = lambda: PartnershipScope([])  # scoping off: no names known
            rows["off"] = score(kb, questions, by_stem, sources)
            kb.partnership_scope = scope
            rows["on"] = score(kb, questions, by_stem, sources)
            print(f"\n{path.name} ({len(questions)} questions)")
            keys = ("hit@1", "hit@3", "answer@1", "mrr", "abstention_rate_unanswerable",
                    "false_abstention_rate", "answered_with_source", "wrong_partnership",
                    "top_citation_wrong_partnership",
                    "scoped", "scoped_to_wrong", "mean_seconds")
            print(f"{'':>31}  {'off':>8}  {'on':>8}")
            for key in keys:
                print(f"{key:>31}  {rows['off'][key]!s:>8}  {rows['on'][key]!s:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
