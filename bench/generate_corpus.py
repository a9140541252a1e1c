"""Scale the shared development corpus to N passages of distinct text, reproducibly by seed.

Each generated document is a slice of one seed document (../shared/corpus/seeds/*.txt; the
PDFs under pdf/ are renderings of the same text) re-attributed to a synthetic partnership, with
its wording perturbed: word substitutions, sentences shuffled within paragraphs, numbers changed.
Output goes to a folder outside the repo (the shared documents must not be copied into it).

    python bench/generate_corpus.py --passages 10000 --out /tmp/corpus-10k [--docs 150] [--seed 7]

Passage counts are calibrated by running the real cleaner and chunker over the seeds, so the
ingested corpus lands near the target; the benchmarks report the count actually indexed.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"

_PLACES = ("Ash", "Bramble", "Cinder", "Dun", "Elder", "Fen", "Gorse", "Harrow", "Ivy", "Juniper",
           "Kestrel", "Lark", "Marl", "Nettle", "Oak", "Pike", "Quarry", "Rush", "Sedge", "Thorn",
           "Umber", "Vale", "Wold", "Yarrow", "Alder", "Birch", "Clover", "Dale", "Ember", "Flint")
_SUFFIXES = ("shire", "moor", "ford", "ham", "ton", "bury", "field", "wick", "dale", "mouth")
_KINDS = ("County", "City", "Borough", "")

#: Source names (longest first) and what they become; {p} is the partnership place name.
_NAMES = (
    ("Nottingham City", "{p} {kind}"), ("North Somerset", "{p}"), ("NORTH SOMERSET", "{P}"),
    ("Nottingham", "{p}"), ("Norfolk", "{p}"), ("norfolk", "{lp}"), ("nottingham", "{lp}"),
    ("NSSCB", "{a}SCB"), ("NCSCP", "{a}CSCP"), ("NSCP", "{a}SCP"), ("Waveney", "{w}"),
)

_SUBSTITUTIONS = {
    "children": "young people", "ensure": "make sure", "support": "help", "work": "activity",
    "important": "key", "improve": "strengthen", "partners": "agencies", "report": "account",
    "priorities": "aims", "review": "examination", "help": "assistance", "staff": "workers",
    "families": "households", "effective": "successful", "develop": "build", "group": "panel",
    "meeting": "session", "through": "via", "continue": "keep", "provide": "offer",
    "training": "learning", "services": "provision", "practitioners": "professionals",
    "identify": "spot", "across": "throughout", "plan": "programme", "board": "committee",
    "information": "intelligence", "community": "neighbourhood", "increase": "rise",
}
_WORD = re.compile(r"\b([A-Za-z]+)\b")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True)
class Seed:
    name: str
    paragraphs: list[str]
    passages: int  # what the real pipeline makes of the whole seed


def load_seeds(folder: Path = SEEDS) -> list[Seed]:
    """Seed documents with their passage counts under the current cleaner and chunker."""
    sys.path.insert(0, str(REPO))
    from ingest.chunker import SectionChunker
    from ingest.cleaning import clean
    from ingest.loaders import load

    seeds = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
        passages = len(SectionChunker().chunk(clean(load(path))))
        seeds.append(Seed(path.stem, paragraphs, max(passages, 1)))
    if not seeds:
        raise SystemExit(f"no seed documents in {folder}")
    return seeds


class Perturber:
    """Reproducible rewording of one document for one synthetic partnership."""

    def __init__(self, rng: random.Random, substitute: float = 0.35, shuffle: float = 0.5) -> None:
        self.rng = rng
        self.substitute = substitute
        self.shuffle = shuffle

    def partnership(self, number: int) -> dict[str, str]:
        place = (self.rng.choice(_PLACES) + self.rng.choice(_SUFFIXES)
                 + ("" if number < 300 else f" {number // 300}"))
        kind = self.rng.choice(_KINDS)
        initials = "".join(w[0] for w in place.split()).upper() + self.rng.choice("ABCDEFGHKLMN")
        return {"p": place, "P": place.upper(), "lp": place.lower(), "kind": kind or "District",
                "a": initials, "w": self.rng.choice(_PLACES) + "vale"}

    def rewrite(self, paragraphs: list[str], names: dict[str, str]) -> str:
        out = []
        for paragraph in paragraphs:
            for source, target in _NAMES:
                paragraph = paragraph.replace(source, target.format(**names))
            paragraph = _WORD.sub(self._word, paragraph)
            paragraph = _NUMBER.sub(self._number, paragraph)
            sentences = _SENTENCE.split(paragraph)
            if len(sentences) > 2 and self.rng.random() < self.shuffle:
                head, tail = sentences[0], sentences[1:]
                self.rng.shuffle(tail)
                paragraph = " ".join([head, *tail])
            out.append(paragraph)
        return "\n\n".join(out)

    def _word(self, match: re.Match) -> str:
        word = match.group(1)
        replacement = _SUBSTITUTIONS.get(word.lower())
        if replacement is None or self.rng.random() > self.substitute:
            return word
        return replacement.capitalize() if word[0].isupper() else replacement

    def _number(self, match: re.Match) -> str:
        text = match.group(0)
        if "," in text or "." in text:
            return text  # money and decimals keep their shape
        value = int(text)
        if 1990 <= value <= 2030:
            return str(value + self.rng.randint(-3, 3))
        if value < 3:
            return text
        return str(max(1, round(value * self.rng.uniform(0.6, 1.5))))


def generate(out: Path, passages: int, *, docs: int | None = None, seed: int = 7) -> dict:
    """Write documents totalling about `passages` passages into `out`; returns a summary."""
    if passages < 1:
        raise SystemExit(f"--passages must be >= 1, got {passages}")
    started = time.perf_counter()
    seeds = load_seeds()
    per_doc = passages / docs if docs else None
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    words, estimate, number = 0, 0.0, 0
    while (number < docs) if docs else (estimate < passages):
        source = seeds[number % len(seeds)]
        share = 1.0 if per_doc is None else min(1.0, per_doc / source.passages)
        count = max(1, round(len(source.paragraphs) * share))
        estimate += source.passages * count / len(source.paragraphs)
        start = rng.randint(0, len(source.paragraphs) - count)
        perturber = Perturber(rng)
        names = perturber.partnership(number)
        title = f"{names['p']} Safeguarding Children Partnership {source.name[:3]}-{number:05d}"
        body = perturber.rewrite(source.paragraphs[start:start + count], names)
        text = f"{title}\n\n{body}\n"
        words += len(text.split())
        (out / f"{number:05d}-{names['lp'].replace(' ', '-')}.txt").write_text(text,
                                                                             encoding="utf-8")
        number += 1
    docs = number
    return {"documents": docs, "words": words, "target_passages": passages,
            "estimated_passages": round(estimate), "seed": seed,
            "seconds": round(time.perf_counter() - started, 2), "out": str(out)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, required=True, help="target passage count")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (outside repo)")
    parser.add_argument("--docs", type=int, help="number of documents (default: seed-sized)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (reproducible output)")
    args = parser.parse_args(argv)
    if args.out.resolve().is_relative_to(REPO):
        raise SystemExit("write the corpus outside the repo: it is derived from shared documents")
    summary = generate(args.out, args.passages, docs=args.docs, seed=args.seed)
    print(" ".join(f"{k}={v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
