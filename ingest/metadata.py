"""Document-level metadata inferred from content and file name: title, type, period, partnership."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ingest.cleaning import Block
from knowledge.types import DOC_TYPES

_TYPE_SIGNALS: dict[str, tuple[str, ...]] = {
    "masa_plan": (r"multi[- ]agency safeguarding arrangements", r"\bmasa\b",
                  r"safeguarding arrangements"),
    "annual_report": (r"annual report", r"yearly report", r"report (?:for|covering) (?:the )?year"),
    "threshold_guidance": (r"threshold", r"levels? of need", r"continuum of need",
                           r"right help,? right time", r"level [1-4]\b"),
    "review_learning": (r"rapid review", r"practice review", r"(?:7|seven)[- ]minute briefing",
                        r"learning (?:brief|briefing|review)", r"serious case review", r"\bl?cspr\b",
                        r"lessons learn"),
}
_GENERIC_HEADINGS = {"foreword", "contents", "introduction", "summary", "welcome", "about us",
                     "executive summary", "table of contents", "background", "purpose", "overview",
                     "report summary", "summary report", "key messages", "key points",
                     "key findings", "at a glance", "document control", "version control",
                     "acknowledgements", "glossary", "appendix", "references", "next steps",
                     "conclusion", "conclusions", "title", "document", "report", "home"}
#: Metadata titles that tools and templates fill in: file names, "Microsoft Word - x.docx".
_TOOL_TITLE = re.compile(r"\.(txt|docx?|pdf|indd|rtf|odt|pptx?)$|^(microsoft (word|powerpoint)\b|"
                         r"untitled|document\d*$|slide \d+$|powerpoint presentation$|"
                         r"template\b|draft$)", re.I)
#: A heading ending in one of these words was wrapped: the title goes on in the next block.
_CONTINUES = {"of", "for", "and", "the", "to", "in", "on", "with", "&", "–", "-", "a", "an", "by"}
#: Longer "headings" are paragraphs or run-together lines, not a document's title.
_MAX_TITLE_CHARS = 160
_TITLE_WORDS = re.compile(r"\b(plan|report|arrangements|guidance|review|briefing|brief|strategy|"
                          r"partnership|board|safeguarding|threshold|learning|protocol|policy|"
                          r"procedure|framework)\b", re.I)
_PARTNERSHIP = re.compile(
    r"\b((?:[A-Z][a-z]+(?:[ -](?:and|&|of|upon|on)?\s?)?){1,4}?)\s*Safeguarding Children"
    r"(?:'s)? (Partnership|Board)\b"
)


def infer_doc_type(path: Path, title: str, text: str) -> str:
    """Pick the document type whose signals appear most, title and file name weighing most."""
    head = f"{re.sub(r'[_-]+', ' ', path.stem)} {title}".lower()
    body = text.lower()
    scores: dict[str, float] = {}
    for doc_type, patterns in _TYPE_SIGNALS.items():
        score = 0.0
        for pattern in patterns:
            score += 8.0 * len(re.findall(pattern, head))
            score += min(len(re.findall(pattern, body)), 30) / 3.0
        scores[doc_type] = score
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= 1.0 else "other"


def infer_title(path: Path, meta_title: str | None, blocks: list[Block], partnership: str | None,
                doc_type: str | None = None) -> str:
    """Metadata title when meaningful, a "Title:" field, the first title-like heading (joined
    with its wrapped continuation), else a label from the partnership and type, else the file
    name. Never a generic heading ("Report summary") or a truncated line."""
    if meaningful_title(meta_title):
        return re.sub(r"\s+", " ", meta_title).strip()
    for block in blocks[:40]:
        match = re.match(r"^(?:report )?title\s*:\s*(.{8,160})$", block.text, re.I)
        if match:
            return match.group(1).strip()
    for index, block in enumerate(blocks[:25]):
        if block.kind != "heading":
            continue
        text = re.sub(r"^\d+(\.\d+)*\.?\s+", "", block.text).strip()
        if not meaningful_title(text) or len(text) > _MAX_TITLE_CHARS:
            continue
        if len(text.split()) < 4 and not _TITLE_WORDS.search(text):
            continue  # a figure label or short subheading, not the document's title
        text = text.title() if text.isupper() else text
        if text.split()[-1].lower() in _CONTINUES and index + 1 < len(blocks):
            following = re.split(r"(?<=[.!?])\s| \| ", blocks[index + 1].text)[0].strip()
            following = following.title() if following.isupper() else following
            if following and len(text) + len(following) < _MAX_TITLE_CHARS:
                text = f"{text} {following}".rstrip(".")
        return text
    for block in blocks[:_TITLE_PARA_BLOCKS]:
        if block.kind == "para" and _title_like(block.text):
            return block.text  # a cover title the layout heuristics did not call a heading
    label = {"masa_plan": "Multi-Agency Safeguarding Arrangements", "annual_report": "Annual Report",
             "threshold_guidance": "Threshold Guidance", "review_learning": "Practice Review Learning"}
    if partnership and doc_type in label:
        return f"{partnership}: {label[doc_type]}"
    return path.stem.replace("_", " ").replace("-", " ").strip().capitalize()


#: A cover title that is not marked as a heading is among the first few blocks.
_TITLE_PARA_BLOCKS = 6
_TITLE_PARA_MAX_WORDS = 20


def _title_like(text: str) -> bool:
    """Short, no sentence punctuation, mostly capitalised words, names a kind of document."""
    words_ = text.split()
    if not meaningful_title(text) or len(words_) > _TITLE_PARA_MAX_WORDS or len(words_) < 3:
        return False
    if re.search(r"[.;!?,]$|\|", text) or not _TITLE_WORDS.search(text):
        return False
    significant = [w for w in words_ if w[0].isalpha() and w.lower() not in _CONTINUES]
    return sum(w[0].isupper() for w in significant) >= 0.7 * max(len(significant), 1)


def meaningful_title(title: str | None) -> bool:
    """False for empty, generic ("Report summary") and tool-default titles ("Microsoft Word -
    plan.docx", "Untitled", a file name)."""
    text = re.sub(r"\s+", " ", title or "").strip()
    if len(text) < 4 or not re.search(r"[A-Za-z]{3}", text):
        return False
    if text.lower().rstrip(":. ") in _GENERIC_HEADINGS or _TOOL_TITLE.search(text):
        return False
    return len(text.split()) >= 2


def infer_period(title: str, text: str) -> str | None:
    """'2022/23', '2020-21' or a single year, from the title first, then the opening text."""
    for source in (title, text[:3000]):
        period = re.search(r"\b(20\d\d)\s*(?:/|-|–|to)\s*((?:20)?\d\d)\b", source)
        if period:
            return f"{period.group(1)}/{period.group(2)[-2:]}"
        years = re.findall(r"\b(20[0-4]\d)\b", source)
        if years:
            return Counter(years).most_common(1)[0][0]
    return None


def infer_partnership(text: str) -> str | None:
    """The partnership the document names most often ('Norfolk Safeguarding Children Partnership')."""
    counts: Counter[str] = Counter()
    for match in _PARTNERSHIP.finditer(text[:20000]):
        place = match.group(1).strip()
        if place.lower() in {"the", "our", "local", "a", "this"} or not place:
            continue
        counts[f"{place} Safeguarding Children {match.group(2)}"] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def validate_doc_type(doc_type: str) -> str:
    from knowledge.errors import InvalidArgument

    if doc_type not in DOC_TYPES:
        raise InvalidArgument(f"document type {doc_type!r} is not one of {', '.join(DOC_TYPES)}")
    return doc_type
