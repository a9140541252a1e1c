"""`sgbot ingest PATH... [--partnership NAME] [--doc-type TYPE] [--title TITLE] [--prune]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from knowledge.types import DOC_TYPES


def register(sub) -> None:
    p = sub.add_parser("ingest", help="add or update documents (PDF, DOCX, HTML, Markdown, text)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    p.add_argument("--partnership", help="partnership name for these documents (else inferred)")
    p.add_argument("--doc-type", choices=DOC_TYPES, help="document type (else inferred)")
    p.add_argument("--title", help="document title, overriding the inferred one (applies to "
                                   "every file given: use it with a single file)")
    p.add_argument("--prune", action="store_true",
                   help="remove indexed documents whose files are gone from the given folders")
    p.add_argument("--repair", action="store_true",
                   help="also re-embed indexed passages whose vectors are missing (after "
                        "restoring the vector store from an older backup)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or table")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from bot.cli.common import open_kb, settings_from
    from ingest.pipeline import Ingester

    settings = settings_from(args)
    kb = open_kb(settings)
    console = Console(stderr=True)
    progress = Progress(TextColumn("[bold]ingesting"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[name]}"), TimeElapsedColumn(), console=console,
                        disable=args.quiet or not console.is_terminal, transient=True)
    task = None

    def on_start(total: int) -> None:
        nonlocal task
        task = progress.add_task("ingest", total=total, name="")

    def on_file(result) -> None:
        if task is not None and result.status != "pruned":
            progress.update(task, advance=1, name=Path(result.path).name)

    with progress:
        report = Ingester(kb).ingest(args.paths, partnership=args.partnership,
                                     doc_type=args.doc_type, prune=args.prune,
                                     on_file=on_file, on_start=on_start, title=args.title)
    out = Console()
    if args.repair:
        repaired = kb.repair_vectors()
        out.print(f"repaired {repaired} missing vectors")
    if not args.quiet:
        table = Table(title="Ingestion summary", show_lines=False)
        for column in ("status", "file", "type", "passages", "title (or why it failed)"):
            table.add_column(column)
        styles = {"added": "green", "updated": "cyan", "unchanged": "dim", "failed": "red",
                  "pruned": "yellow"}
        for r in report.results:
            detail = r.reason if r.status == "failed" else r.title
            table.add_row(f"[{styles[r.status]}]{r.status}[/]", escape(Path(r.path).name),
                          r.doc_type, str(r.passages) if r.status != "failed" else "",
                          escape(detail))  # parser messages may hold [brackets]
        out.print(table)
    else:
        for r in report.failed:  # the reasons still matter when the table is not shown
            console.print(f"failed: {escape(r.reason)}", highlight=False, soft_wrap=True)
    counts = ", ".join(f"{report.count(s)} {s}" for s in
                       ("added", "updated", "unchanged", "pruned", "failed") if report.count(s))
    out.print(f"{counts or 'nothing to do'} in {report.seconds:.1f}s; "
              f"{kb.index.passage_count()} passages indexed.")
    return 1 if report.failed else 0
