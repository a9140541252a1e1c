"""Fixtures for ingestion tests: files written at test time (good and malformed), a knowledge base
whose embedder counts its calls, and an in-process CLI runner."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import PARA, CountingEmbedder, blank_pdf, encrypt_pdf, write_pdf


@dataclass
class BadFile:
    path: Path
    error: str  # the knowledge.errors class the loader should raise
    words: tuple[str, ...]  # words the reported reason should contain (case-insensitive)


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, BadFile]:
    """Every kind of malformed input, written fresh for each test."""
    folder = tmp_path / "bad"
    folder.mkdir()
    good_pdf = write_pdf(tmp_path / "source.pdf", [[PARA]])
    corrupt = folder / "corrupt.pdf"
    corrupt.write_bytes(good_pdf.read_bytes()[:300] + b"\x00\xff garbage \x13" * 40)
    truncated = folder / "truncated.pdf"
    truncated.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n")
    empty = folder / "empty.docx"
    empty.write_bytes(b"")
    whitespace = folder / "blank.txt"
    whitespace.write_text("   \n\n \t \n")
    renamed = folder / "renamed.pdf"
    renamed.write_bytes(b"PK\x03\x04 this is really a zip, not a PDF" + b"\x00" * 64)
    not_zip = folder / "not-a-zip.docx"
    not_zip.write_text("Plain text saved with a .docx extension.\n" * 5)
    unknown = folder / "notes.xyz"
    unknown.write_text(PARA)
    # Tests run as root, which reads chmod-000 files, so "unreadable" is a file whose read
    # fails in the kernel: a link to /proc/self/mem (reading its page 0 gives EIO).
    unreadable = folder / "locked.pdf"
    unreadable.symlink_to("/proc/self/mem")
    files = {
        "encrypted": BadFile(encrypt_pdf(good_pdf, folder / "encrypted.pdf"),
                             "EncryptedDocument", ("password",)),
        "corrupt": BadFile(corrupt, "CorruptDocument", ("damaged",)),
        "truncated": BadFile(truncated, "CorruptDocument", ("damaged",)),
        "empty": BadFile(empty, "EmptyDocument", ("empty",)),
        "whitespace": BadFile(whitespace, "EmptyDocument", ("empty",)),
        "image_only": BadFile(blank_pdf(folder / "scanned.pdf"), "ImageOnlyDocument",
                              ("text layer",)),
        "renamed": BadFile(renamed, "CorruptDocument", ("not a pdf",)),
        "not_zip": BadFile(not_zip, "CorruptDocument", ("word document",)),
        "unknown": BadFile(unknown, "UnsupportedFormat", ("unsupported", ".xyz")),
        "unreadable": BadFile(unreadable, "UnreadableFile", ("cannot be read",)),
    }
    return files


# --- knowledge base with a counting embedder -----------------------------------------------


@pytest.fixture
def counting_kb(settings):
    from knowledge.kb import KnowledgeBase

    kb = KnowledgeBase(settings, embedder=CountingEmbedder())
    yield kb
    if kb._index is not None:  # noqa: SLF001 - close only what was opened
        kb.index.close()


# --- in-process CLI ------------------------------------------------------------------------


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(tmp_path: Path, monkeypatch, capsys) -> Callable[..., CliResult]:
    """Run `sgbot ...` in-process against a private data dir with the fake embedder."""
    from bot.cli import main

    monkeypatch.setenv("SGBOT_DATA_DIR", str(tmp_path / "cli-data"))
    monkeypatch.setenv("SGBOT_EMBED_BACKEND", "fake")
    monkeypatch.setenv("COLUMNS", "200")  # rich tables: keep file names whole
    for name in [n for n in os.environ if n.startswith("SGBOT_") and n not in
                 {"SGBOT_DATA_DIR", "SGBOT_EMBED_BACKEND"}]:
        monkeypatch.delenv(name)
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, getattr(root, "_sgbot_configured", None))

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main(["--env-file", str(tmp_path / "no-such.env"), *args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    yield run
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    if saved[2] is None and hasattr(root, "_sgbot_configured"):
        del root._sgbot_configured  # type: ignore[attr-defined]
