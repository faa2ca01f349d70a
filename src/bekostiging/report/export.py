"""Spreadsheet and columnar exports: excel-nl CSV, Parquet and xlsx, each as bytes.

Pure functions of the figures (no I/O, no clock, no randomness): the CLI writes the
bytes atomically, and the same input gives byte-identical output (SECURITY.md). The cell
logic of CSV (scaled decimals, formula-injection guard) is render.py's, never a copy.

Numbers stay exact up to the point a format forces otherwise: Parquet gets exact decimal
columns; xlsx stores doubles by nature (see `_xlsx_number`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bekostiging.report import i18n
from bekostiging.report.figures import MONEY, SCALES, TABLES, Figures, columns_of
from bekostiging.report.render import Meta, _csv_cell, render_csv, scaled

# Every stored column is an Int64 of scaled units, and an Int64 has at most 19 digits, so a
# precision of 20 holds any value the figures can carry (coverage and delta_pct have no
# natural upper bound: a tiny base makes them large). No value can overflow the dtype.
DECIMAL_PRECISION = 20

XLSX_MAX_ROWS = 1_048_576  # Excel's limit per sheet, the header row included
XLSX_MAX_TEXT = 32_767  # Excel's limit per cell
# xlsxwriter puts a creation date in docProps/core.xml; a fixed one keeps output reproducible.
XLSX_CREATED = datetime(2000, 1, 1)
MONEY_FORMAT = "[$€-2] #,##0.00;[$€-2] -#,##0.00"  # shown with the user's own separators
FRACTION_FORMAT = "0.00%"  # coverage, savings_rate: a fraction with 4 decimals
PERCENT_NUMBER_FORMAT = "0.00"  # delta_pct: already a percentage, 2 decimals


class ExportTooLarge(ValueError):
    """The figures do not fit the format (Excel's row or cell limits); nothing was cut off."""


# ------------------------------------------------------------------ CSV (excel-nl)


def csv_excel_nl(frame: Any, table_name: str) -> bytes:
    """CLI.md's `excel-nl` dialect: `;`, decimal comma, UTF-8 BOM; else as `render_csv`."""
    return render_csv(frame, table_name, dialect="excel-nl").encode("utf-8")


# ------------------------------------------------------------------ Parquet


def decimal_dtype(column: str) -> Any:
    import polars as pl

    return pl.Decimal(DECIMAL_PRECISION, SCALES[column])


def exact_frame(frame: Any, table_name: str) -> Any:
    """The table with every scaled column as an exact polars Decimal; built from `Decimal`s."""
    import polars as pl

    series = []
    for column in columns_of(frame, table_name):
        values = frame.get_column(column)
        if column in SCALES:
            series.append(
                pl.Series(column, [scaled(v, column) for v in values.to_list()], dtype=decimal_dtype(column))
            )
        elif column == "recipients":
            struct = pl.Struct({"party": pl.String, "amount": decimal_dtype("amount")})
            rows = [
                None
                if recipients is None
                else [{"party": r["party"], "amount": scaled(r["amount"], "amount")} for r in recipients]
                for recipients in values.to_list()
            ]
            series.append(pl.Series(column, rows, dtype=pl.List(struct)))
        else:
            series.append(values)
    return pl.DataFrame(series)


def parquet(frame: Any, table_name: str) -> bytes:
    """One table as Parquet: money Decimal(20, 2), delta_pct (20, 2), fractions (20, 4)."""
    buffer = io.BytesIO()
    exact_frame(frame, table_name).write_parquet(buffer, compression="zstd", statistics=True)
    return buffer.getvalue()


# ------------------------------------------------------------------ xlsx


def xlsx(figures: Figures, meta: Meta, lang: str = "nl") -> bytes:
    """Every table as a sheet (named as the table) plus a sheet of sources (`bronnen`/`sources`).

    Raises `ExportTooLarge` rather than cut a table or a text cell to Excel's limits.
    """
    sources = i18n.labels(lang).sources  # raises ValueError for an unknown language
    import xlsxwriter  # lazily: `bekostiging --help` should not pay for it

    # The contract tables, then any made on request (`--by`, `--attribution`) if present.
    names = [*TABLES, *(n for n in getattr(figures, "extra", {}) if n not in TABLES)]
    for name in names:
        rows = figures.table(name).height + 1
        if rows > XLSX_MAX_ROWS:
            raise ExportTooLarge(
                f"table {name} has {rows - 1} rows; an Excel sheet holds at most {XLSX_MAX_ROWS - 1}"
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
    formats = {
        "header": workbook.add_format({"bold": True}),
        "money": workbook.add_format({"num_format": MONEY_FORMAT}),
        "fraction": workbook.add_format({"num_format": FRACTION_FORMAT}),
        "percent": workbook.add_format({"num_format": PERCENT_NUMBER_FORMAT}),
    }
    for name in names:
        _table_sheet(workbook.add_worksheet(name), figures.table(name), name, formats)
    _sources_sheet(workbook.add_worksheet(sources["sheet"]), meta, sources, formats)
    workbook.close()
    return buffer.getvalue()


def _table_sheet(sheet: Any, frame: Any, name: str, formats: dict[str, Any]) -> None:
    columns = columns_of(frame, name)
    for c, column in enumerate(columns):
        _check(sheet.write_string(0, c, column, formats["header"]))
    cell_formats = [_number_format(column, formats) for column in columns]
    for r, row in enumerate(frame.select(columns).iter_rows(), start=1):
        for c, (value, column) in enumerate(zip(row, columns, strict=True)):
            if value is None:
                continue  # an empty cell
            if column == "recipients":
                _check(sheet.write_string(r, c, _guard(_recipients_text(value))))
            elif isinstance(value, bool):
                _check(sheet.write_boolean(r, c, value))
            elif column in SCALES:
                _check(sheet.write_number(r, c, _xlsx_number(value, column), cell_formats[c]))
            elif isinstance(value, int):
                _check(sheet.write_number(r, c, value))
            else:
                _check(sheet.write_string(r, c, _guard(str(value))))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, frame.height, len(columns) - 1)
    sheet.autofit()


def _number_format(column: str, formats: dict[str, Any]) -> Any:
    if column in MONEY:
        return formats["money"]
    if column == "delta_pct":
        return formats["percent"]
    if column in SCALES:
        return formats["fraction"]
    return None


def _xlsx_number(value: int, column: str) -> float:
    # A spreadsheet number is an IEEE double, so the exact Decimal becomes the nearest
    # double (float(Decimal) rounds correctly). Excel shows at most 15 significant digits,
    # and every amount with at most 15 (below EUR 10^13, far beyond MAX_LEDGER_CENTS) comes
    # back from its nearest double as the same decimal: the cents shown are exact.
    return float(scaled(value, column))


def _recipients_text(recipients: list[dict[str, Any]]) -> str:
    return "; ".join(f"{r['party']}: {scaled(r['amount'], 'amount')}" for r in recipients)


def _guard(text: str) -> str:
    """render.py's rule for text cells (a leading `'` before = + - @ tab CR), not a copy of it."""
    return _csv_cell(text, "")


def _check(status: int) -> None:
    """xlsxwriter reports a row beyond Excel's limit or a cut-off string by a return code."""
    if status == -2:
        raise ExportTooLarge(f"a text cell is longer than Excel's limit of {XLSX_MAX_TEXT} characters")
    if status < 0:
        raise ExportTooLarge(f"xlsxwriter could not write a cell (code {status})")


def _sources_sheet(sheet: Any, meta: Meta, labels: Mapping[str, str], formats: dict[str, Any]) -> None:
    from bekostiging import __version__

    header = formats["header"]
    rows: list[tuple[str, ...]] = [
        (labels["scenario"], meta.scenario_name),
        (labels["file"], meta.scenario_file),
        (labels["baseline"], meta.baseline),
        (labels["whatifs"], ", ".join(meta.whatifs) if meta.whatifs else labels["none"]),
        (labels["tool"], f"bekostiging {__version__}"),
    ]
    r = _write_rows(sheet, 0, (labels["field"], labels["value"]), rows, header)
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
    _write_rows(
        sheet,
        r + 1,
        (labels["parties"], labels["name"], labels["role"]),
        [(p["id"], p["name"], p["role"]) for p in meta.parties],
        header,
    )
    sheet.autofit()


def _write_rows(sheet: Any, start: int, head: tuple[str, ...], rows: list[tuple[str, ...]], fmt: Any) -> int:
    """A bold header and text rows from `start`; returns the first row after them."""
    for c, text in enumerate(head):
        _check(sheet.write_string(start, c, text, fmt))
    for r, row in enumerate(rows, start=start + 1):
        for c, text in enumerate(row):
            _check(sheet.write_string(r, c, _guard(str(text))))
    return start + 1 + len(rows)
