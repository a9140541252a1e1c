"""Is the sentence ranker's model family the limit? Logistic vs gradient-boosted trees, grouped CV.

    .venv/bin/python bench/ranker_families.py --data-dir /tmp/sgbot-quality

Same cached candidates as `quality.py`, same leave-documents-out folds; each family is fitted on
the other folds' questions and scored by answer@1 before any confidence threshold (the best
verified sentence holds the evidence), so only the ranking is compared. If trees, which can
weigh interactions the logistic model cannot (type match x similarity, ...), do no better, the
features, not the model over them, bound the ranking.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))

from answer_data import Item, collect, groups  # noqa: E402
from fit_answer_model import OUTER_FOLDS, fit_scorer  # noqa: E402

#: Tree settings compared: shallow and slow-learning, as ~110 training questions allow.
TREES = ({"n_estimators": 100, "max_depth": 2}, {"n_estimators": 200, "max_depth": 3})


def logistic(train: list[Item]):
    return fit_scorer(train).scores


def trees(params: dict):
    def fit(train: list[Item]):
        rows = [i for i in train if i.candidates.units]
        x = np.vstack([i.candidates.matrix for i in rows])
        y = np.concatenate([i.labels for i in rows])
        model = GradientBoostingClassifier(**params, learning_rate=0.05, subsample=0.8,
                                           random_state=0).fit(x, y)
        return model.decision_function
    return fit


def answer_at_1(items: list[Item], fit) -> dict[str, float]:
    right: dict[int, bool] = {}
    folds = GroupKFold(n_splits=OUTER_FOLDS).split(np.zeros(len(items)),
                                                   groups=groups(items, OUTER_FOLDS))
    for train, test in folds:
        score = fit([items[i] for i in train])
        for i in test:
            item = items[i]
            if item.unanswerable:
                continue
            found = item.candidates
            verified = np.flatnonzero(found.verified) if found.units else []
            if not len(verified) or found.asks_unknown_name:
                right[i] = False
                continue
            s = score(found.matrix)
            right[i] = bool(item.labels[int(verified[np.argmax(s[verified])])])
    return {name: float(np.mean([v for i, v in right.items() if items[i].set == name]))
            for name in sorted({items[i].set for i in right})}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/sgbot-quality"))
    args = parser.parse_args()
    items = collect(args.data_dir)
    families = {"logistic (shipped)": logistic}
    families |= {f"trees {p['n_estimators']}x depth {p['max_depth']}": trees(p) for p in TREES}
    print("| ranker | " + " | ".join(sorted({i.set for i in items})) + " |")
    print("|---|" + "---|" * len({i.set for i in items}))
    for name, fit in families.items():
        figures = answer_at_1(items, fit)
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in figures.values()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
