"""Passage quality at ingest: inferred titles and "page furniture" passages per file.

Furniture is text that must never be quoted as an answer: a passage that only repeats the
document title or a heading, navigation/cookie/footer text, a metadata bar ("A | B | C"), or a
heading-like fragment (a few words, no sentence). Runs the ingest pipeline's `build` (parse,
clean, chunk, describe; no embedding, no storage) on every file of the given folders.

    .venv/bin/python bench/passages.py ../shared/corpus/partnerships [--show 5] [--furniture]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.pipeline import Ingester, discover  # noqa: E402
from knowledge.errors import IngestError  # noqa: E402
from knowledge.text import match_key  # noqa: E402

#: Site chrome: words that appear in navigation, cookie banners and footers, not in documents.
_CHROME = re.compile(r"\bcookies?\b|\bskip to\b|\baccept all\b|\bprivacy notice\b|\bsite ?map\b|"
                     r"\baccessibility statement\b|\ball rights reserved\b|©|\bsearch this site\b|"
                     r"^home$", re.I | re.M)
#: A heading-like fragment has at most this many words and no sentence punctuation.
FRAGMENT_WORDS = 12


def furniture_kind(text: str, title: str, section: str | None) -> str | None:
    """Why a passage is furniture, or None when it is quotable content."""
    key = match_key(text)
    if key and (key in match_key(title) or (section and key == match_key(section))):
        return "title/heading"
    if _CHROME.search(text):
        return "chrome"
    if any(line.count(" | ") >= 2 for line in text.split("\n")):
        return "metadata bar"
    lines = [line for line in text.split("\n") if line.strip()]
    if len(text.split()) <= FRAGMENT_WORDS and not any(
            line.rstrip().endswith((".", "!", "?")) for line in lines):
        return "fragment"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--show", type=int, default=0, help="print the first N passages per file")
    parser.add_argument("--furniture", action="store_true", help="print each furniture passage")
    args = parser.parse_args(argv)

    from knowledge.kb import KnowledgeBase
    from knowledge.settings import Settings

    files, _ = discover(args.paths)
    totals = {"files": 0, "passages": 0, "furniture": 0}
    kinds: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as data:
        settings = Settings.from_env({}, env_file=None).with_overrides(
            data_dir=Path(data), embed_backend="fake")
        ingester = Ingester(KnowledgeBase(settings))
        for path in files:
            try:
                doc, passages, _ = ingester.build(path, str(path), "bench", None, None)
            except IngestError as exc:
                print(f"{path.name}: FAILED {exc}")
                continue
            found = [(p, furniture_kind(p.text, doc.title, p.section)) for p in passages]
            bad = [(p, k) for p, k in found if k]
            totals["files"] += 1
            totals["passages"] += len(passages)
            totals["furniture"] += len(bad)
            for _, kind in bad:
                kinds[kind] = kinds.get(kind, 0) + 1
            print(f"{path.name}: {len(passages)} passages, {len(bad)} furniture, "
                  f"type={doc.doc_type} title={doc.title!r}")
            for passage in passages[: args.show]:
                print(f"    [{passage.section}] {passage.text[:160]!r}")
            if args.furniture:
                for passage, kind in bad:
                    print(f"    FURNITURE ({kind}) [{passage.section}] {passage.text[:120]!r}")
    print(f"total: {totals['files']} files, {totals['passages']} passages, "
          f"{totals['furniture']} furniture {kinds}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
