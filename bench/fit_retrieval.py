"""Fit the hybrid retriever's fusion constants (RRF k, dense:lexical weight, candidates).

    .venv/bin/python bench/fit_retrieval.py --data-dir /tmp/sgbot-quality

One index of every evaluation document (bench/answer_data.py builds or reuses it). Each
answerable question is retrieved exactly as `KnowledgeBase.ask` does (scope, glossary expansion,
8 passages) for every setting of a small grid; a hit is an expected evidence substring inside one
of the top 3 / top 8 passages. The setting is chosen on leave-documents-out folds (questions
grouped by their source document), so the reported figures are held out. Dense and lexical
rankings are memoised per query, so the grid costs one retrieval per query and candidate count.
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))

from answer_data import ensure_index, load_questions, open_kb  # noqa: E402

from knowledge.evaluation import evidence_found  # noqa: E402
from knowledge.search.glossary import expand_query  # noqa: E402
from knowledge.search.retriever import HybridRetriever  # noqa: E402
from knowledge.text import words  # noqa: E402

#: Passages `KnowledgeBase.ask` hands the answerer.
ASKED = 8
#: The grid: RRF k, dense weight relative to a lexical weight of 1, candidates per ranking.
RRF_KS, DENSE_RATIOS, CANDIDATES = (20, 60, 120), (0.5, 1.0, 2.0), (40, 80)
FOLDS = 5


class Memo:
    """Proxy that answers repeated `query`/`search` calls from memory."""

    def __init__(self, inner) -> None:
        self.inner, self.memo = inner, {}

    def _call(self, name, key, *args):
        full = (name, key)
        if full not in self.memo:
            self.memo[full] = getattr(self.inner, name)(*args)
        return self.memo[full]

    def query(self, vector, k, partnership=None, doc_types=None):
        key = (vector.tobytes(), k, partnership, tuple(doc_types or ()))
        return self._call("query", key, vector, k, partnership, doc_types)

    def search(self, terms, k, partnership=None, doc_types=None):
        key = (tuple(terms), k, partnership, tuple(doc_types or ()))
        return self._call("search", key, terms, k, partnership, doc_types)

    def passages(self, ids):
        return self._call("passages", tuple(ids), ids)


def prepared(kb, questions: list[dict]) -> list[dict]:
    """Per question, the arguments `KnowledgeBase.ask` passes the retriever (vectors cached)."""
    glossary, total, out = kb.glossary(), kb.index.passage_count(), []
    for q in questions:
        scope = kb.partnership_scope().decide(q["question"])
        expanded = expand_query(scope.query, glossary)
        out.append({
            "query": scope.query,
            "kwargs": dict(
                partnership=scope.partnership,
                query_vector=kb.embedder.embed_query(scope.query),
                expansion=expanded,
                expansion_vector=(kb.embedder.embed_query(expanded)
                                  if expanded and expanded != scope.query else None),
                doc_freq=kb.index.doc_freq(words(q["question"])), total=total),
        })
    return out


def hits(kb, questions, calls, setting, vectors, index) -> np.ndarray:
    """(questions, 2) booleans: evidence within the top 3 and the top 8 passages."""
    rrf_k, ratio, candidates = setting
    retriever = HybridRetriever(index, vectors, kb.embedder, candidates=candidates,
                                rrf_k=rrf_k, dense_weight=ratio, lexical_weight=1.0)
    out = np.zeros((len(questions), 2), dtype=bool)
    for row, (q, call) in enumerate(zip(questions, calls, strict=True)):
        found = retriever.retrieve(call["query"], ASKED, **call["kwargs"])
        where = [evidence_found(tuple(q["expect"]), s.passage.text) for s in found]
        out[row] = any(where[:3]), any(where)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/sgbot-quality"))
    args = parser.parse_args()
    ensure_index(args.data_dir)
    kb = open_kb(args.data_dir)
    questions = [q for q in load_questions()
                 if q.get("expect") and q.get("kind") != "unanswerable"]
    groups = np.array([f"{q['set']}:{q.get('source') or 'none'}" for q in questions])
    calls = prepared(kb, questions)
    vectors, index = Memo(kb.vectors), Memo(kb.index)
    defaults = {n: p.default for n, p in inspect.signature(HybridRetriever).parameters.items()}
    current = (defaults["rrf_k"], defaults["dense_weight"] / defaults["lexical_weight"],
               defaults["candidates"])
    grid = list(itertools.product(RRF_KS, DENSE_RATIOS, CANDIDATES))
    if current not in grid:
        grid.append(current)
    table = {s: hits(kb, questions, calls, s, vectors, index) for s in grid}
    print(f"{len(questions)} answerable questions, {len(set(groups))} source documents\n")
    print("| rrf_k | dense:lexical | candidates | hit@3 | hit@8 |\n|---|---|---|---|---|")
    for s in grid:
        mark = " (current)" if s == current else ""
        print(f"| {s[0]} | {s[1]} | {s[2]}{mark} | {table[s][:, 0].mean():.3f} "
              f"| {table[s][:, 1].mean():.3f} |")

    def chosen(rows: np.ndarray) -> tuple:
        """Best training hit@3, then hit@8; ties keep the current setting."""
        return max(grid, key=lambda s: (table[s][rows, 0].mean(), table[s][rows, 1].mean(),
                                        s == current))

    held = np.zeros((len(questions), 2), dtype=bool)
    print("\n| fold | held-out questions | chosen (k, ratio, cand) | hit@3 CV | hit@8 CV "
          "| hit@3 current | hit@8 current |\n|---|---|---|---|---|---|---|")
    for fold, (train, test) in enumerate(GroupKFold(FOLDS).split(questions, groups=groups)):
        pick = chosen(train)
        held[test] = table[pick][test]
        base = table[current][test]
        print(f"| {fold} | {len(test)} | {pick} | {held[test, 0].mean():.3f} "
              f"| {held[test, 1].mean():.3f} | {base[:, 0].mean():.3f} | {base[:, 1].mean():.3f} |")
    base = table[current]
    print(f"\nheld-out overall: hit@3 {held[:, 0].mean():.3f} hit@8 {held[:, 1].mean():.3f}; "
          f"current {current}: hit@3 {base[:, 0].mean():.3f} hit@8 {base[:, 1].mean():.3f}")
    sets = sorted({q["set"] for q in questions})
    for name in sets:
        rows = np.array([q["set"] == name for q in questions])
        print(f"  {name} ({rows.sum()}): CV hit@3 {held[rows, 0].mean():.3f} "
              f"hit@8 {held[rows, 1].mean():.3f}; current hit@3 {base[rows, 0].mean():.3f} "
              f"hit@8 {base[rows, 1].mean():.3f}")
    print(f"setting chosen on all questions: {chosen(np.arange(len(questions)))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
