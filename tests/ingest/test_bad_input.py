"""Malformed files: each is refused with a clear reason, and the rest of the batch still goes in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builders import PARA, write_docx

from ingest.loaders import load
from ingest.pipeline import Ingester
from knowledge import errors

KINDS = ["encrypted", "corrupt", "truncated", "empty", "whitespace", "image_only", "renamed",
         "not_zip", "unknown", "unreadable"]


@pytest.mark.parametrize("kind", KINDS)
def test_loader_raises_a_specific_error_naming_the_file(bad_files, kind):
    bad = bad_files[kind]
    with pytest.raises(getattr(errors, bad.error)) as caught:
        load(bad.path)
    message = str(caught.value)
    assert bad.path.name in message
    for word in bad.words:
        assert word.lower() in message.lower(), message


def test_every_malformed_file_is_reported_and_good_files_still_ingest(bad_files, counting_kb,
                                                                      tmp_path):
    folder = next(iter(bad_files.values())).path.parent
    good_md = folder / "good.md"
    good_md.write_text(f"# Good Guidance\n\n{PARA}\n")
    good_docx = write_docx(folder / "good.docx", [("Heading 1", "1. Purpose"), ("Normal", PARA)])

    report = Ingester(counting_kb).ingest([folder])

    by_path = {r.path: r for r in report.results}
    by_name = {Path(r.path).name: r for r in report.results}
    for kind in KINDS:
        bad = bad_files[kind]
        result = by_path[str(bad.path.resolve())]
        assert result.status == "failed", (kind, result)
        assert all(w.lower() in result.reason.lower() for w in bad.words), (kind, result.reason)
    assert by_name["good.md"].status == "added"
    assert by_name["good.docx"].status == "added"
    assert len(report.failed) == len(KINDS)
    titles = {d.title for d in counting_kb.documents()}
    assert "Good Guidance" in titles and len(titles) == 2
    assert good_docx.exists()


def test_missing_path_is_reported(counting_kb, tmp_path):
    report = Ingester(counting_kb).ingest([tmp_path / "nowhere"])
    assert [r.status for r in report.results] == ["failed"]
    assert "no such file" in report.results[0].reason


def test_cli_ingest_exits_non_zero_when_any_file_fails(bad_files, run_cli, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "guide.md").write_text(f"# Guide\n\n{PARA}\n")
    for kind in ("encrypted", "image_only", "unknown"):
        shutil.copy(bad_files[kind].path, folder)

    result = run_cli("ingest", str(folder))

    assert result.code != 0
    assert "1 added" in result.out and "3 failed" in result.out
    assert "password" in result.out and "text layer" in result.out


def test_cli_ingest_exits_zero_when_all_files_load(run_cli, tmp_path):
    folder = tmp_path / "ok"
    folder.mkdir()
    (folder / "guide.md").write_text(f"# Guide\n\n{PARA}\n")
    result = run_cli("ingest", "--quiet", str(folder))
    assert result.code == 0, result.err
    assert "1 added" in result.out
