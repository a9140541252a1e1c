"""A pathological ingestion corpus, written into a folder at test/benchmark time.

Every file is invented here (Wyvernshire, the repo's fictional partnership). Sizes are those that
hung or crashed ingestion before the worker deadline and bounded passages (issue 14):
an unclosed-<p> HTML page, deeply nested divs, a 2 MB one-line Markdown file, and so on.
Used by tests/ingest/test_pathological.py and bench/pathological_ingest.py.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from builders import PARA, write_docx, write_pdf

#: Sentence used to fill big files; distinctive words make good files easy to search for.
FILLER = ("Wyvernshire practitioners record each referral and review it with their supervisor "
          "before the case is closed. ")


@dataclass(frozen=True)
class Case:
    name: str
    good: bool | None  # True: stored; False: reported failed; None: either, but bounded
    words: tuple[str, ...] = ()  # words the reported reason (or a stored passage) must contain


def _nested_array_pdf(depth: int) -> bytes:
    """A one-page PDF whose content stream opens `depth` arrays: pypdf's parser recurses."""
    content = b"BT /F1 12 Tf 72 720 Td " + b"[" * depth + b"(x)" + b"]" * depth + b" TJ ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def _broken_xml_docx(good: Path, target: Path) -> Path:
    """A real DOCX whose document.xml is cut off mid-element (lxml raises XMLSyntaxError)."""
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w") as broken:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2] + b"<w:p><w:r><w:t>unterminated"
            broken.writestr(item, data)
    return target


def build_corpus(folder: Path, *, scale: float = 1.0) -> dict[str, Case]:
    """Write good and pathological files into `folder`; returns what each should become.

    `scale` shrinks the big files for quick tests (1.0 = the sizes that hurt before).
    """
    folder.mkdir(parents=True, exist_ok=True)
    cases: dict[str, Case] = {}

    def add(name: str, good: bool | None, *words: str) -> Path:
        cases[name] = Case(name, good, words)
        return folder / name

    # --- good files: stored and searchable ---------------------------------------------------
    add("good.md", True, "wyvernshire").write_text(
        f"# Wyvernshire Escalation Guidance\n\n## Purpose\n\n{PARA}\n\n{FILLER * 3}\n")
    write_docx(add("good.docx", True), [("Heading 1", "1. Supervision standards"),
                                        ("Normal", PARA + " Kestrel audits run each quarter.")])
    write_pdf(add("good.pdf", True), [["Wyvernshire Neglect Strategy", "", PARA,
                                       "The heron panel meets monthly."]])
    add("good.html", True).write_text(
        "<html><head><title>Wyvernshire Front Door</title></head><body><h1>Front door</h1>"
        f"<p>{PARA}</p><p>The osprey line is staffed all day.</p></body></html>")
    add("utf16-bom.txt", True, "lapwing").write_bytes(
        ("Lapwing visits are recorded within two working days. " * 8).encode("utf-16"))
    add("utf16-nobom.txt", True, "curlew").write_bytes(
        ("Curlew reviews happen after every strategy meeting. " * 8).encode("utf-16-le"))
    add("cp1252.txt", True, "plover").write_bytes(
        ("Plover café notes – the “Wyvernshire” £5 voucher scheme is reviewed yearly. " * 6)
        .encode("cp1252"))
    words = int(2_000_000 * scale) // len(FILLER)
    add("one-line.md", True, "wyvernshire").write_text(FILLER * words)  # 2 MB, no newline

    # --- pathological files: each reported with its reason -----------------------------------
    _broken_xml_docx(write_docx(folder.parent / "source.docx", [("Normal", PARA)] * 20),
                     add("broken-xml.docx", False, "could not be parsed"))
    pdf = write_pdf(folder.parent / "source.pdf", [[PARA]] * 3).read_bytes()
    add("truncated.pdf", False).write_bytes(pdf[: len(pdf) // 3])
    add("nested-arrays.pdf", False, "could not be parsed").write_bytes(
        _nested_array_pdf(int(20_000 * max(scale, 0.5))))
    # A text page whose stream claims compression it lacks: pypdf logs and returns no text,
    # which used to be reported as "image-only".
    add("damaged-stream.pdf", False, "could not be parsed", "decompressing").write_bytes(
        _nested_array_pdf(1).replace(b"<< /Length", b"<< /Filter /FlateDecode /Length"))
    paras = int(1_300 * scale)  # ~104 KB: each <p> nests inside the last in a naive parser
    add("unclosed-p.html", None).write_text(
        "<html><body>" + "".join(f"<p>Paragraph {i}: {FILLER}" for i in range(paras))
        + "</body></html>")
    depth = int(12_000 * scale)  # ~120 KB of nested divs
    add("nested-divs.html", None).write_text(
        "<html><body>" + "<div>" * depth + FILLER + "</div>" * depth + "</body></html>")
    rng = random.Random(14)
    add("binary.txt", False, "binary").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    add("empty.txt", False, "empty").write_bytes(b"")
    loop = folder / "loop"
    os.symlink(folder, loop, target_is_directory=True)
    cases["loop"] = Case("loop", False, ("symlink loop",))
    return cases
