"""`sgbot learning [THEME] [--since DATE] [--partnership NAME] [--format md|docx|json]
[--out PATH]`.

With a theme: the key learning on it, as a one-page briefing (Markdown on stdout, a DOCX file, or
JSON). Without one: the themes the documents cover, with how many passages support each.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("learning", help="key learning on a theme, cited (or list the themes)",
                       description="Summarise what the reviews, audits and annual reports teach "
                       "on a theme, as verbatim cited points. Without THEME, list the themes "
                       "the documents cover.")
    p.add_argument("theme", nargs="*", help="free text, e.g. neglect, 'professional curiosity'")
    p.add_argument("--since", type=parse_since, metavar="DATE",
                   help="only documents covering this date or later (YYYY, YYYY-MM or "
                   "YYYY-MM-DD)")
    p.add_argument("--partnership", help="only this partnership's documents")
    p.add_argument("--format", choices=("md", "docx", "json"), default="md",
                   help="md (default, printed), docx (a file) or json")
    p.add_argument("--out", type=Path, metavar="PATH",
                   help="write here instead of stdout (docx default: learning-THEME-DATE.docx)")
    p.set_defaults(handler=run_learning)


def parse_since(value: str) -> date:
    """YYYY, YYYY-MM or YYYY-MM-DD -> the first day of that period."""
    match = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*", value or "")
    if not match:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (use YYYY, YYYY-MM or "
                                         "YYYY-MM-DD)")
    try:
        return date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a valid date: {exc}") from exc


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "theme"


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)


def run_learning(args: argparse.Namespace) -> int:
    from bot.cli.common import open_kb, settings_from
    from knowledge.learning import LearningSummariser

    settings = settings_from(args)
    summariser = LearningSummariser(open_kb(settings))
    theme = " ".join(args.theme).strip()
    if not theme:
        return _list_themes(summariser, args)
    summary = summariser.summarise(theme, since=args.since, partnership=args.partnership)
    if args.format == "json":
        _emit(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2), args.out)
    elif args.format == "docx":
        from knowledge.reports.briefing import to_docx

        out = args.out or Path(f"learning-{_slug(theme)}-{summary.generated.isoformat()}.docx")
        to_docx(summary, out)
        print(f"wrote {out} ({len(summary.points)} points"
              f"{', thin evidence' if summary.thin else ''})")
    else:
        from knowledge.reports.briefing import to_markdown

        _emit(to_markdown(summary), args.out)
    return 0


def _list_themes(summariser, args: argparse.Namespace) -> int:
    themes = summariser.themes(partnership=args.partnership)
    if args.format == "json":
        _emit(json.dumps([t.to_dict() for t in themes], ensure_ascii=False, indent=2), args.out)
        return 0
    if args.format == "docx":
        print("error: --format docx needs a THEME; list themes with md or json", file=sys.stderr)
        return 2
    lines = ["# Themes the documents cover", ""]
    curated = [t for t in themes if t.kind == "vocabulary"]
    phrases = [t for t in themes if t.kind != "vocabulary"]
    if not themes:
        lines.append("No themes found: are any documents indexed? (sgbot ingest PATH)")
    if curated:
        lines += ["## Safeguarding themes", ""]
        lines += [f"- {t.theme} — {t.passages} passage(s) in {t.documents} document(s)"
                  for t in curated]
        lines.append("")
    if phrases:
        lines += ["## Key phrases in the documents", ""]
        lines += [f"- {t.theme} — {t.passages} passage(s) in {t.documents} document(s)"
                  for t in phrases]
        lines.append("")
    lines.append("Summarise one with: sgbot learning THEME")
    _emit("\n".join(lines), args.out)
    return 0
