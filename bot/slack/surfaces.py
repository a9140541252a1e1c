"""Views that are not messages: the App Home tab and the modals.

Modals carry what their submission handler needs in `private_metadata` (JSON, ≤ 3,000 chars),
so the bot holds no per-modal state and a restart between open and submit loses nothing.
"""

from __future__ import annotations

import json

from bot.slack.blocks import DOC_TYPE_LABELS, clip, context, escape, section
from knowledge.safety import urgent_message

FEEDBACK_CALLBACK = "frontline_feedback"
NOT_HELPFUL_CALLBACK = "answer_not_helpful_modal"
HOME_DOCUMENTS = 60
EXAMPLE_QUESTIONS = (
    "Who chairs the safeguarding partnership?",
    "What are the partnership's priorities this year?",
    "What does the threshold guidance say about early help?",
    "What did recent reviews learn about neglect?",
)


def _plain(text: str, limit: int = 75) -> dict:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def _option(value: str, label: str) -> dict:
    return {"text": _plain(label), "value": value[:150]}


def _metadata(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"))[:3000]


def read_metadata(view: dict) -> dict:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


# --- App Home --------------------------------------------------------------------------------


def _document_lines(documents) -> list[str]:
    lines = []
    for doc in sorted(documents, key=lambda d: (d.title or d.source).lower()):
        kind = DOC_TYPE_LABELS.get(doc.doc_type, doc.doc_type)
        date = f", {doc.year}" if doc.year else ""
        title = escape(doc.title or doc.source)
        lines.append(f"• <{doc.url}|{title}> — {kind}{date}" if doc.url
                     else f"• *{title}* — {kind}{date}")
    return lines


def home_view(settings, documents, counts: dict | None, *, is_admin: bool) -> dict:
    """The App Home tab: what the bot does, examples, its documents, admin figures."""
    blocks: list[dict] = [
        {"type": "header", "text": _plain("Safeguarding partnership assistant", 150)},
        section("I answer questions from the partnership's own documents — safeguarding "
                "arrangements, annual reports, threshold guidance and review learning — quoting "
                "them word for word with the document, section and page, so you can check the "
                "source. If the documents don't say, I tell you rather than guess."),
        section("*How to ask*\n• Mention me in a channel (I reply in a thread; follow-up "
                "questions in that thread need no new mention)\n• Send me a direct message\n"
                "• `/ask QUESTION` (only you see the answer; you can share it)\n"
                "• `/learning THEME` for key learning on a theme, with a DOCX briefing\n"
                "• `/feedback`, or the message shortcut *Send as frontline feedback*, to tell "
                "the partnership what's working and what gets in the way"),
        section("*Example questions*\n" + "\n".join(f"• {q}" for q in EXAMPLE_QUESTIONS)),
        context(f":rotating_light: {escape(urgent_message(settings))}"),
        {"type": "divider"},
    ]
    lines = _document_lines(documents)
    if not lines:
        blocks.append(section(f"*Documents I know*\nNone yet — ask {escape(settings.help_contact)}"
                              " to load the partnership's documents."))
    else:
        blocks.append(section(f"*Documents I know* ({len(lines)})"))
        chunk: list[str] = []
        for line in lines[:HOME_DOCUMENTS]:
            if sum(len(x) + 1 for x in chunk) + len(line) > 2900:
                blocks.append(section("\n".join(chunk)))
                chunk = []
            chunk.append(clip(line, 2900))
        if chunk:
            blocks.append(section("\n".join(chunk)))
        if len(lines) > HOME_DOCUMENTS:
            blocks.append(context(f"…and {len(lines) - HOME_DOCUMENTS} more."))
    if is_admin:
        blocks.append({"type": "divider"})
        if counts is None:
            blocks.append(section("*Admin*\nUsage figures are unavailable: the feedback store "
                                  "could not be reached."))
        else:
            blocks.append(section(
                "*Admin — usage so far*\n"
                f"• Questions asked: *{counts.get('questions', 0)}*\n"
                f"• 👍 Helpful: *{counts.get('helpful', 0)}*   👎 Not helpful: "
                f"*{counts.get('not_helpful', 0)}*\n"
                f"• Knowledge gaps (unanswered or 👎): *{counts.get('gaps', 0)}*\n"
                f"• Frontline feedback submissions: *{counts.get('submissions', 0)}*\n"
                "Use `/feedback-report` for the digest (DOCX)."))
    return {"type": "home", "blocks": blocks[:100]}


# --- modals ----------------------------------------------------------------------------------


def feedback_modal(settings, kinds, *, prefill: str = "", agencies=(), source: dict | None = None
                   ) -> dict:
    """The frontline-feedback form (issue 4)."""
    limit = settings.feedback_max_chars
    text_input = {"type": "plain_text_input", "action_id": "value", "multiline": True,
                  "max_length": min(limit, 3000),
                  "placeholder": _plain("What happened, what helped or what got in the way?",
                                        150)}
    if prefill:
        text_input["initial_value"] = clip(prefill, min(limit, 3000))
    agency_input = {"type": "plain_text_input", "action_id": "value", "max_length": 100}
    if agencies:
        agency_input["placeholder"] = _plain("e.g. " + ", ".join(agencies[:3]), 150)

    def select(block_id: str, label: str, options: list[tuple[str, str]]) -> dict:
        return {"type": "input", "block_id": block_id, "label": _plain(label),
                "element": {"type": "static_select", "action_id": "value",
                            "options": [_option(v, lab) for v, lab in options[:100]]}}

    def checkbox(block_id: str, label: str) -> dict:
        return {"type": "input", "block_id": block_id, "optional": True, "label": _plain(label),
                "element": {"type": "checkboxes", "action_id": "value",
                            "options": [_option("yes", "Yes")]}}

    blocks = [
        section(":warning: *Please don't include case details* — no names, addresses, dates of "
                "birth or anything else that could identify a child, family or colleague. "
                "Anything that looks like personal data is removed before it is stored."),
        {"type": "input", "block_id": "kind", "label": _plain("What kind of feedback?"),
         "element": {"type": "radio_buttons", "action_id": "value",
                     "options": [_option(v, lab) for v, lab in kinds]}},
        select("theme", "Theme", [(t, t.capitalize()) for t in settings.feedback_themes]),
        {"type": "input", "block_id": "agency", "label": _plain("Your agency or sector"),
         "element": agency_input},
        select("locality", "Locality", [(loc, loc) for loc in settings.localities]),
        {"type": "input", "block_id": "text", "label": _plain("Your feedback"),
         "element": text_input, "hint": _plain(f"Up to {limit} characters.", 150)},
        checkbox("consent", "May we quote this anonymously (e.g. in the annual report)?"),
        checkbox("contact", "You may contact me about this feedback"),
    ]
    return {"type": "modal", "callback_id": FEEDBACK_CALLBACK,
            "title": _plain("Frontline feedback", 24), "submit": _plain("Send", 24),
            "close": _plain("Cancel", 24), "blocks": blocks,
            "private_metadata": _metadata(source or {})}


def not_helpful_modal(metadata: dict) -> dict:
    """Optional "what was wrong?" after 👎 (the 👎 itself is already recorded)."""
    return {"type": "modal", "callback_id": NOT_HELPFUL_CALLBACK,
            "title": _plain("Not helpful", 24), "submit": _plain("Send", 24),
            "close": _plain("Skip", 24), "private_metadata": _metadata(metadata),
            "blocks": [
                section("Thanks — recorded as *not helpful*. This helps the partnership find "
                        "gaps in its documents. What was wrong? (optional; please don't include "
                        "case details)"),
                {"type": "input", "block_id": "comment", "optional": True,
                 "label": _plain("What was wrong?"),
                 "element": {"type": "plain_text_input", "action_id": "value", "multiline": True,
                             "max_length": 1000}},
            ]}


def done_modal(title: str, text: str) -> dict:
    return {"type": "modal", "title": _plain(title, 24), "close": _plain("Close", 24),
            "blocks": [section(escape(text))]}


def input_value(view: dict, block_id: str):
    """The submitted value of input block `block_id` (text, selected option, or checkboxes)."""
    state = view.get("state", {}).get("values", {}).get(block_id, {}).get("value", {})
    if "selected_option" in state:
        option = state.get("selected_option") or {}
        return option.get("value")
    if "selected_options" in state:
        return [o.get("value") for o in state.get("selected_options") or []]
    return state.get("value")
