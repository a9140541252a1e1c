"""Turn raw extracted lines into clean blocks (headings, paragraphs, list items).

Real council PDFs bring letter-spaced headings ("C HI L D R E N"), words hyphenated across
lines, running headers and footers, page numbers, bullet glyphs and hard-wrapped lines; this
module repairs them so passages quote like the printed page reads.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ingest.loaders import Line, RawDocument

BULLET_GLYPHS = "•●▪■◦○‣∙·►▶➢✓✔\uf0b7\uf0a7\uf076\uf0d8"
_BULLET = re.compile(rf"^\s*(?:[{BULLET_GLYPHS}]|[-–*](?=\s)|o(?=\s{{2,}}))\s*")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_TERMINAL = tuple(".!?:;")
_SENTENCE_START = re.compile(r"^(The|This|These|Those|Our|It|We|In|All|Each|There|As|For|"
                             r"When|Where|If|Its|Their|Since|From|During|Following)\s")
_FIELD = re.compile(r"^[A-Z][A-Z0-9&'’()-]*(?:[ /][A-Z0-9&'’()-]+)+:\s+\S")
_SMALL_WORDS = {"a", "an", "and", "the", "of", "in", "on", "for", "to", "with", "by", "or", "at",
                "from", "its", "our", "how", "we", "is", "are", "&", "–", "-", "as", "into"}


@dataclass
class Block:
    kind: str  # heading | para | bullet | cover (metadata furniture: read, never indexed)
    text: str
    page: int | None
    level: int = 0


# --- letter-spaced headings ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _base_word_costs() -> tuple[dict[str, float], int]:
    import wordninja

    model = wordninja.DEFAULT_LANGUAGE_MODEL
    return model._wordcost, model._maxword  # noqa: SLF001 - the package exposes no other API


def _segment(letters: str, vocab: dict[str, int]) -> list[str]:
    """Split a run of letters into words: Zipf costs from wordninja, boosted by the document's
    own vocabulary so acronyms and names it uses ("NSCP", "Northshire") survive."""
    base, max_len = _base_word_costs()
    lower = letters.lower()
    n = len(lower)
    best = [0.0] + [math.inf] * n
    back = [0] * (n + 1)
    max_len = max(max_len, 20)
    for end in range(1, n + 1):
        for start in range(max(0, end - max_len), end):
            word = lower[start:end]
            if word in vocab:
                cost = 1.0 + 2.0 / (1 + vocab[word])
            elif word in base:
                cost = base[word] + (4.0 if len(word) <= 2 and word not in {"a", "i", "of", "to",
                                     "in", "on", "is", "we", "at", "by", "or", "be", "do", "us",
                                     "up", "so", "as", "an", "it", "my", "no", "me", "he"} else 0)
            else:
                cost = 30.0 + 5.0 * len(word)
            total = best[start] + cost
            if total < best[end]:
                best[end], back[end] = total, start
    out = []
    end = n
    while end > 0:
        start = back[end]
        out.append(letters[start:end])
        end = start
    return out[::-1]


def is_letter_spaced(text: str) -> bool:
    tokens = [t for t in text.split() if any(c.isalpha() for c in t)]
    if len(tokens) < 3:
        return False
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) / len(letters) < 0.8:
        return False
    short = sum(1 for t in tokens if len(t.strip("()?!:,.&")) <= 2)
    return short >= 3 and short / len(tokens) >= 0.4


def fix_letter_spacing(text: str, vocab: dict[str, int]) -> str:
    """'C HI L D R E N & Y O U NG' -> 'CHILDREN & YOUNG'."""
    if not is_letter_spaced(text):
        return text
    squashed = re.sub(r"\s+", "", text)
    parts = re.findall(r"[A-Za-z]+|[^A-Za-z]+", squashed)
    out: list[str] = []
    for part in parts:
        if part[0].isalpha():
            out.append(" ".join(_segment(part, vocab)))
        else:
            out.append(part)
    joined = ""
    for part in out:
        if not joined:
            joined = part
        elif part[0] in "&–-" or joined[-1] in "&–-":
            joined += " " + part
        elif part[0] in "(":
            joined += " " + part
        else:
            joined += part if not part[0].isalnum() or joined[-1] in "('’" else " " + part
    return re.sub(r"\s+", " ", joined).replace("( ", "(").replace(" )", ")").strip()


# --- repeated headers and footers ------------------------------------------------------------


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


#: A running line is on the edge of this share of pages, and of at least 3 pages. In a short
#: document (two pages, or a cover and two pages) the very first or last line of every page but
#: one is enough, so its header does not stay inside a sentence that runs over a page break.
_RUNNING_SHARE, _MIN_RUNNING_PAGES, _MIN_OUTER_RUNNING_PAGES = 0.4, 3, 2


def find_running_lines(lines: list[Line]) -> set[str]:
    """Shapes of lines repeated at the top or bottom of many pages (headers/footers)."""
    pages: dict[int, list[str]] = {}
    for line in lines:
        if line.kind == "break" or line.page is None or not line.text.strip():
            continue
        pages.setdefault(line.page, []).append(line.text)
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    outer: Counter[str] = Counter()  # the very first or last line of a page
    for page_lines in pages.values():
        edge = page_lines[:2] + page_lines[-2:]
        counts.update({_shape(t) for t in edge if len(t.strip()) < 120})
        outer.update({_shape(t) for t in (page_lines[0], page_lines[-1]) if len(t.strip()) < 120})
    share = math.ceil(_RUNNING_SHARE * len(pages))
    return {shape for shape, count in counts.items() if count >= max(_MIN_RUNNING_PAGES, share)
            } | {shape for shape, count in outer.items()
                 if count >= max(_MIN_OUTER_RUNNING_PAGES, len(pages) - 1)}


# --- the main pass ---------------------------------------------------------------------------


def _vocabulary(lines: list[Line]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for line in lines:
        if line.kind != "break" and not is_letter_spaced(line.text):
            counts.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]", line.text))
    return dict(counts)


def _dehyphenate(previous: str, following: str, vocab: dict[str, int]) -> str | None:
    """Join 'safe-' + 'guarding ...' when the line break split a word; None if not a split."""
    match = re.search(r"([A-Za-z]+)-$", previous)
    if not match or not following[:1].islower():
        return None
    head = match.group(1)
    tail = re.match(r"[a-z]+", following)
    tail_word = tail.group(0) if tail else ""
    joined = (head + tail_word).lower()
    hyphenated = f"{head}-{tail_word}".lower()
    if hyphenated in vocab and vocab.get(joined, 0) <= vocab[hyphenated]:
        return previous + following  # a real compound like multi-agency
    return previous[:-1] + following


#: A sub-heading line stops well short of a full line ("4.4 Stage 3: service manager to
#: service manager"); a numbered paragraph's first line fills it (share of a typical line).
_SUBHEADING_SHARE = 0.6


def _is_subheading(number: str, title: str, prev_text: str | None, following: str,
                   typical: float) -> bool:
    """A sentence-case sub-heading ("5.2 Take-up and non-attendance") on its own line: a
    two-level number, a short line after a finished one, and a new sentence below it. Left in
    the text, it glued its subsection to the previous one under the wrong heading."""
    prev = (prev_text or "").strip()
    prev_ended = not prev or prev.endswith(tuple(".!?:")) or (
        _NUMBERED.match(prev) is not None and len(prev) < _SUBHEADING_SHARE * typical)
    return ("." in number.strip(".") and title[:1].isupper() and prev_ended
            and len(number) + 1 + len(title) < _SUBHEADING_SHARE * typical
            and following[:1].isupper())


def _is_heading(text: str, prev_text: str | None, next_text: str | None, typical: float) -> int:
    """Heading level (1 numbered/caps, 2 short title) or 0 when the line is body text."""
    stripped = text.strip()
    if not stripped or len(stripped) > 90 or stripped.endswith((",", ";")):
        return 0
    words_ = stripped.split()
    if len(words_) > 12:
        return 0
    letters = [c for c in stripped if c.isalpha()]
    if len(letters) < 3:
        return 0
    numbered = _NUMBERED.match(stripped)
    if numbered:
        title = numbered.group(2)
        title_words = [w for w in title.split() if w[0].isalpha()]
        capitalised = [w for w in title_words if w[0].isupper() or w.lower() in _SMALL_WORDS]
        if not title_words or len(title_words) > 8 or title.endswith(_TERMINAL):
            return 0
        if len(capitalised) == len(title_words):
            return 1
        # sentence case ("9. Stepping up and stepping down") is a heading when its first
        # numbered paragraph ("9.1 ...") follows at once
        first_child = f"{numbered.group(1).rstrip('.')}.1"
        following = (next_text or "").strip()
        if following.startswith(first_child + " ") and title_words[0][0].isupper():
            return 1
        return 2 if _is_subheading(numbered.group(1), title, prev_text, following, typical) else 0
    if stripped.endswith(tuple(".!;,")) or stripped[0].islower():
        return 0
    if _FIELD.match(stripped) and any(_FIELD.match((t or "").strip())
                                      for t in (prev_text, next_text)):
        return 0  # a run of "DATE OF MEETING: 17 NOVEMBER" lines is a form, not headings
    if sum(c.isupper() for c in letters) / len(letters) > 0.9 and len(words_) >= 1:
        return 1 if len(letters) >= 4 else 0
    if stripped.endswith(":"):
        return 0  # introduces a list: stays with its items
    prev_ended = prev_text is None or prev_text == "" or prev_text.rstrip().endswith(tuple(".!?"))
    if not prev_ended or len(words_) > 10 or len(stripped) >= 0.6 * typical:
        return 0
    significant = [w for w in words_ if w[0].isalpha() and w.lower() not in _SMALL_WORDS]
    title_case = bool(significant) and sum(w[0].isupper() for w in significant) >= 0.6 * len(
        significant)
    next_long = next_text is not None and len(next_text) >= 0.6 * typical
    return 2 if (next_long or title_case) else 0


def clean(doc: RawDocument) -> list[Block]:
    """Clean lines and group them into heading/paragraph/bullet blocks."""
    structured = doc.structured
    blocks = (_blocks_from_structured if structured else _blocks_from_layout)(doc.lines)
    return split_field_bars(blocks)


#: "Version 5.1 | Agreed March 2024 | Next review: March 2026": a metadata bar. Quoted whole it
#: answers many questions a little. On the cover (the first few blocks) it is page furniture:
#: kept as kind "cover" (metadata inference reads it, the chunker does not index it). In the
#: body each field becomes its own quotable line.
_BAR = " | "
_MIN_BAR_SEPARATORS = 2
_COVER_BLOCKS = 6


def split_field_bars(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for index, block in enumerate(blocks):
        cover = index < _COVER_BLOCKS  # on a cover one separator is enough ("Date | Author")
        if block.kind == "para" and block.text.count(_BAR) >= (1 if cover else _MIN_BAR_SEPARATORS):
            kind = "cover" if cover else "bullet"
            out.extend(Block(kind, field.strip(), block.page)
                       for field in block.text.split(_BAR) if field.strip())
        else:
            out.append(block)
    return out


def _blocks_from_structured(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    open_block: Block | None = None
    for line in lines:
        text = re.sub(r"\s+", " ", line.text).strip()
        if line.kind == "break":
            open_block = None
            continue
        if line.kind == "heading":
            blocks.append(Block("heading", text, line.page, line.level or 1))
            open_block = None
        elif line.kind == "bullet":
            open_block = Block("bullet", text, line.page)
            blocks.append(open_block)
        elif open_block is not None and (open_block.kind == "para" or line.kind == "cont"):
            open_block.text += " " + text
        else:
            open_block = Block("para", text, line.page)
            blocks.append(open_block)
    return blocks


def _blocks_from_layout(lines: list[Line]) -> list[Block]:
    running = find_running_lines(lines)
    vocab = _vocabulary(lines)
    kept: list[Line] = []
    for line in lines:
        if line.kind == "break":
            kept.append(line)
            continue
        text = line.text.replace("\u00a0", " ").rstrip()
        if not text.strip():
            kept.append(Line("", line.page, "break"))
            continue
        if _PAGE_NUMBER.match(text) or _shape(text) in running:
            continue
        if line.kind == "row":  # a table row already made a sentence (ingest.pdf_tables)
            kept.append(Line(text.strip(), line.page, "row"))
            continue
        text = fix_letter_spacing(text, vocab)
        bullet = _BULLET.match(text)
        if bullet:
            kept.append(Line(text[bullet.end():].strip(), line.page, "bullet"))
        else:
            kept.append(Line(re.sub(r"\s{2,}", " ", text.strip()), line.page))
    lengths = sorted(len(kept_line.text) for kept_line in kept if kept_line.kind != "break")
    typical = float(lengths[int(0.8 * (len(lengths) - 1))]) if lengths else 80.0

    blocks: list[Block] = []
    current: Block | None = None
    texts = [kept_line.text if kept_line.kind != "break" else "" for kept_line in kept]
    heading_started_at = -2  # kept-line index of the line that opened the last heading
    for index, line in enumerate(kept):
        if line.kind == "break":
            current = None if (current and current.text.endswith(_TERMINAL)) else current
            continue
        if line.kind == "row":
            blocks.append(Block("bullet", line.text, line.page))
            current = None
            continue
        prev_text = texts[index - 1] if index > 0 else None
        next_text = next((t for t in texts[index + 1:] if t), None)
        level = (0 if line.kind == "bullet"
                 else _is_heading(line.text, prev_text, next_text, typical))
        if level and current is not None and not current.text.endswith(_TERMINAL) \
                and current.kind == "para" and level == 2:
            level = 0  # a short line inside an unfinished sentence is not a heading
        if level:
            if heading_started_at == index - 1 and blocks[-1].page == line.page \
                    and level == blocks[-1].level == 1 and not _NUMBERED.match(line.text):
                blocks[-1].text += " " + line.text  # a caps heading wrapped onto two lines
            else:
                blocks.append(Block("heading", line.text, line.page, level))
                heading_started_at = index
            current = None
            continue
        numbered = _NUMBERED.match(line.text) if line.kind == "text" else None
        starts_new = (
            current is None
            or line.kind == "bullet"
            or numbered is not None
            or _FIELD.match(line.text) is not None
            or (len(prev_text or "") < 0.6 * typical and _SENTENCE_START.match(line.text)
                and len(line.text) >= 0.6 * typical)  # prose after a figure/table fragment
            or (current.kind == "bullet" and len(prev_text or "") < 0.7 * typical
                and line.text[:1].isupper())  # a short line ends its paragraph or list item
            or (current.text.endswith(_TERMINAL) and len(prev_text or "") < 0.75 * typical
                and line.text[:1].isupper())
        )
        if starts_new:
            current = Block("bullet" if line.kind == "bullet" else "para", line.text, line.page)
            blocks.append(current)
            continue
        joined = _dehyphenate(current.text, line.text, vocab)
        current.text = joined if joined is not None else current.text + " " + line.text
    for block in blocks:
        block.text = re.sub(r"\s+", " ", block.text).strip()
    return [b for b in blocks if b.text]
