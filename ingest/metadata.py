"""Document-level metadata inferred from content and file name: title, type, period, partnership."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ingest.cleaning import Block
from knowledge.search.scope import partnership_place
from knowledge.types import DOC_TYPES

_TYPE_SIGNALS: dict[str, tuple[str, ...]] = {
    "masa_plan": (r"multi[- ]agency safeguarding arrangements", r"\bmasa\b",
                  r"safeguarding arrangements"),
    "annual_report": (r"annual report", r"yearly report", r"report (?:for|covering) (?:the )?year"),
    "threshold_guidance": (r"threshold", r"levels? of need", r"continuum of need",
                           r"right help,? right time", r"level [1-4]\b"),
    "review_learning": (r"rapid review", r"practice review", r"(?:7|seven)[- ]minute briefing",
                        r"learning (?:brief|briefing|review)", r"serious case review",
                        r"\bl?cspr\b", r"lessons learn"),
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
#: A partnership's or board's name: capitalised words (with "of", "and", "upon"...) ending in
#: Partnership or Board, e.g. "X Safeguarding Children Partnership", "X Children's Safeguarding
#: Assurance Partnership", "Keeping X Safe Partnership", "X Safeguarding Children Board".
_ORG_NAME = re.compile(
    r"((?:(?:[A-Z][\w'’]+|of|and|&|upon|on|the)[ -]){1,7})(Partnership|Board)\b(?!s)")
#: Leading words that are never part of a partnership's name ("The", "Local" Safeguarding...).
_NAME_LEAD = {"the", "our", "a", "an", "this", "that", "local", "national", "each", "every", "new",
              "former", "previous", "lead", "delegated", "statutory", "independent", "of", "and",
              "&", "on", "upon", "all", "see", "contact", "by"}
_GLOSSARY_ENTRY = re.compile(r"\b[A-Z]{2,}\s*[:–-]\s*$")
#: Text near the start (title, cover) names the document's own partnership: it counts more.
_HEAD_CHARS, _HEAD_WEIGHT = 600, 3
#: A known partnership's place must be named this often, and twice as often as any other
#: known place, before a document that names no partnership is given to it.
_MIN_PLACE_MENTIONS = 3


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
        match = _TITLE_FIELD.match(block.text)
        if match and meaningful_title(match.group(1)):
            found = match.group(1).strip().rstrip(".")
            return _title_case(found) if found.isupper() else found
    for index, block in enumerate(blocks[:25]):
        if block.kind != "heading":
            continue
        text = re.sub(r"^\d+(\.\d+)*\.?\s+", "", block.text).strip()
        if not meaningful_title(text) or len(text) > _MAX_TITLE_CHARS:
            continue
        if len(text.split()) < 4 and not _TITLE_WORDS.search(text):
            continue  # a figure label or short subheading, not the document's title
        following = index + 1
        while (text.isupper() and following < len(blocks) and blocks[following].kind == "heading"
               and blocks[following].text.isupper() and meaningful_title(blocks[following].text)
               and len(text) + len(blocks[following].text) < _MAX_TITLE_CHARS):
            text = f"{text} {blocks[following].text}"  # a capitals title wrapped over lines
            following += 1
        if text.split()[-1].lower() in _CONTINUES and following < len(blocks):
            rest = re.split(r"(?<=[.!?])\s| \| ", blocks[following].text)[0].strip()
            if rest and len(text) + len(rest) < _MAX_TITLE_CHARS:
                text = f"{text} {rest}".rstrip(".")
        return _title_case(text) if text.isupper() else text
    for block in blocks[:_TITLE_PARA_BLOCKS]:
        if block.kind == "para" and _title_like(block.text):
            return block.text  # a cover title the layout heuristics did not call a heading
    label = {"masa_plan": "Multi-Agency Safeguarding Arrangements",
             "annual_report": "Annual Report", "threshold_guidance": "Threshold Guidance",
             "review_learning": "Practice Review Learning"}
    if partnership and doc_type in label:
        return f"{partnership}: {label[doc_type]}"
    return path.stem.replace("_", " ").replace("-", " ").strip().capitalize()


#: "Report title: X Date of meeting: ..." on a committee cover sheet: X, up to the next field.
#: (The report's subject names the document better than "Report to the ... Panel".)
_TITLE_FIELD = re.compile(r"^(?i:(?:report |document )?title|subject of (?:the )?report)\s*:"
                          r"\s*(.{8,160}?)\s*"
                          r"(?=$|[A-Z][a-z]+(?: [a-z]+)*(?: \([A-Za-z]+\))?\s*:)")
_SMALL_WORDS = {"of", "the", "and", "for", "to", "in", "on", "a", "an", "by", "with", "at", "or"}


def _title_case(text: str) -> str:
    """'ANNUAL REPORT OF THE NSCP (NSCP)' -> 'Annual Report of the NSCP (NSCP)': acronyms in
    brackets stay, apostrophes do not start a word ("People's", not "People'S")."""
    out = []
    for position, word in enumerate(text.split()):
        if word.startswith("(") or (len(word) <= 5 and word.isalpha() and word in text.split()
                                    and re.fullmatch(r"[A-Z]{2,5}", word) and
                                    f"({word})" in text):
            out.append(word)
        elif position and word.lower() in _SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append(word[:1].upper() + word[1:].lower())
    return " ".join(out)


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


def _candidate_names(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for match in _ORG_NAME.finditer(text):
        parts = match.group(1).split() + [match.group(2)]
        if "the" in parts:  # "Report of the X Safeguarding Partnership": the name follows "the"
            parts = parts[len(parts) - parts[::-1].index("the"):]
        while parts and parts[0].lower() in _NAME_LEAD:
            parts.pop(0)
        name = " ".join(parts)
        lowered = {w.lower() for w in parts}
        if not lowered & {"safeguarding", "safe"} or ("adults" in lowered
                                                     and not lowered & {"children", "children's"}):
            continue  # not a safeguarding body, or an adults-only board
        place = partnership_place(name)
        if not place or not place[0].isupper() or len(parts) > 8:
            continue
        if _GLOSSARY_ENTRY.search(text, max(0, match.start() - 12), match.start()):
            continue  # "WBSCP: Wyvern Bay ... Partnership" in a list of abbreviations
        weight = _HEAD_WEIGHT if match.start() < _HEAD_CHARS else 1
        counts[name] += weight
    return counts


def infer_partnership(text: str, *, known: Iterable[str] = (), file_stem: str = "") -> str | None:
    """The partnership the document names most often ("Northshire Safeguarding Children
    Partnership").

    A name also counts the mentions of longer names ending with it ("Practitioners Northshire ..."),
    on a tie a Partnership beats a Board (boards were replaced by partnerships in 2019, so a
    board is usually history), then the name met first. A document naming none goes to the
    `known` partnership whose place it (or its file name) names clearly most often; else None.
    """
    counts = _candidate_names(text[:20000])
    if counts:
        first = {name: rank for rank, name in enumerate(counts)}  # Counter keeps first-seen order

        def support(name: str) -> tuple[int, bool, int]:
            total = sum(c for other, c in counts.items()
                        if other == name or other.endswith(" " + name))
            return total, name.endswith("Partnership"), -first[name]
        return max(counts, key=support)
    return _known_by_place(text[:20000], known, file_stem)


def _known_by_place(text: str, known: Iterable[str], file_stem: str) -> str | None:
    scores: list[tuple[int, str]] = []
    stem_words = re.sub(r"[_\W]+", " ", file_stem).lower().split()
    for name in set(known):
        place = partnership_place(name)
        if not place:
            continue
        mentions = len(re.findall(rf"\b{re.escape(place)}\b", text))
        if f" {place.lower()} " in f" {' '.join(stem_words)} ":
            mentions += _MIN_PLACE_MENTIONS
        scores.append((mentions, name))
    scores.sort(reverse=True)
    if not scores or scores[0][0] < _MIN_PLACE_MENTIONS:
        return None
    if len(scores) > 1 and scores[0][0] < 2 * scores[1][0]:
        return None
    return scores[0][1]


def validate_doc_type(doc_type: str) -> str:
    from knowledge.errors import InvalidArgument

    if doc_type not in DOC_TYPES:
        raise InvalidArgument(f"document type {doc_type!r} is not one of {', '.join(DOC_TYPES)}")
    return doc_type
