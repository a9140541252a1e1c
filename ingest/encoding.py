"""Decode text files whatever Windows tool wrote them, or refuse them with a reason.

Notepad and Word save "Unicode text" as UTF-16, usually with a byte-order mark, sometimes
without; older exports are Windows-1252. Decoding UTF-16 as UTF-8/cp1252 used to put NUL-laden
garbage in the index, so NULs and control characters after decoding are an error, never text.
"""

from __future__ import annotations

import codecs
import re

from knowledge.errors import UnreadableFile

#: Byte-order marks, longest first (a UTF-32-LE BOM starts with the UTF-16-LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Bytes sampled to guess BOM-less UTF-16 (enough for a stable ratio, cheap on big files).
_SAMPLE_BYTES = 8192
#: In BOM-less UTF-16 of Latin-script text, about every other byte is NUL; binary data is not
#: that regular. Share of NUL bytes at odd (LE) or even (BE) offsets needed to call it UTF-16.
_UTF16_NUL_SHARE = 0.4
#: ...while the other half must be nearly NUL-free.
_UTF16_OTHER_NUL_SHARE = 0.05
#: Control characters (besides tab, newlines, form feed) tolerated per decoded character:
#: a stray one in an export is fine, binary data decoded as cp1252 has ~10%.
_MAX_CONTROL_SHARE = 0.005
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # not tab, newlines, \v, form feed


def decode_text(name: str, data: bytes) -> str:
    """Text of `data` (BOM, UTF-16 without BOM, UTF-8, then Windows-1252), or UnreadableFile."""
    encoding, body = _sniff(data)
    candidates = (encoding,) if encoding else ("utf-8", "cp1252")
    for candidate in candidates:
        try:
            text = body.decode(candidate)
        except UnicodeDecodeError:
            continue
        _check_is_text(name, text)
        return text
    tried = encoding or "UTF-8 or Windows-1252"
    raise UnreadableFile(f"{name}: looks like binary data, not {tried} text",
                         hint="save it as UTF-8 text and ingest that")


def _sniff(data: bytes) -> tuple[str | None, bytes]:
    """(encoding, body without BOM) when a BOM or the NUL pattern says; else (None, data)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, data[len(bom):]
    sample = data[:_SAMPLE_BYTES]
    pairs = len(sample) // 2
    if pairs and b"\x00" in sample:
        even = sample[0::2].count(0) / pairs
        odd = sample[1::2].count(0) / pairs
        if odd >= _UTF16_NUL_SHARE and even <= _UTF16_OTHER_NUL_SHARE:
            return "utf-16-le", data
        if even >= _UTF16_NUL_SHARE and odd <= _UTF16_OTHER_NUL_SHARE:
            return "utf-16-be", data
    return None, data


def _check_is_text(name: str, text: str) -> None:
    if "\x00" in text:
        raise UnreadableFile(f"{name}: looks like binary data, not text (it contains NUL bytes)",
                             hint="save it as UTF-8 text and ingest that")
    controls = len(_CONTROL.findall(text))
    if controls > max(1, len(text) * _MAX_CONTROL_SHARE):
        raise UnreadableFile(f"{name}: looks like binary data, not text "
                             f"({controls} control characters)",
                             hint="save it as UTF-8 text and ingest that")
