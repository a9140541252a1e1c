"""Adaptive Cards and Teams-native citations for answers, feedback forms and learning summaries.

Cards are plain Adaptive Card JSON (schema 1.5, what Teams renders) so tests and other tools can
read them without the SDK. Buttons use `Action.Execute` (Universal Actions): Teams sends an
`adaptiveCard/action` invoke and shows the card we return in place of the old one. Every button's
`data` carries `"sgbot": VERB` so the handler knows what was pressed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from knowledge.answering.abstention import USEFUL_HEADING
from knowledge.types import Answer, Citation

CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
VERB_RATE = "rate_answer"
VERB_COMMENT = "answer_comment"
VERB_FEEDBACK_OPEN = "feedback_open"
VERB_FEEDBACK_SUBMIT = "feedback_submit"
#: Teams limits on citation appearance fields (characters).
NAME_MAX, ABSTRACT_MAX, KEYWORD_MAX = 80, 160, 28
QUOTE_MAX = 600
NO_CASE_DETAILS = ("Please don't include case details or anything that identifies a child, family "
                   "or colleague. Personal details are removed before your feedback is stored.")


def trim(text: str, limit: int) -> str:
    """Shorten to `limit` characters on a word boundary, with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut + "…"


def card(body: list[dict], actions: Sequence[dict] = ()) -> dict[str, Any]:
    content: dict[str, Any] = {"type": "AdaptiveCard", "version": CARD_VERSION,
                               "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                               "body": body, "msteams": {"width": "Full"}}
    if actions:
        content["actions"] = list(actions)
    return content


def text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def execute(title: str, verb: str, **data: Any) -> dict[str, Any]:
    """An Action.Execute button; clients without Universal Actions fall back to Action.Submit,
    which arrives as a message whose `value` is the same data."""
    payload = {"sgbot": verb, **data}
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": payload,
            "fallback": {"type": "Action.Submit", "title": title, "data": payload}}


def card_attachment(content: dict):
    """An SDK `Attachment` holding raw card JSON (sent as-is)."""
    from microsoft_teams.api import Attachment

    return Attachment(content_type=CARD_CONTENT_TYPE, content=content)


def card_message(content: dict, *, text: str | None = None, reply_to: str | None = None):
    from microsoft_teams.api import MessageActivityInput

    message = MessageActivityInput(text=text, reply_to_id=reply_to)
    return message.add_attachments(card_attachment(content))


def card_response(content: dict) -> dict[str, Any]:
    """Body of an `adaptiveCard/action` invoke response that replaces the pressed card."""
    return {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": content}


# --- answers ---------------------------------------------------------------------------------


def citation_keywords(citation: Citation) -> list[str]:
    """Section and page as citation keywords (Teams shows them under the document name)."""
    words = []
    if citation.section:
        words.append(trim(citation.section, KEYWORD_MAX))
    if citation.page is not None:
        words.append(f"p. {citation.page}")
    return words


def citation_detail_card(citation: Citation) -> str:
    """The card Teams opens when a citation pill is clicked: where it came from and the quote."""
    return json.dumps(card([
        text_block(citation.location, weight="Bolder"),
        text_block(f"“{trim(citation.text, 1500)}”"),
    ]))


def add_citations(message, citations: Sequence[Citation]) -> None:
    """Attach Teams-native citation entities ([1], [2] … in the text refer to these)."""
    from microsoft_teams.api import CitationAppearance

    for position, citation in enumerate(citations, start=1):
        message.add_citation(position, CitationAppearance(
            name=trim(citation.title or citation.source or "Document", NAME_MAX),
            abstract=trim(citation.text, ABSTRACT_MAX) or "(no text)",
            keywords=citation_keywords(citation) or None,
            url=citation.url or None,
            text=citation_detail_card(citation),
        ))


def answer_text(answer: Answer) -> str:
    """Message text with in-text citation markers that Teams turns into citation pills."""
    if answer.abstained:
        return answer.suggestion or "I couldn't find that in the partnership's documents."
    lead = (answer.answer_citation or 0) + 1
    others = [f"[{n}]" for n in range(1, len(answer.citations) + 1) if n != lead]
    text = f"“{answer.answer}” [{lead}]"
    if others:
        text += "\n\nSee also " + " ".join(others)
    return text


def location_label(answer: Answer, citation: Citation) -> str:
    """Where a quote is from, with whose partnership it is when passages come from several."""
    whose = answer.partnership_label(citation)
    return f"{whose} · {citation.location}" if whose else citation.location


def source_items(answer: Answer, *, quotes: bool) -> list[dict]:
    """Numbered sources: a fact per document location, optionally with the quoted passage."""
    items: list[dict] = []
    for number, citation in enumerate(answer.citations, start=1):
        label = location_label(answer, citation)
        if citation.url:
            label = f"[{label}]({citation.url})"
        items.append(text_block(f"**[{number}]** {label}", spacing="Small"))
        if quotes:
            items.append(text_block(f"“{trim(citation.text, QUOTE_MAX)}”", isSubtle=True,
                                    spacing="None", size="Small"))
    return items


def answer_card(answer: Answer, answer_id: str | None) -> dict[str, Any]:
    """The card under an answer: the quote, its numbered sources and 👍/👎 buttons."""
    body: list[dict] = []
    if answer.abstained:
        body.append(text_block("Not found in the partnership's documents", weight="Bolder",
                               color="Warning"))
        body.append(text_block(answer.suggestion or "", spacing="Small"))
        if answer.citations:
            body.append(text_block(USEFUL_HEADING, isSubtle=True))
            body.extend(source_items(answer, quotes=True))
    else:
        body.append(text_block("From the partnership's documents", weight="Bolder"))
        body.append(text_block(f"“{trim(answer.answer, 1500)}”"))
        if answer.scope_note:
            body.append(text_block(answer.scope_note, isSubtle=True, spacing="Small"))
        body.append({"type": "FactSet", "facts": [
            {"title": f"[{n}]", "value": location_label(answer, c)}
            for n, c in enumerate(answer.citations, start=1)]})
        body.append(text_block(f"Confidence {answer.confidence:.2f}. Quotes are verbatim; check "
                               "the source before acting.", isSubtle=True, size="Small"))
    actions = []
    if answer_id:
        actions = [execute("👍 Helpful", VERB_RATE, answer_id=answer_id, helpful=True),
                   execute("👎 Not helpful", VERB_RATE, answer_id=answer_id, helpful=False)]
    return card(body, actions)


def answer_message(answer: Answer, answer_id: str | None, *, reply_to: str | None = None):
    """One Teams message: cited text (native citations) plus the answer card with buttons."""
    from microsoft_teams.api import MessageActivityInput

    message = MessageActivityInput(text=answer_text(answer), reply_to_id=reply_to)
    if not answer.abstained and answer.citations:
        add_citations(message, answer.citations)
    return message.add_attachments(card_attachment(answer_card(answer, answer_id)))


def rated_card(helpful: bool, answer_id: str) -> dict[str, Any]:
    """Replaces the rating buttons: thanks, and for 👎 an optional "what was wrong?" box."""
    if helpful:
        return card([text_block("Thanks — recorded as helpful. 👍", weight="Bolder")])
    return card(
        [text_block("Thanks — recorded as not helpful. 👎", weight="Bolder"),
         text_block("What was wrong? (optional; no case details please)", spacing="Small"),
         {"type": "Input.Text", "id": "comment", "isMultiline": True, "maxLength": 1000,
          "placeholder": "e.g. it quoted an out-of-date plan"}],
        [execute("Send", VERB_COMMENT, answer_id=answer_id)],
    )


def notice_card(text: str, *, title: str | None = None, warning: bool = False) -> dict[str, Any]:
    body = [text_block(title, weight="Bolder", color="Warning" if warning else "Default")] \
        if title else []
    body.append(text_block(text))
    return card(body)


# --- frontline feedback form -------------------------------------------------------------------


def _choices(options: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"title": title, "value": value} for value, title in options]


def feedback_form(settings, kinds: Mapping[str, str], *, values: Mapping[str, Any] | None = None,
                  error: str | None = None) -> dict[str, Any]:
    """The same fields as Slack's modal; `values` refills the form after a rejected submit."""
    values = values or {}
    body: list[dict] = [text_block("Frontline feedback to the partnership", weight="Bolder",
                                   size="Medium"),
                        text_block(NO_CASE_DETAILS, isSubtle=True, size="Small")]
    if error:
        body.append(text_block(f"⚠️ {error}", color="Attention", weight="Bolder"))
    body += [
        {"type": "Input.ChoiceSet", "id": "kind", "label": "Kind of feedback", "isRequired": True,
         "errorMessage": "Choose a kind", "style": "expanded",
         "choices": _choices(kinds.items()), "value": str(values.get("kind") or "")},
        {"type": "Input.ChoiceSet", "id": "theme", "label": "Theme", "isRequired": True,
         "errorMessage": "Choose a theme",
         "choices": _choices((t, t) for t in settings.feedback_themes),
         "value": str(values.get("theme") or "")},
        {"type": "Input.Text", "id": "agency", "label": "Your agency or sector",
         "isRequired": True, "errorMessage": "Say which agency or sector you work in",
         "maxLength": 200, "placeholder": "e.g. Health, Police, Education",
         "value": str(values.get("agency") or "")},
        {"type": "Input.ChoiceSet", "id": "locality", "label": "Locality", "isRequired": True,
         "errorMessage": "Choose a locality",
         "choices": _choices((loc, loc) for loc in settings.localities),
         "value": str(values.get("locality") or "")},
        {"type": "Input.Text", "id": "text", "label": "Your feedback", "isRequired": True,
         "isMultiline": True, "maxLength": settings.feedback_max_chars,
         "errorMessage": f"Write your feedback (at most {settings.feedback_max_chars} characters)",
         "value": str(values.get("text") or "")},
        {"type": "Input.Toggle", "id": "consent", "title": "You may quote this anonymously in "
         "partnership reports", "valueOn": "true", "valueOff": "false",
         "value": "true" if _truthy(values.get("consent")) else "false"},
        {"type": "Input.Toggle", "id": "may_contact", "title": "You may contact me about this",
         "valueOn": "true", "valueOff": "false",
         "value": "true" if _truthy(values.get("may_contact")) else "false"},
    ]
    return card(body, [execute("Send feedback", VERB_FEEDBACK_SUBMIT)])


def feedback_thanks(submission) -> dict[str, Any]:
    removed = sum(getattr(submission, "redactions", {}).values())
    note = (f" {removed} personal detail(s) were removed before storing." if removed else "")
    return card([
        text_block("Thank you — your feedback was recorded. ✅", weight="Bolder"),
        text_block(f"Reference {submission.id[:8]}.{note}", isSubtle=True, size="Small"),
    ])


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"true", "1", "yes", "on"}


# --- learning, help, urgent ------------------------------------------------------------------


def learning_card(summary) -> dict[str, Any]:
    body: list[dict] = [text_block(f"Key learning: {summary.theme}", weight="Bolder",
                                   size="Medium")]
    if summary.message:
        body.append(text_block(summary.message, isSubtle=True))
    for number, point in enumerate(summary.points, start=1):
        body.append(text_block(f"**{number}.** “{trim(point.text, QUOTE_MAX)}”", spacing="Medium"))
        body.append(text_block(f"— {point.citation.location}", isSubtle=True, size="Small",
                               spacing="None"))
    return card(body)


def help_card(settings, *, admin: bool) -> dict[str, Any]:
    lines = [
        "**Ask a question** — just type it, or `ask who chairs the partnership?`",
        "**learning THEME** — key learning from reviews on a theme, e.g. `learning neglect`",
        "**feedback** — tell the partnership what's working or getting in the way",
        "**help** — this message",
    ]
    if admin:
        lines.append("**stats** — questions, 👍/👎, knowledge gaps and feedback counts (admins)")
    return card(
        [text_block("Safeguarding partnership assistant", weight="Bolder", size="Medium"),
         text_block("I answer with verbatim quotes from the partnership's documents and say "
                    "where each quote comes from. In channels, @mention me."),
         *[text_block(line, spacing="Small") for line in lines],
         text_block(f"If a child is in immediate danger call {settings.emergency_number}. "
                    "Please don't share identifying case details with this bot.",
                    isSubtle=True, size="Small")],
        [execute("Give feedback", VERB_FEEDBACK_OPEN)],
    )


def stats_card(counts: Mapping[str, int]) -> dict[str, Any]:
    labels = {"questions": "Questions asked", "helpful": "👍 Helpful",
              "not_helpful": "👎 Not helpful", "gaps": "Knowledge gaps",
              "submissions": "Feedback submissions"}
    return card([text_block("Usage so far", weight="Bolder"),
                 {"type": "FactSet", "facts": [{"title": labels.get(k, k), "value": str(v)}
                                               for k, v in counts.items()]}])
