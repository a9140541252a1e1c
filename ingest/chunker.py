"""Section-aware chunking: blocks -> passages sized for quoting, never split mid-sentence."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.cleaning import Block
from knowledge.errors import InvalidArgument
from knowledge.text import split_sentences


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
            if block.kind == "heading":
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
            if current and len(current) + 1 + len(sentence) > self.max_chars:
                groups.append(current)
                current = sentence
            else:
                current = f"{current} {sentence}".strip()
        if current:
            groups.append(current)
        return groups
