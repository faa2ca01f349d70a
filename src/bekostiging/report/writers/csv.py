"""CSV: one table, as CLI.md says (plain decimals; text guarded against formulas).

Dialects: `standard` (`,` and `.`, booleans `true`/`false`), and `excel-nl` for Dutch
Excel (`;`, a decimal comma, booleans `WAAR`/`ONWAAR`, the words Dutch Excel reads as its
TRUE and FALSE, and a UTF-8 byte-order mark, written as bytes so the mark survives any
terminal).
Numbers are never altered; a text cell that a spreadsheet would run as a formula gets a
leading `'`, and a control character in a text cell (a claim code, a file name) is shown as
its escape (`\\x1b`), so that a CSV printed to a terminal never sends one raw.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from bekostiging.printable import printable_lines

# name -> (field separator, decimal mark, byte-order mark)
DIALECTS = {"standard": (",", ".", ""), "excel-nl": (";", ",", "\ufeff")}
# name -> (true, false): Dutch Excel reads WAAR/ONWAAR as booleans (TRUE/FALSE stay text)
BOOLEANS = {"standard": ("true", "false"), "excel-nl": ("WAAR", "ONWAAR")}
INJECTION = ("=", "+", "-", "@", "\t", "\r")


def write(result: Any, table: str | None, *, dialect: str = "standard", lang: str = "nl") -> str | bytes:
    text = frame_csv(result.table(table or result.default_table), dialect)
    return text.encode("utf-8") if dialect == "excel-nl" else text


def frame_csv(frame: Any, dialect: str = "standard") -> str:
    """A frame as CSV; nested columns (shared savings' `recipients`) are left to json/parquet."""
    import polars as pl

    separator, mark, bom = DIALECTS[dialect]
    booleans = BOOLEANS[dialect]
    columns = [c for c, dtype in frame.schema.items() if not isinstance(dtype, pl.List)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerow(columns)
    for row in frame.select(columns).iter_rows():
        writer.writerow([cell(value, mark, booleans) for value in row])
    return bom + out.getvalue()


def cell(value: Any, mark: str = ".", booleans: tuple[str, str] = BOOLEANS["standard"]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return booleans[0] if value else booleans[1]
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
    return printable_lines(text.replace("\r\n", "\n").replace("\r", "\n"))
