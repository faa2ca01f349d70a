"""Text files as people save them: UTF-8, with or without a byte-order mark.

Windows Notepad and Excel put a byte-order mark (BOM) before UTF-8 text; it is dropped.
Any other encoding (a Windows code page from "CSV (gescheiden door lijstscheidingsteken)",
UTF-16 from Notepad's "Unicode") is refused with a message that says where the first
byte that is not UTF-8 is, and what to do about it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

HINT = "save it as UTF-8 (sla op als UTF-8)"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CHUNK = 1 << 20


class NotUtf8(ValueError):
    """Bytes that are not UTF-8 text; the message says where and what to do."""


def decode(raw: bytes) -> str:
    """UTF-8 bytes as text, without a leading byte-order mark; `NotUtf8` otherwise."""
    if raw.startswith(_UTF16_BOMS):
        raise NotUtf8(f"is UTF-16 text: {HINT}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotUtf8(_located(raw, exc.start)) from None


def is_utf16(raw: bytes) -> bool:
    """Starts with a UTF-16 byte-order mark (its text is full of NUL bytes)."""
    return raw.startswith(_UTF16_BOMS)


def problem(raw: bytes, start: int) -> str:
    """The message for `raw`, whose byte `start` is the first that is not UTF-8."""
    return f"is UTF-16 text: {HINT}" if is_utf16(raw) else _located(raw, start)


def file_problem(path: Path) -> str | None:
    """Why the file is not UTF-8 text (read in chunks, however large), or None if it is."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0  # newlines before the current chunk
    with path.open("rb") as handle:
        first = True
        while chunk := handle.read(_CHUNK):
            if first and is_utf16(chunk):
                return f"is UTF-16 text: {HINT}"
            first = False
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                data = exc.object  # the decoder's pending bytes (never a newline) + this chunk
                return _message(lines + data.count(b"\n", 0, exc.start) + 1, data[exc.start])
            lines += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return _message(lines + 1, None)
    return None


def _located(raw: bytes, start: int) -> str:
    return _message(raw.count(b"\n", 0, start) + 1, raw[start] if start < len(raw) else None)


def _message(line: int, byte: int | None) -> str:
    what = f"byte 0x{byte:02x}" if byte is not None else "the last bytes"
    return f"is not UTF-8 text (line {line}: {what}): {HINT}"
