"""Block Kit rendering: answers, urgent routes, learning summaries, notices.

Everything here respects Slack's limits (3,000 characters a section, 50 blocks a message) so a
long document can never make `chat.postMessage` fail with `invalid_blocks`.
"""

from __future__ import annotations

import json
import re

from knowledge.answering.abstention import USEFUL_HEADING
from knowledge.text import split_sentences

SECTION_LIMIT = 3000
MESSAGE_BLOCKS = 50
MAX_CITATIONS = 5
QUOTE_CHARS = 600
ANSWER_CHARS = 2400
BUTTON_VALUE = 2000

DOC_TYPE_LABELS = {
    "masa_plan": "Safeguarding arrangements",
    "annual_report": "Annual report",
    "threshold_guidance": "Threshold guidance",
    "review_learning": "Review learning",
    "other": "Document",
}


# --- text helpers ----------------------------------------------------------------------------


def escape(text: str) -> str:
    """Escape the three characters Slack mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in escape(text).split("\n"))


def clip(text: str, limit: int) -> str:
    """Cut `text` to `limit` characters at a word boundary, marking the cut with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]{3,}", text.lower())}


def trim_around(text: str, focus: str, limit: int = QUOTE_CHARS) -> str:
    """Shorten a long passage to a window around the sentence that best matches `focus`."""
    text = text.strip()
    if len(text) <= limit:
        return text
    start = text.find(focus.strip()[:200]) if focus.strip() else -1
    if start < 0:
        wanted = _words(focus)
        best, best_score, pos = None, -1.0, 0
        for sentence in split_sentences(text.replace("\n", " ")) or [text]:
            at = text.find(sentence[:60], pos)
            score = len(wanted & _words(sentence)) / (1 + len(_words(sentence)) ** 0.5)
            if at >= 0 and score > best_score:
                best, best_score = at, score
            pos = max(pos, at) if at >= 0 else pos
        start = best if best is not None else 0
    # Centre a window on the matched sentence, then snap both edges to word boundaries.
    begin = max(0, min(start - limit // 4, len(text) - limit))
    end = min(len(text), begin + limit - 2)
    if begin > 0:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin else end
    window = text[begin:end].strip()
    return ("…" if begin > 0 else "") + window + ("…" if end < len(text) else "")


def section(text: str, block_id: str | None = None) -> dict:
    block = {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_LIMIT)}}
    if block_id:
        block["block_id"] = block_id
    return block


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, SECTION_LIMIT)}]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    b = {"type": "button", "text": {"type": "plain_text", "text": text[:75], "emoji": True},
         "action_id": action_id, "value": (value or "none")[:BUTTON_VALUE]}
    if style:
        b["style"] = style
    return b


def fit(blocks: list[dict], limit: int = MESSAGE_BLOCKS) -> list[dict]:
    """Keep within `limit` blocks, always keeping a trailing actions block (the buttons)."""
    if len(blocks) <= limit:
        return blocks
    tail = [blocks[-1]] if blocks[-1].get("type") == "actions" else []
    return blocks[: limit - len(tail)] + tail


def citation_heading(citation) -> str:
    title = escape(citation.title or citation.source or "Document").replace("|", "¦")
    head = f"*<{citation.url}|{title}>*" if citation.url else f"*{title}*"
    where = [escape(citation.section)] if citation.section else []
    if citation.page is not None:
        where.append(f"p. {citation.page}")
    return head + (" — " + ", ".join(where) if where else "")


def citation_block(citation, focus: str, label: str | None = None) -> dict:
    heading = citation_heading(citation)
    if label:  # passages from several partnerships: say whose each one is
        heading = f"_{escape(label)}_ · {heading}"
    return section(f"{heading}\n{quote(trim_around(citation.text, focus))}")


# --- answers ---------------------------------------------------------------------------------


def share_value(answer_id: str | None, question: str) -> str:
    """Button value for "Share in channel": the answer id plus the question, so the answer can
    be rebuilt even after the bot restarted and forgot it."""
    payload = {"id": answer_id or "", "q": question[:1500]}
    return json.dumps(payload, ensure_ascii=False)[:BUTTON_VALUE]


def feedback_actions(answer_id: str | None, *, share: str | None = None) -> dict:
    elements = [button("👍 Helpful", "answer_helpful", answer_id or "none"),
                button("👎 Not helpful", "answer_not_helpful", answer_id or "none")]
    if share is not None:
        elements.append(button("Share in channel", "share_answer", share, style="primary"))
    return {"type": "actions", "block_id": "answer_actions", "elements": elements}


def answer_blocks(answer, answer_id: str | None, *, share: bool = False,
                  shared_by: str | None = None) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for an answer or an abstention, with the feedback buttons."""
    blocks: list[dict] = []
    if shared_by:
        asked = escape(clip(answer.question, 300))
        blocks.append(context(f"Shared by <@{shared_by}> · question: {asked}"))
    citations = list(answer.citations)[:MAX_CITATIONS]
    if answer.abstained:
        text = answer.suggestion or "I couldn't find that in the partnership's documents."
        blocks.append(section(f":mag: {escape(text)}", block_id="answer"))
        if citations:
            blocks.append(context(USEFUL_HEADING))
            blocks.extend(citation_block(c, answer.question, answer.partnership_label(c))
                          for c in citations[:2])
        fallback = text
    else:
        quoted = clip(answer.answer.strip(), ANSWER_CHARS)
        source = ""
        index = answer.answer_citation if answer.answer_citation is not None else 0
        if 0 <= index < len(answer.citations):
            source = f"\n— _{escape(answer.citations[index].location)}_"
        blocks.append(section(f"{quote(quoted)}{source}", block_id="answer"))
        if answer.scope_note:
            blocks.append(context(escape(answer.scope_note)))
        if citations:
            blocks.append({"type": "divider"})
            blocks.append(context(f"*Sources* ({len(citations)}) — quoted verbatim; check the "
                                  "document before acting on it"))
            blocks.extend(citation_block(c, answer.answer, answer.partnership_label(c))
                          for c in citations)
        fallback = clip(answer.answer.strip(), 300)
    actions = feedback_actions(answer_id, share=share_value(answer_id, answer.question)
                               if share else None)
    return fallback, fit(blocks + [actions])


def urgent_blocks(text: str) -> tuple[str, list[dict]]:
    """The assistant's urgent routes, shown before anything else."""
    heading = ":rotating_light: *If this is about a child at risk now*"
    return text, [section(f"{heading}\n{escape(text)}", block_id="urgent")]


def notice_blocks(text: str) -> tuple[str, list[dict]]:
    return text, [section(escape(text))]


# --- learning summaries ----------------------------------------------------------------------


def learning_blocks(summary) -> tuple[str, list[dict]]:
    theme = escape(summary.theme)
    blocks = [section(f":books: *What our reviews and reports say about {theme}*")]
    if summary.message:
        blocks.append(context(escape(summary.message)))
    for point in summary.points[:40]:
        blocks.append(section(f"• {escape(clip(point.text, 1500))}\n"
                              f"_{citation_heading(point.citation)}_"))
    if summary.points:
        blocks.append({"type": "actions", "block_id": "learning_actions",
                       "elements": [button("Get the DOCX briefing", "learning_docx",
                                           summary.theme[:200], style="primary")]})
    fallback = f"Learning on {summary.theme}: {len(summary.points)} points"
    return fallback, fit(blocks)
