"""`sgbot ask QUESTION [--json]` and `sgbot chat`: the same assistant as the bots, in a terminal.

Both go through `knowledge.assistant.Assistant`, so the terminal gets the same safety net,
follow-ups, recording (usage figures, knowledge gaps) and error wording as Slack and Teams.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import uuid

from knowledge.types import DOC_TYPES

CHAT_COMMANDS = {
    "help": "show these commands",
    "clear": "forget the conversation so far (follow-ups start afresh)",
    "docs": "list the documents I hold",
    "quit": "leave the chat (also exit, or Ctrl-D)",
}


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


def _assistant(args: argparse.Namespace):
    from bot.cli.common import open_kb, settings_from
    from knowledge.assistant import Assistant

    settings = settings_from(args)
    return Assistant(settings, open_kb(settings))


def _conversation(key: str):
    from knowledge.assistant import Conversation

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (containers): the store pseudonymises None
        user = None
    return Conversation("cli", key, user_id=user)


def run_ask(args: argparse.Namespace) -> int:
    from knowledge.errors import InvalidArgument

    question = _printable(args.question).strip()
    if not question:
        raise InvalidArgument("the question is empty", hint="ask something, e.g. 'who chairs "
                              "the partnership?'")
    assistant = _assistant(args)
    reply = assistant.ask(question, _conversation(f"ask:{uuid.uuid4().hex}"),
                          partnership=args.partnership, doc_types=args.doc_types)
    if args.json:
        payload = reply.answer.to_dict() if reply.answer else {
            "question": reply.question, "answer": "", "abstained": True, "confidence": 0.0,
            "citations": [], "error": reply.notice, "reference": reply.reference}
        if reply.urgent:
            payload["urgent"] = reply.urgent
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0 if reply.answer else 2
    from rich.console import Console

    _render(Console(), reply)
    return 0 if reply.answer else 2


def _printable(text: str) -> str:
    """Invalid UTF-8 from the terminal arrives as surrogates: replace them, never crash."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _render(console, reply) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from bot.cli.render import render_answer, render_urgent

    if reply.answer is not None:
        render_answer(console, reply.answer, urgent=reply.urgent)
        return
    if reply.urgent:
        render_urgent(console, reply.urgent)
    console.print(Panel(Text(reply.notice or ""), border_style="yellow"))


def run_chat(args: argparse.Namespace) -> int:
    from rich.console import Console

    assistant = _assistant(args)
    console = Console()
    docs = assistant.kb.documents()
    key = f"chat:{uuid.uuid4().hex}"
    console.print(f"[bold]Safeguarding knowledge assistant[/] — {len(docs)} documents indexed. "
                  "Ask a question; follow-ups use the conversation so far.")
    _chat_help(console)
    while True:
        try:
            line = _printable(console.input("[bold green]you>[/] ")).strip()
        except EOFError:
            console.print()
            return 0
        command = line.lower().strip(" /:!")
        if command in {"quit", "exit", "q"}:
            return 0
        if not line:
            continue
        if command in {"help", "?"}:
            _chat_help(console)
            continue
        if command == "clear":
            assistant.forget(key)
            console.print("[dim]Conversation cleared: the next question starts afresh.[/]")
            continue
        if command in {"docs", "documents"}:
            for doc in docs:
                console.print(f"• {doc.title} [dim]({doc.doc_type}, {doc.year or 'n.d.'})[/]")
            continue
        with console.status("Searching…"):
            reply = assistant.ask(line, _conversation(key), partnership=args.partnership)
        _render(console, reply)


def _chat_help(console) -> None:
    console.print("[dim]Commands: " + "; ".join(f"[bold]{name}[/] {what}"
                                                  for name, what in CHAT_COMMANDS.items())
                  + ". Anything else is a question.[/]")
