"""CSV: one table, as CLI.md says (plain decimals; text guarded against formulas).

Dialects: `standard` (`,` and `.`), and `excel-nl` for Dutch Excel (`;`, a decimal comma
and a UTF-8 byte-order mark, written as bytes so the mark survives any terminal).
Numbers are never altered; a text cell that a spreadsheet would run as a formula gets a
leading `'`.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

# name -> (field separator, decimal mark, byte-order mark)
DIALECTS = {"standard": (",", ".", ""), "excel-nl": (";", ",", "\ufeff")}
INJECTION = ("=", "+", "-", "@", "\t", "\r")


def write(result: Any, table: str | None, *, dialect: str = "standard", lang: str = "nl") -> str | bytes:
    text = frame_csv(result.table(table or result.default_table), dialect)
    return text.encode("utf-8") if dialect == "excel-nl" else text


def frame_csv(frame: Any, dialect: str = "standard") -> str:
    """A frame as CSV; nested columns (shared savings' `recipients`) are left to json/parquet."""
    import polars as pl

    separator, mark, bom = DIALECTS[dialect]
    columns = [c for c, dtype in frame.schema.items() if not isinstance(dtype, pl.List)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerow(columns)
    for row in frame.select(columns).iter_rows():
        writer.writerow([cell(value, mark) for value in row])
    return bom + out.getvalue()


def cell(value: Any, mark: str = ".") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = str(value)
        return text.replace(".", mark) if mark != "." else text
    if isinstance(value, int):
        return str(value)
    return guard(str(value))


def guard(text: str) -> str:
    """A text cell as a spreadsheet should read it: never a formula, never a broken row."""
    if text.startswith(INJECTION):  # spreadsheet formula injection
        text = "'" + text
    # A bare carriage return would end a row in a spreadsheet: make it a quoted newline.
    return text.replace("\r\n", "\n").replace("\r", "\n")
