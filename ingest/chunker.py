"""Section-aware chunking: blocks -> passages sized for quoting, split between sentences.

Every passage is at most `max_chars` however the source is laid out: a sentence longer than
that (a 2 MB one-line file, a table flattened into one line) is cut at word boundaries, and a
run with no spaces at all is cut hard, so one file can never become one giant passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.cleaning import Block
from knowledge.errors import InvalidArgument
from knowledge.text import STOPWORDS, split_sentences

#: A "heading" longer than this is a paragraph that a loader mislabelled (a one-line file
#: starting with "#"): its text is kept as passages instead of becoming a section name.
MAX_HEADING_CHARS = 300


@dataclass(frozen=True)
class Chunk:
    text: str
    section: str | None
    page: int | None


class SectionChunker:
    """Groups cleaned blocks into passages.

    A passage is one paragraph, or a run of short paragraphs/list items of the same section, or
    a few sentences of a long paragraph. `max_chars` bounds passages for precise quoting;
    `min_chars` stops one-line fragments standing alone.
    """

    def __init__(self, max_chars: int = 700, min_chars: int = 160) -> None:
        if max_chars < 100:
            raise InvalidArgument(f"max_chars must be >= 100, got {max_chars}")
        if not 0 <= min_chars < max_chars:
            raise InvalidArgument(f"min_chars must be in [0, max_chars), got {min_chars}")
        self.max_chars = max_chars
        self.min_chars = min_chars

    def chunk(self, blocks: list[Block]) -> list[Chunk]:
        chunks: list[Chunk] = []
        section: str | None = None
        parent: str | None = None  # a numbered/caps heading above a minor one
        buffer: list[str] = []
        buffer_page: int | None = None

        def flush() -> None:
            nonlocal buffer, buffer_page
            if buffer:
                chunks.append(Chunk("\n".join(buffer), section, buffer_page))
            buffer, buffer_page = [], None

        for block in blocks:
            if block.kind == "cover":
                continue  # a cover's metadata bar: never a passage (ingest.cleaning)
            if block.kind == "heading" and len(block.text) <= MAX_HEADING_CHARS:
                flush()
                if block.level <= 1 or parent is None:
                    parent = block.text if block.level <= 1 else parent
                    section = block.text
                else:
                    section = block.text
                continue
            pieces = self._split(block.text)
            for piece in pieces:
                size = sum(len(p) + 1 for p in buffer)
                fits = size + len(piece) <= self.max_chars
                keep_together = size < self.min_chars or block.kind == "bullet" or (
                    buffer and buffer[-1].endswith(":")
                )
                if buffer and not (fits and keep_together):
                    flush()
                if not buffer:
                    buffer_page = block.page
                buffer.append(piece)
                if block.kind == "para" and len(pieces) > 1:
                    flush()  # a long paragraph's pieces stand alone
        flush()
        return chunks

    def _split(self, text: str) -> list[str]:
        """Whole text if it fits, else consecutive sentence groups up to max_chars."""
        if len(text) <= self.max_chars:
            return [text]
        groups: list[str] = []
        current = ""
        for sentence in split_sentences(text):
            for piece in self._bound(sentence):
                if current and len(current) + 1 + len(piece) > self.max_chars:
                    groups.append(current)
                    current = piece
                else:
                    current = f"{current} {piece}".strip()
        if current:
            groups.append(current)
        return groups

    def _bound(self, sentence: str) -> list[str]:
        """The sentence, or pieces of at most max_chars cut at the last space that fits (hard
        cuts only where there is no space in the second half of the window)."""
        limit = self.max_chars
        if len(sentence) <= limit:
            return [sentence]
        pieces: list[str] = []
        start = 0
        while len(sentence) - start > limit:
            cut = sentence.rfind(" ", start + limit // 2, start + limit + 1)
            end = cut if cut != -1 else start + limit
            pieces.append(sentence[start:end].strip())
            start = end
        pieces.append(sentence[start:].strip())
        return [piece for piece in pieces if piece]


#: A line this short with no sentence end, made only of the title's words, is the title.
_TITLE_LINE_MAX_WORDS = 30
#: ...and has at least this many content words (a two-word line may be a real list item).
_TITLE_LINE_MIN_WORDS = 3
_TITLE_WORD_SHARE = 1.0  # every word: "NSCP: Northshire Safeguarding ..." is a glossary line
#: A line opening with at least this many of the title's last words continues a wrapped title.
_TITLE_TAIL_MIN_WORDS = 4
_TOKEN = re.compile(r"\S+")


def _key(word: str) -> str:
    return re.sub(r"[^\w]", "", word.lower())


def untitled_text(line: str, title: str, section: str | None = None) -> str:
    """The line without the document title: '' when the line only repeats the title or its
    section heading (a cover page, a title block a PDF split off its heading), else the line
    minus a wrapped title's tail at its start. Titles and headings are never quoted."""
    stripped = line.strip()
    if not stripped or stripped.endswith((".", "!", "?")):
        return line
    tokens = list(_TOKEN.finditer(stripped))
    keys = [_key(t.group()) for t in tokens]
    title_keys = [k for k in (_key(w) for w in title.split()) if k]
    section_keys = [k for k in (_key(w) for w in (section or "").split()) if k]
    if [k for k in keys if k] in (title_keys, section_keys):
        return ""
    content = [k for k in keys if k and k not in STOPWORDS]
    if len(content) >= _TITLE_LINE_MIN_WORDS and len(tokens) <= _TITLE_LINE_MAX_WORDS:
        known = set(title_keys) | set(section_keys)
        if sum(k in known for k in content) >= _TITLE_WORD_SHARE * len(content):
            return ""
    for size in range(min(len(tokens), len(title_keys), _TITLE_LINE_MAX_WORDS),
                      _TITLE_TAIL_MIN_WORDS - 1, -1):
        if keys[:size] == title_keys[-size:]:
            return stripped[tokens[size].start():] if size < len(tokens) else ""
    return line


def drop_title_lines(chunks: list[Chunk], title: str) -> list[Chunk]:
    """Chunks without title/heading-only lines; a chunk left with nothing is not indexed."""
    out = []
    for chunk in chunks:
        lines = [untitled_text(line, title, chunk.section) for line in chunk.text.split("\n")]
        text = "\n".join(line for line in lines if line.strip())
        if text:
            out.append(chunk if text == chunk.text else Chunk(text, chunk.section, chunk.page))
    return out
