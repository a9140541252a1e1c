"""`sgbot ask QUESTION [--json]` and `sgbot chat`: the same answers as the bots, in a terminal."""

from __future__ import annotations

import argparse
import json
import sys

from knowledge.types import DOC_TYPES


def register(sub) -> None:
    p = sub.add_parser("ask", help="answer one question from the documents")
    p.add_argument("question", help="the question, in quotes")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--partnership", help="only this partnership's documents")
    p.add_argument("--doc-type", action="append", choices=DOC_TYPES, dest="doc_types",
                   help="only documents of this type (repeatable)")
    p.set_defaults(handler=run_ask)
    c = sub.add_parser("chat", help="interactive chat in the terminal")
    c.add_argument("--partnership", help="only this partnership's documents")
    c.set_defaults(handler=run_chat)


def run_ask(args: argparse.Namespace) -> int:
    from bot.cli.common import open_kb, settings_from
    from knowledge.safety import is_immediate_concern, urgent_message

    settings = settings_from(args)
    kb = open_kb(settings)
    answer = kb.ask(args.question, partnership=args.partnership, doc_types=args.doc_types)
    urgent = urgent_message(settings) if is_immediate_concern(args.question) else None
    if args.json:
        payload = answer.to_dict()
        if urgent:
            payload["urgent"] = urgent
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    from rich.console import Console

    from bot.cli.render import render_answer

    render_answer(Console(), answer, urgent=urgent)
    return 0


def run_chat(args: argparse.Namespace) -> int:
    from rich.console import Console

    from bot.cli.common import open_kb, settings_from
    from bot.cli.render import render_answer
    from knowledge.errors import InvalidArgument
    from knowledge.safety import is_immediate_concern, urgent_message

    settings = settings_from(args)
    kb = open_kb(settings)
    console = Console()
    docs = kb.documents()
    console.print(f"[bold]Safeguarding knowledge assistant[/] — {len(docs)} documents indexed. "
                  "Ask a question; 'quit' to leave, 'docs' to list documents.")
    previous: str | None = None
    while True:
        try:
            question = console.input("[bold green]you>[/] ").strip()
        except EOFError:
            console.print()
            return 0
        if question.lower() in {"quit", "exit", ":q"}:
            return 0
        if not question:
            continue
        if question.lower() in {"docs", "documents"}:
            for doc in docs:
                console.print(f"• {doc.title} [dim]({doc.doc_type}, {doc.year or 'n.d.'})[/]")
            continue
        try:
            with console.status("Searching…"):
                answer = kb.ask(question, partnership=args.partnership, previous=previous)
        except InvalidArgument as exc:
            console.print(f"[red]{exc}[/]")
            continue
        urgent = urgent_message(settings) if is_immediate_concern(question) else None
        render_answer(console, answer, urgent=urgent)
        previous = question if not answer.abstained else previous
