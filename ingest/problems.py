"""The words ingestion uses for a file it could not take, in one place.

The summary table, `sgbot ingest --quiet` and log lines all show `FileResult.reason`, built
here (or from the loader's own error message), so an operator sees the same sentence
everywhere. Each starts with the file's name and, where there is one, names the setting that
moves the limit.
"""

from __future__ import annotations

from pathlib import Path

#: Longest reason kept: parser messages can quote whole XML lines.
MAX_REASON_CHARS = 300

FORMATS_SENTENCE = "PDF, DOCX, HTML, Markdown or text"


def no_supported_files(folder: Path) -> str:
    return f"no {FORMATS_SENTENCE} files found in {folder}"


def no_such_path(path: Path) -> str:
    return f"{path}: no such file or folder"


def unsupported_format(path: Path) -> str:
    return f"{path.name}: unsupported format {path.suffix or '(no extension)'!r}"


def symlink_loop(link: Path, target: str) -> str:
    return f"{link.name}: folder symlink loop (points back to {target}); not followed"


def broken_link(link: Path, error: str) -> str:
    return f"{link.name}: cannot be read: {error}"


def too_large(name: str, size_mb: float, limit_mb: float) -> str:
    return (f"{name}: the file is {size_mb:.1f} MB, over the {limit_mb:g} MB limit "
            "(SGBOT_INGEST_MAX_FILE_MB)")


def too_many_pages(name: str, pages: int, limit: int) -> str:
    return f"{name}: {pages} pages, over the {limit}-page limit (SGBOT_INGEST_MAX_PAGES)"


def too_many_passages(name: str, passages: int, limit: int) -> str:
    return (f"{name}: {passages} passages, over the {limit}-passage limit "
            "(SGBOT_INGEST_MAX_PASSAGES); the layout may be malformed")


def timed_out(name: str, seconds: float) -> str:
    return (f"{name}: parsing took longer than {seconds:g} s and was stopped "
            "(SGBOT_INGEST_TIMEOUT_S)")


def could_not_parse(name: str, exc: BaseException) -> str:
    detail = str(exc).strip() or "no detail"
    return clip(f"{name}: could not be parsed: {type(exc).__name__}: {detail}")


def out_of_memory(name: str, limit_mb: int) -> str:
    return (f"{name}: parsing needed more than {limit_mb} MB of memory and was stopped "
            "(SGBOT_INGEST_MAX_MEMORY_MB)")


def parser_crashed(name: str, exitcode: int | None) -> str:
    return f"{name}: could not be parsed: the parser process crashed (exit code {exitcode})"


def clip(reason: str) -> str:
    """One line, at most MAX_REASON_CHARS."""
    reason = " ".join(reason.split())
    if len(reason) > MAX_REASON_CHARS:
        reason = reason[: MAX_REASON_CHARS - 1].rstrip() + "…"
    return reason
