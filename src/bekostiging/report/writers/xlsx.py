"""xlsx: every table of a result as a sheet, plus a sheet of sources (`bronnen`/`sources`).

Pure (no I/O, no clock, no randomness): the same result gives byte-identical bytes
(SECURITY.md). A spreadsheet number is an IEEE double, so an exact decimal becomes the
nearest double (`float(Decimal)` rounds correctly); Excel shows at most 15 significant
digits, and every amount with at most 15 (below EUR 10^13) comes back from its nearest
double as the same decimal: the cents shown are exact. A table that does not fit Excel's
limits is refused (`ExportTooLarge`), never cut off.
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any

from bekostiging.report import i18n
from bekostiging.report.writers.csv import guard

XLSX_MAX_ROWS = 1_048_576  # Excel's limit per sheet, the header row included
XLSX_MAX_TEXT = 32_767  # Excel's limit per cell
# xlsxwriter puts a creation date in docProps/core.xml; a fixed one keeps output reproducible.
XLSX_CREATED = datetime(2000, 1, 1)
MONEY_FORMAT = "[$€-2] #,##0.00;[$€-2] -#,##0.00"  # shown with the user's own separators
# Every percentage is an Excel percentage: a fraction shown as `12,34%`. coverage,
# savings_rate, p_loss are fractions (4 decimals); delta_pct, a percentage with 2
# decimals elsewhere, is written as its fraction (35.82 -> 0.3582, shown 35,82%).
PERCENT_FORMAT = "0.00%"
INTEGER_FORMAT = "0"  # years, indexes: whole numbers, no separators
PERCENTAGES = ("delta_pct",)  # 2 decimals, like money, but a percentage


class ExportTooLarge(ValueError):
    """The figures do not fit the format (Excel's row or cell limits); nothing was cut off."""


def write(result: Any, table: str | None = None, *, dialect: str = "standard", lang: str = "nl") -> bytes:
    """Every table as a sheet named after it (`table` is not needed: they are all there)."""
    sources = i18n.labels(lang).sources  # raises ValueError for an unknown language
    import xlsxwriter  # lazily: `bekostiging --help` should not pay for it

    frames = {name: result.table(name) for name in result.sheets()}
    for name, frame in frames.items():
        if frame.height + 1 > XLSX_MAX_ROWS:
            raise ExportTooLarge(
                f"table {name} has {frame.height} rows; an Excel sheet holds at most {XLSX_MAX_ROWS - 1}"
                f" (use --format csv or parquet with --table {name})"
            )

    buffer = io.BytesIO()
    # in_memory: every zip entry gets the fixed date 1980-01-01 (with temp files it would
    # be a date set through the local clock functions). No strings become formulas or URLs.
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties({"created": XLSX_CREATED})
    percent = workbook.add_format({"num_format": PERCENT_FORMAT})
    formats = {
        "header": workbook.add_format({"bold": True}),
        "money": workbook.add_format({"num_format": MONEY_FORMAT}),
        "fraction": percent,
        "percent": percent,
        "integer": workbook.add_format({"num_format": INTEGER_FORMAT}),
    }
    for name, frame in frames.items():
        _table_sheet(workbook.add_worksheet(name), frame, formats, result.number_kinds(name))
    if result.sources:
        _sources_sheet(workbook.add_worksheet(sources["sheet"]), result.sources, sources, formats)
    workbook.close()
    return buffer.getvalue()


def _table_sheet(
    sheet: Any, frame: Any, formats: dict[str, Any], by_row: list[dict[str, str]] | None = None
) -> None:
    """The table, each number in the format of its kind: the column's (`_kind`), or, for
    the columns whose kind depends on the row (`Result.number_kinds`), the row's."""
    columns = frame.columns
    for c, column in enumerate(columns):
        _check(sheet.write_string(0, c, column, formats["header"]))
    kinds = [_kind(column, dtype) for column, dtype in frame.schema.items()]
    for r, row in enumerate(frame.iter_rows(), start=1):
        row_kinds = by_row[r - 1] if by_row else {}
        for c, value in enumerate(row):
            if value is None:
                continue  # an empty cell
            if isinstance(value, list):
                _check(sheet.write_string(r, c, guard(_recipients_text(value))))
            elif isinstance(value, bool):
                _check(sheet.write_boolean(r, c, value))
            elif isinstance(value, Decimal | int):
                kind = row_kinds.get(columns[c], kinds[c])
                if kind == "percent":  # a percentage as Excel's fraction
                    value = Decimal(value).scaleb(-2)
                number = float(value) if isinstance(value, Decimal) else value
                _check(sheet.write_number(r, c, number, formats[kind] if kind else None))
            else:
                _check(sheet.write_string(r, c, guard(str(value))))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, frame.height, len(columns) - 1)
    sheet.autofit()


def _kind(column: str, dtype: Any) -> str | None:
    """The kind of number a column holds: money (2 decimals), a percentage (`delta_pct`),
    a fraction (4 decimals), an integer; None for text or numbers as written."""
    import polars as pl

    if isinstance(dtype, pl.Decimal):
        if column in PERCENTAGES:
            return "percent"
        return {2: "money", 4: "fraction"}.get(dtype.scale)
    return "integer" if dtype.is_integer() else None


def _recipients_text(recipients: list[dict[str, Any]]) -> str:
    return "; ".join(f"{r['party']}: {r['amount']}" for r in recipients)


def _check(status: int) -> None:
    """xlsxwriter reports a row beyond Excel's limit or a cut-off string by a return code."""
    if status == -2:
        raise ExportTooLarge(f"a text cell is longer than Excel's limit of {XLSX_MAX_TEXT} characters")
    if status < 0:
        raise ExportTooLarge(f"xlsxwriter could not write a cell (code {status})")


def _sources_sheet(sheet: Any, metas: list[Any], labels: dict[str, str], formats: dict[str, Any]) -> None:
    """Per scenario: its name, file, baseline, what-ifs, `--set` overrides, the tool; its
    inputs with their sha256 (the overrides' as `--set`); its variants and parties
    (several scenarios: one block after the other)."""
    from bekostiging.version import __version__

    header = formats["header"]
    r = 0
    for meta in metas:
        rows: list[tuple[str, ...]] = [
            (labels["scenario"], meta.scenario_name),
            (labels["file"], meta.scenario_file),
            (labels["baseline"], meta.baseline),
            (labels["whatifs"], ", ".join(meta.whatifs) if meta.whatifs else labels["none"]),
            (labels["overrides"], ", ".join(meta.overrides) if meta.overrides else labels["none"]),
            (labels["tool"], f"bekostiging {__version__}"),
        ]
        r = _write_rows(sheet, r, (labels["field"], labels["value"]), rows, header)
        r = _write_rows(
            sheet,
            r + 1,
            (labels["inputs"], labels["sha256"]),
            [(i["file"], i["sha256"]) for i in meta.inputs],
            header,
        )
        r = _write_rows(
            sheet,
            r + 1,
            (labels["variants"], labels["name"]),
            [(v["id"], v["name"]) for v in meta.variants],
            header,
        )
        r = _write_rows(
            sheet,
            r + 1,
            (labels["parties"], labels["name"], labels["role"]),
            [(p["id"], p["name"], p["role"]) for p in meta.parties],
            header,
        )
        r += 1
    sheet.autofit()


def _write_rows(sheet: Any, start: int, head: tuple[str, ...], rows: list[tuple[str, ...]], fmt: Any) -> int:
    """A bold header and text rows from `start`; returns the first row after them."""
    for c, text in enumerate(head):
        _check(sheet.write_string(start, c, text, fmt))
    for r, row in enumerate(rows, start=start + 1):
        for c, text in enumerate(row):
            _check(sheet.write_string(r, c, guard(str(text))))
    return start + 1 + len(rows)
