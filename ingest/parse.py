"""One file -> its cleaned blocks and chunks: the untrusted-input half of ingestion.

Everything that runs third-party parsers or our text heuristics over a file's whole content
happens here, in one picklable call, so `ingest.worker` can run it in a separate process under
a deadline. The pipeline describes and stores what comes back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest import problems
from ingest.chunker import Chunk, SectionChunker
from ingest.cleaning import Block, clean
from ingest.loaders import RawDocument, load
from knowledge.errors import EmptyDocument, OverLimit


@dataclass(frozen=True)
class ParseJob:
    """What one parse needs (picklable: it crosses to the worker process)."""

    path: Path
    chunker: SectionChunker = field(default_factory=SectionChunker)
    max_pages: int | None = None
    max_passages: int | None = None


@dataclass
class Parsed:
    raw: RawDocument  # metadata only: `lines` are emptied once cleaned (they can be big)
    blocks: list[Block]
    chunks: list[Chunk]


def parse_file(job: ParseJob) -> Parsed:
    """Load, clean and chunk one file; raises IngestError subclasses (limits included)."""
    raw = load(job.path, max_pages=job.max_pages)
    blocks = clean(raw)
    chunks = job.chunker.chunk(blocks)
    if not chunks:
        raise EmptyDocument(f"{job.path.name}: no readable paragraphs after cleaning")
    if job.max_passages is not None and len(chunks) > job.max_passages:
        raise OverLimit(problems.too_many_passages(job.path.name, len(chunks), job.max_passages))
    return Parsed(replace(raw, lines=[]), blocks, chunks)
