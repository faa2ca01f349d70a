"""JSON: the result's one document (its envelope and every table), numbers exact.

Each result says what its document holds (`Result.document`): compare's is CLI.md's
`schema_version` 1 envelope, explain's the versioned trace. `Decimal` is written as the
exact number it is, never through a float. Text is UTF-8 as written, but every control
character is a `\\u` escape (JSON escapes C0 itself; DEL and C1 too, here), so a document
printed to a terminal never sends one raw: the same string to any JSON reader.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

_RAW_CONTROL = re.compile("[\x7f-\x9f]")  # what json.dumps leaves unescaped


def _string(text: str) -> str:
    return _RAW_CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(text, ensure_ascii=False))


def write(result: Any, table: str | None, *, dialect: str = "standard", lang: str = "nl") -> str:
    return dumps(result.document(table)) + "\n"


def rows(frame: Any) -> list[dict[str, Any]]:
    """A frame's rows as dicts (structs as dicts, decimals as `Decimal`), for a document."""
    return list(frame.iter_rows(named=True))


def dumps(value: Any, indent: int = 2, level: int = 0) -> str:
    """JSON with `Decimal` written as exact numbers (the json module would need floats),
    and dates as ISO text (`2024-03-01`)."""
    pad, inner = " " * (indent * level), " " * (indent * (level + 1))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_string(str(k))}: {dumps(v, indent, level + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + dumps(v, indent, level + 1) for v in value) + "\n" + pad + "]"
    if isinstance(value, str):
        return _string(value)
    return json.dumps(value, ensure_ascii=False)
