"""Incremental, idempotent ingestion: files -> clean passages -> vectors + lexical index.

Ids are content hashes: an unchanged file is skipped without parsing, a changed file is replaced
atomically (new vectors first, then one registry transaction flips visibility, then old vectors
go), and `prune` removes documents whose files are gone.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest import problems
from ingest.chunker import SectionChunker, drop_title_lines
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.metadata import (
    infer_doc_type,
    infer_partnership,
    infer_period,
    infer_title,
    validate_doc_type,
)
from ingest.parse import Parsed, ParseJob, parse_file
from ingest.worker import ParseLimits, ParserPool
from knowledge.errors import IngestError, InvalidArgument, OverLimit, UnreadableFile
from knowledge.kb import DocumentVersion
from knowledge.search.glossary import extract_acronyms
from knowledge.types import DocumentInfo, Passage

log = logging.getLogger(__name__)

#: Bump when parsing/cleaning/chunking changes, so every file is re-processed once
#: (4: the embedder is part of a file's fingerprint, so changing model re-embeds;
#: 5: HTML main content only, table rows as sentences, title lines and cover bars not indexed).
PIPELINE_VERSION = "5"


@dataclass
class FileResult:
    path: str
    status: str  # added | updated | unchanged | failed | pruned
    passages: int = 0
    title: str = ""
    doc_type: str = ""
    reason: str = ""
    seconds: float = 0.0
    words: int = 0


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def words(self) -> int:
        return sum(r.words for r in self.results)


def discover(paths: Iterable[Path], *, allow_empty: bool = False
             ) -> tuple[list[Path], list[FileResult]]:
    """Expand folders recursively (following folder symlinks, never round a loop); missing
    paths, unknown formats, loops and folders with nothing to ingest become failed results
    (an emptied folder is fine when pruning: removing its documents is the point)."""
    files: list[Path] = []
    failed: list[FileResult] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = _walk(path, failed)
            if not found and not allow_empty:
                failed.append(FileResult(str(path), "failed",
                                         reason=problems.no_supported_files(path)))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            failed.append(FileResult(str(path), "failed", reason=problems.no_such_path(path)))
    unique = {}
    for path in files:  # one entry per real file, however many links lead to it
        unique.setdefault(os.path.realpath(path), path)
    return list(unique.values()), failed


def _walk(root: Path, failed: list[FileResult]) -> list[Path]:
    """Supported files under `root`, sorted; a folder symlink pointing back up is reported."""
    found: list[Path] = []
    visited = {os.path.realpath(root)}
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            failed.append(FileResult(str(folder), "failed",
                                     reason=problems.broken_link(folder, exc.strerror or str(exc))))
            continue
        for entry in entries:
            if entry.name.startswith((".", "~$")):
                continue
            child = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows symlinks
                is_file = not is_dir and entry.is_file()
            except OSError:  # a link to itself (ELOOP): reported below
                is_dir = is_file = False
            if is_dir:
                real = os.path.realpath(child)
                if Path(os.path.realpath(folder)).is_relative_to(real):
                    failed.append(FileResult(str(child), "failed",
                                             reason=problems.symlink_loop(child, real)))
                elif real not in visited:  # else reached by another link: walked once
                    visited.add(real)
                    pending.append(child)
            elif is_file:
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    found.append(child)
                else:
                    failed.append(FileResult(str(child), "failed",
                                             reason=problems.unsupported_format(child)))
            elif entry.is_symlink():
                failed.append(FileResult(str(child), "failed", reason=_dangling(child)))
    return sorted(found)


def _dangling(link: Path) -> str:
    """Why a symlink leads nowhere: links pointing at each other, or a missing target."""
    try:
        os.stat(link)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return problems.symlink_loop(link, os.readlink(link))
        return problems.broken_link(link, exc.strerror or str(exc))
    return problems.broken_link(link, "not a regular file or folder")


def _file_hash(data: bytes, fingerprint: str) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"|{PIPELINE_VERSION}|{fingerprint}".encode())
    return digest.hexdigest()


def document_id(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()[:16]


class Ingester:
    """Ingests files into the knowledge base's stores."""

    def __init__(self, kb, *, chunker: SectionChunker | None = None,
                 batch_passages: int = 512) -> None:
        if batch_passages < 1:
            raise InvalidArgument(f"batch_passages must be >= 1, got {batch_passages}")
        self.kb = kb
        self.chunker = chunker or SectionChunker()
        #: Passages of several files are embedded and written together, up to this many.
        self.batch_passages = batch_passages
        #: Parses files in a worker process under the ingest_* limits, while ingest() runs.
        self._pool: ParserPool | None = None
        #: Partnerships indexed or named so far: a document naming none may name their place.
        self._partnerships: set[str] = set()

    def ingest(self, paths: Sequence[Path], *, partnership: str | None = None,
               doc_type: str | None = None, prune: bool = False,
               on_file: Callable[[FileResult], None] | None = None,
               on_start: Callable[[int], None] | None = None,
               title: str | None = None) -> IngestReport:
        """`title` overrides the inferred title of every given file (meant for one file)."""
        if doc_type is not None:
            validate_doc_type(doc_type)
        if partnership:  # "--partnership nscp" files documents under the indexed full name
            partnership = self.kb.partnership_scope().canonical(partnership)
        started = time.perf_counter()
        files, problems = discover(paths, allow_empty=prune)
        report = IngestReport(results=list(problems))
        if on_start:
            on_start(len(files) + len(problems))
        for problem in problems:
            if on_file:
                on_file(problem)
        # The embedder is part of "unchanged": vectors of another model must be re-made.
        fingerprint = f"{partnership or ''}|{doc_type or ''}|{self.kb.embedder.name}"
        if title:
            fingerprint += f"|title={title}"
        known = {doc.source: doc for doc in self.kb.index.documents()}  # one query, not one a file
        self._partnerships = {doc.partnership for doc in known.values()}
        pending: list[tuple[FileResult, DocumentVersion]] = []
        self._pool = ParserPool(self._limits())  # its worker starts with the first parse

        def flush() -> None:
            if pending:
                self.kb.store_documents([version for _, version in pending])
                for result, _ in pending:
                    report.results.append(result)
                    if on_file:
                        on_file(result)
                pending.clear()

        for path in files:
            outcome = self._prepare_file(path, partnership, doc_type, fingerprint, known,
                                         title=title)
            if isinstance(outcome, FileResult):
                report.results.append(outcome)
                if on_file:
                    on_file(outcome)
                continue
            pending.append(outcome)
            if sum(len(v.passages) for _, v in pending) >= self.batch_passages:
                flush()
        flush()
        self._close_pool()
        if prune:
            report.results.extend(self._prune(paths, files))
        self.kb.reconcile()
        report.seconds = time.perf_counter() - started
        return report

    def _prepare_file(self, path: Path, partnership: str | None, doc_type: str | None,
                      fingerprint: str, known: dict[str, DocumentInfo], *, title: str | None = None
                      ) -> FileResult | tuple[FileResult, DocumentVersion]:
        """A finished result (unchanged, failed) or a parsed version waiting to be stored."""
        started = time.perf_counter()
        source = str(path.resolve())
        try:
            try:
                data = self._read(path)
            except OSError as exc:
                raise UnreadableFile(f"{path.name}: cannot be read: {exc.strerror or exc}") from exc
            content_hash = _file_hash(data, fingerprint)
            existing = known.get(source)
            if existing is not None and existing.content_hash == content_hash:
                return FileResult(source, "unchanged", existing.passages, existing.title,
                                  existing.doc_type, seconds=time.perf_counter() - started)
            doc, passages, glossary = self.build(path, source, content_hash, partnership, doc_type,
                                                 title=title)
        except IngestError as exc:
            return self._failed(path, source, str(exc), started)
        except Exception as exc:  # noqa: BLE001 - reported as this file's failure, batch goes on
            log.debug("ingest error file=%s", path.name, exc_info=True)
            return self._failed(path, source, problems.could_not_parse(path.name, exc), started)
        previous = tuple(self.kb.index.passage_ids(doc.doc_id)) if existing else ()
        words = sum(len(p.text.split()) for p in passages)
        result = FileResult(source, "updated" if existing else "added", len(passages), doc.title,
                            doc.doc_type, seconds=time.perf_counter() - started, words=words)
        return result, DocumentVersion(doc, passages, glossary, previous)

    def build(self, path: Path, source: str, content_hash: str, partnership: str | None,
              doc_type: str | None, *, title: str | None = None
              ) -> tuple[DocumentInfo, list[Passage], dict[str, str]]:
        """Parse, clean, chunk and describe one file (no storage); `title` overrides the
        inferred one. Lines that only repeat the title are not passages (never quoted)."""
        parsed = self._parse(path)
        raw, blocks, chunks = parsed.raw, parsed.blocks, parsed.chunks
        if not chunks:
            from knowledge.errors import EmptyDocument

            raise EmptyDocument(f"{path.name}: no readable paragraphs after cleaning")
        full_text = "\n".join(b.text for b in blocks)
        partnership = (partnership or raw.extra.get("partnership")
                       or infer_partnership(full_text, known=self._partnerships,
                                            file_stem=path.stem)
                       or self.kb.settings.partnership)
        self._partnerships.add(partnership)
        declared_type = doc_type or raw.extra.get("doc_type") or raw.extra.get("type")
        if declared_type:
            validate_doc_type(declared_type)
        title_guess = title or raw.title or ""
        inferred_type = declared_type or infer_doc_type(path, title_guess, full_text)
        title = title or infer_title(path, raw.title, blocks, partnership, inferred_type)
        chunks = drop_title_lines(chunks, title)
        if not chunks:
            from knowledge.errors import EmptyDocument

            raise EmptyDocument(f"{path.name}: only a title, no readable paragraphs")
        if not declared_type and not title_guess:
            inferred_type = infer_doc_type(path, title, full_text)
        year = raw.extra.get("year") or raw.extra.get("period") or infer_period(title, full_text)
        doc_id = document_id(source)
        doc = DocumentInfo(doc_id=doc_id, source=source, title=title, partnership=partnership,
                           doc_type=inferred_type, content_hash=content_hash, year=year,
                           url=raw.url, passages=len(chunks))
        passages = []
        for position, chunk in enumerate(chunks):
            key = f"{content_hash}|{position}|{chunk.text}"
            pid = hashlib.sha256(key.encode()).hexdigest()[:24]
            passages.append(Passage(id=pid, doc_id=doc_id, text=chunk.text, position=position,
                                    section=chunk.section, page=chunk.page, title=title,
                                    source=source, partnership=partnership,
                                    doc_type=inferred_type, year=year, url=raw.url))
        return doc, passages, extract_acronyms(full_text)

    def _prune(self, roots: Sequence[Path], seen: list[Path]) -> list[FileResult]:
        seen_sources = {str(p.resolve()) for p in seen}
        folders = [str(Path(r).resolve()) for r in roots if Path(r).is_dir()]
        pruned = []
        for doc in self.kb.index.documents():
            inside = any(doc.source.startswith(folder.rstrip("/") + "/") for folder in folders)
            if inside and doc.source not in seen_sources:
                self.kb.remove_document(doc.doc_id)
                pruned.append(FileResult(doc.source, "pruned", doc.passages, doc.title,
                                         doc.doc_type))
        return pruned

    # --- bounded parsing (issue 14) ------------------------------------------------------

    def _limits(self) -> ParseLimits:
        return ParseLimits.from_settings(self.kb.settings)

    def _read(self, path: Path) -> bytes:
        """The file's bytes, unless it is over the size limit (then it is not read at all)."""
        limit = self._limits().max_file_mb
        size = path.stat().st_size
        if size > limit * 1024 * 1024:
            raise OverLimit(problems.too_large(path.name, size / 1024 / 1024, limit))
        return path.read_bytes()

    def _parse(self, path: Path) -> Parsed:
        """Load, clean and chunk in the worker process under the deadline while ingest() runs;
        in-process (no deadline) when build() is called directly, as benchmarks do."""
        limits = self._limits()
        job = ParseJob(path, self.chunker, limits.max_pages, limits.max_passages)
        if self._pool is None:
            return parse_file(job)
        return self._pool.parse(job)

    def _close_pool(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _failed(self, path: Path, source: str, reason: str, started: float) -> FileResult:
        """A failed result; the log line carries the very reason the summary table shows."""
        reason = problems.clip(reason)
        log.warning("ingest failed file=%s reason=%s", path.name, reason)
        return FileResult(source, "failed", reason=reason, seconds=time.perf_counter() - started)
