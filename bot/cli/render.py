"""Terminal rendering of answers (rich), shared by `ask` and `chat`."""

from __future__ import annotations

from knowledge.answering.abstention import USEFUL_HEADING
from knowledge.types import Answer


def render_urgent(console, urgent: str) -> None:
    """The urgent routes, first and unmissable."""
    from rich.panel import Panel
    from rich.text import Text

    console.print(Panel(Text(urgent), title="Urgent", border_style="red"))


def render_answer(console, answer: Answer, *, urgent: str | None = None) -> None:
    from rich.markup import escape
    from rich.panel import Panel
    from rich.text import Text

    from knowledge.search.scope import short_name

    if urgent:
        render_urgent(console, urgent)
    if answer.abstained:
        console.print(Panel(Text(answer.suggestion or "I couldn't find that in the documents."),
                            title=f"Not found (confidence {answer.confidence:.2f})",
                            border_style="yellow"))
        if answer.citations:
            console.print(f"[dim]{USEFUL_HEADING}[/]")
    else:
        console.print(Panel(Text(f"“{answer.answer}”"), title="Answer",
                            subtitle=f"confidence {answer.confidence:.2f}", border_style="green"))
    if answer.scope_note:
        console.print(f"[italic]{escape(answer.scope_note)}[/]")
    label = answer.partnership is None and len(answer.partnerships) > 1  # say whose each is
    for number, citation in enumerate(answer.citations, start=1):
        text = citation.text if len(citation.text) <= 500 else citation.text[:497] + "…"
        whose = f"[magenta]{escape(short_name(citation.partnership))}[/] · " if label else ""
        console.print(f"[bold][{number}][/] {whose}[cyan]{citation.location}[/]")
        console.print(Text("    " + text.replace("\n", "\n    "), style="dim"))
