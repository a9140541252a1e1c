"""Issue 14: ingestion never hangs and never aborts the batch.

A pathological corpus (tests/ingest/pathological.py) goes in with good files: the good ones are
stored and searchable, every bad one is reported with its reason, passages stay bounded and no
NUL reaches the index. Hangs, crashes and memory blow-ups inside the parser are simulated with
chunkers that misbehave in the worker process; pytest-timeout is the guard against a real hang.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from builders import PARA
from pathological import build_corpus

from ingest.chunker import SectionChunker
from ingest.encoding import decode_text
from ingest.pipeline import Ingester, discover
from knowledge.errors import ConfigError, UnreadableFile

#: Small limits so a misbehaving parse is cut off quickly in tests.
TEST_TIMEOUT_S = 3.0


@pytest.fixture
def limited_kb(settings):
    from knowledge.kb import KnowledgeBase

    kb = KnowledgeBase(settings.with_overrides(ingest_timeout_s=TEST_TIMEOUT_S))
    yield kb
    kb.index.close()


@pytest.mark.timeout(180)
def test_pathological_corpus_is_reported_file_by_file_and_good_files_are_searchable(
        limited_kb, tmp_path):
    cases = build_corpus(tmp_path / "corpus" / "files")

    report = Ingester(limited_kb).ingest([tmp_path / "corpus" / "files"])

    by_name = {Path(r.path).name: r for r in report.results}
    for name, case in cases.items():
        result = by_name[name]
        if case.good is True:
            assert result.status == "added", (name, result.reason)
        elif case.good is False:
            assert result.status == "failed", (name, result)
            assert result.reason.startswith(name), (name, result.reason)
            for word in case.words:
                assert word in result.reason.lower(), (name, result.reason)
        else:  # pathological HTML: stored or stopped, but the run went on
            assert result.status in {"added", "failed"}, (name, result)
    stored = list(limited_kb.index.iter_passages())
    assert max(len(p.text) for p in stored) <= SectionChunker().max_chars
    assert not any("\x00" in p.text for p in stored)
    assert sum(Path(p.source).name == "one-line.md" for p in stored) > 1000  # 2 MB, bounded
    for term, name in (("lapwing", "utf16-bom.txt"), ("curlew", "utf16-nobom.txt"),
                       ("plover", "cp1252.txt"), ("heron", "good.pdf"), ("kestrel", "good.docx"),
                       ("osprey", "good.html")):
        hits = limited_kb.index.search([term], k=3)  # lexical: the fake embedder ranks at random
        assert hits, term
        found = limited_kb.index.passages([hits[0][0]])[hits[0][0]]
        assert Path(found.source).name == name, (term, found.source)


def test_broken_docx_alone_reports_the_parser_error_and_exits_non_zero(run_cli, tmp_path):
    folder = tmp_path / "batch"
    cases = build_corpus(folder, scale=0.01)
    keep = {"good.md", "broken-xml.docx", "nested-arrays.pdf"}
    for name in cases:
        if name not in keep:
            path = folder / name
            path.unlink() if path.is_symlink() or path.is_file() else None

    result = run_cli("ingest", str(folder))

    assert result.code != 0
    assert "1 added" in result.out and "2 failed" in result.out
    assert "XMLSyntaxError" in result.out and "RecursionError" in result.out
    assert "image-only" not in result.out


def test_folder_without_supported_files_says_so_and_exits_non_zero(run_cli, tmp_path):
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")

    result = run_cli("ingest", str(folder))

    assert result.code != 0
    message = f"no PDF, DOCX, HTML, Markdown or text files found in {folder}"
    assert message in " ".join(result.out.split())
    quiet = run_cli("ingest", "--quiet", str(folder))
    assert quiet.code != 0 and message in " ".join(quiet.err.split())


def test_log_line_and_summary_share_the_reason(counting_kb, tmp_path, caplog):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "blank.txt").write_bytes(b"\x00\x01\x02\x03" * 300)
    with caplog.at_level("WARNING", logger="ingest.pipeline"):
        report = Ingester(counting_kb).ingest([folder])
    (failed,) = report.failed
    assert "binary" in failed.reason
    assert any(failed.reason in record.getMessage() for record in caplog.records)


# --- the worker: hangs, crashes and memory blow-ups are one file's failure -------------------


class HangingChunker(SectionChunker):
    """Never returns for a file named hang.md (like a parser stuck in a pathological loop)."""

    def chunk(self, blocks):
        if any("HANG" in block.text for block in blocks):
            threading.Event().wait()
        return super().chunk(blocks)


class CrashingChunker(SectionChunker):
    """Kills its process for a file containing CRASH (like a segfault in a C parser)."""

    def chunk(self, blocks):
        if any("CRASH" in block.text for block in blocks):
            os._exit(3)
        return super().chunk(blocks)


class GreedyChunker(SectionChunker):
    """Allocates ~1 GB for a file containing GREEDY (like text blown up by bad nesting)."""

    def chunk(self, blocks):
        if any("GREEDY" in block.text for block in blocks):
            hoard = [bytearray(64 * 1024 * 1024) for _ in range(16)]
            return super().chunk(blocks) if hoard else []
        return super().chunk(blocks)


def _batch(folder: Path, marker: str) -> Path:
    folder.mkdir()
    (folder / "a-good.md").write_text(f"# First\n\n{PARA}\n")
    (folder / "b-bad.md").write_text(f"# Bad\n\n{marker} {PARA}\n")
    (folder / "c-good.md").write_text(f"# Second\n\n{PARA} Again.\n")
    return folder


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("chunker", "marker", "words"), [
    (HangingChunker(), "HANG", ("longer than 3 s", "SGBOT_INGEST_TIMEOUT_S")),
    (CrashingChunker(), "CRASH", ("could not be parsed", "crashed", "exit code 3")),
    (GreedyChunker(), "GREEDY", ("more than 200 mb", "SGBOT_INGEST_MAX_MEMORY_MB")),
])
def test_a_misbehaving_parse_fails_that_file_and_a_fresh_worker_takes_the_rest(
        settings, tmp_path, chunker, marker, words):
    from knowledge.kb import KnowledgeBase

    kb = KnowledgeBase(settings.with_overrides(ingest_timeout_s=TEST_TIMEOUT_S,
                                               ingest_max_memory_mb=200))
    report = Ingester(kb, chunker=chunker).ingest([_batch(tmp_path / "batch", marker)])

    status = {Path(r.path).name: r for r in report.results}
    assert status["a-good.md"].status == status["c-good.md"].status == "added"
    bad = status["b-bad.md"]
    assert bad.status == "failed"
    for word in words:
        assert word.lower() in bad.reason.lower(), bad.reason
    assert sorted(Path(d.source).name for d in kb.documents()) == ["a-good.md", "c-good.md"]
    kb.index.close()


def test_files_over_the_size_and_passage_limits_are_refused(settings, tmp_path):
    from knowledge.kb import KnowledgeBase

    kb = KnowledgeBase(settings.with_overrides(ingest_max_file_mb=0.01, ingest_max_passages=3))
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "big.txt").write_text(PARA * 100)  # ~17 KB > 10 KB
    (folder / "many.md").write_text("".join(f"# Part {i}\n\n{PARA}\n\n" for i in range(5)))
    (folder / "fine.md").write_text(f"# Fine\n\n{PARA}\n")

    report = Ingester(kb).ingest([folder])

    reasons = {Path(r.path).name: r.reason for r in report.results}
    assert "over the 0.01 MB limit" in reasons["big.txt"]
    assert "5 passages, over the 3-passage limit" in reasons["many.md"]
    assert reasons["fine.md"] == ""
    kb.index.close()


def test_pdf_over_the_page_limit_is_refused_before_parsing(settings, tmp_path):
    from builders import write_pdf

    from knowledge.kb import KnowledgeBase

    kb = KnowledgeBase(settings.with_overrides(ingest_max_pages=2))
    pdf = write_pdf(tmp_path / "long.pdf", [[PARA]] * 3)
    (result,) = Ingester(kb).ingest([pdf]).results
    assert result.status == "failed"
    assert "3 pages, over the 2-page limit" in result.reason
    kb.index.close()


# --- discovery, encodings, settings -----------------------------------------------------------


def test_symlink_loops_are_reported_and_linked_folders_walked_once(tmp_path):
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "guide.md").write_text(PARA)
    os.symlink(root, root / "sub" / "up", target_is_directory=True)  # points back up
    os.symlink(root / "sub", root / "again", target_is_directory=True)  # a second way in
    os.symlink(root / "self", root / "self")  # a link to itself

    files, failed = discover([root])

    assert [p.name for p in files] == ["guide.md"]
    reasons = {Path(r.path).name: r.reason for r in failed}
    assert "symlink loop" in reasons["up"]
    assert "symlink loop" in reasons["self"]
    assert "again" not in reasons


@pytest.mark.parametrize(("data", "expected"), [
    ("Café – “quoted”".encode("utf-16"), "Café – “quoted”"),
    ("Café – “quoted”".encode("utf-16-le"), "Café – “quoted”"),
    ("Café – “quoted”".encode("utf-16-be"), "Café – “quoted”"),
    ("Café".encode("utf-8-sig"), "Café"),
    ("Café".encode("utf-32"), "Café"),
    ("Café – £5".encode("cp1252"), "Café – £5"),
])
def test_text_encodings_are_detected(data, expected):
    assert decode_text("notes.txt", data) == expected


@pytest.mark.parametrize("data", [bytes(range(256)) * 8, b"plain\x00text\x00" * 50,
                                  b"\x01\x02\x03\x04abc" * 100])
def test_binary_data_is_refused_not_indexed(data):
    with pytest.raises(UnreadableFile, match="binary"):
        decode_text("notes.txt", data)


def test_long_runs_become_bounded_passages_split_between_words():
    chunker = SectionChunker(max_chars=200, min_chars=50)
    from ingest.cleaning import Block

    words = " ".join(f"word{i}" for i in range(2000))
    chunks = chunker.chunk([Block("para", words, None), Block("para", "x" * 1000, None),
                            Block("heading", "H " * 400, None, level=1)])
    assert all(len(c.text) <= 200 for c in chunks)
    rejoined = " ".join(c.text for c in chunks[: len(chunks)])
    assert "word0 word1" in rejoined and "word1999" in rejoined
    assert all(not c.text.startswith("ord") for c in chunks)  # no word cut in two
    assert all(c.section is None for c in chunks)  # a 800-char "heading" is text, not a section


def test_ingest_limits_are_validated():
    from knowledge.settings import Settings

    with pytest.raises(ConfigError, match="SGBOT_INGEST_TIMEOUT_S"):
        Settings.from_env({"SGBOT_INGEST_TIMEOUT_S": "0"}, env_file=None)
    with pytest.raises(ConfigError, match="SGBOT_INGEST_MAX_MEMORY_MB"):
        Settings.from_env({"SGBOT_INGEST_MAX_MEMORY_MB": "-1"}, env_file=None)
