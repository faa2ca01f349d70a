"""Reading a claims extract: CSV or Parquet, checked before any work, scanned lazily.

A claims extract has one row per declared prestatie: `client_id`, `activity` (the claim
code), `provider`, `units`, `amount`, `date`, optionally `profile` and `region`. Amounts
become whole cents (int64) as they are read, so every sum of money is exact; units are
float64 (sums of whole or quarter units are exact far beyond any extract's size). A value
that does not parse is found by a slower second pass, only after a query failed, and
named with its line.

The path is read as it is written: never expanded as a glob (`claims[2024].csv`, a file
literally named `sm*.csv`). A column calibrate reads may appear once in the header, and
no line may have more fields than the header (the first full scan reads every column, so
polars checks every line).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from bekostiging import encoding
from bekostiging.calibrate.errors import CalibrationError
from bekostiging.findings import Finding, did_you_mean

REQUIRED = ("client_id", "activity", "provider", "units", "amount", "date")
_EXAMPLES = 3  # lines named in a message
_CSV_TYPES = {
    "client_id": pl.String,
    "activity": pl.String,
    "provider": pl.String,
    "units": pl.Float64,
    "amount": pl.Float64,
    "date": pl.Date,
    "profile": pl.String,
    "region": pl.String,
}


@dataclass
class Claims:
    """An opened claims file: its format, its columns and how to read it."""

    path: Path
    shown: str
    format: str  # csv | parquet
    columns: list[str]
    csv_options: dict[str, Any] = field(default_factory=dict)
    parquet_schema: dict[str, pl.DataType] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)  # of the header, told by check_columns

    @property
    def row_word(self) -> str:
        return "line" if self.format == "csv" else "row"

    @property
    def row_offset(self) -> int:
        return 2 if self.format == "csv" else 1  # CSV: line 1 is the header

    def scan(
        self,
        columns: list[str],
        *,
        raw: bool = False,
        every_field: bool = False,
        where: Callable[[dict[str, pl.Expr]], pl.Expr] | None = None,
    ) -> pl.LazyFrame:
        """The claims as typed columns: client_id, code, provider, units, cents, date, ...

        `raw` reads CSV columns as text, for finding the values that do not parse.
        `every_field` adds a column `_fields` that reads every other column of a CSV too:
        polars checks a line's number of fields only when it reads every column.
        `where(typed)` keeps the lines it is true for, given the typed columns by their
        names here (`code`, `cents`, ...) as expressions of the columns read: the filter
        comes before the typing, so the Parquet reader decodes the other columns only
        for the lines it keeps.
        """
        if self.format == "csv":
            if raw:
                return _scan_csv(self.path, infer_schema=False, **self.csv_options).select(columns)
            frame = _scan_csv(
                self.path,
                infer_schema=False,  # other columns stay text: never guessed, never parsed
                schema_overrides={c: _CSV_TYPES[c] for c in self.columns if c in _CSV_TYPES},
                **self.csv_options,
            )
        else:
            frame = pl.scan_parquet(self.path, glob=False)
            if raw:
                return frame.select(columns)
        amount = pl.col("amount")
        cents = (amount * 100).round(0)
        if self.format == "csv" or self.parquet_schema.get("amount") in (pl.Float32, pl.Float64):
            amount = amount.cast(pl.Float64)
            cents = pl.when(amount.is_finite()).then((amount * 100).round(0))
        typed = {
            "client_id": pl.col("client_id"),
            "code": pl.col("activity").cast(pl.String),
            "provider": pl.col("provider").cast(pl.String),
            "units": pl.when(pl.col("units").cast(pl.Float64).is_finite()).then(
                pl.col("units").cast(pl.Float64)
            ),
            "cents": cents.cast(pl.Int64, strict=False),
            "date": pl.col("date").cast(pl.Date),
            "profile": pl.col("profile").cast(pl.String),
            "region": pl.col("region").cast(pl.String),
        }
        if where is not None:
            frame = frame.filter(where(typed))
        names = {"activity": "code", "amount": "cents"}
        selected = [typed[names.get(c, c)].alias(names.get(c, c)) for c in columns]
        if every_field and self.unread(columns):
            selected.append(pl.sum_horizontal(pl.col(self.unread(columns)).is_null()).alias("_fields"))
        return frame.select(selected)

    def unread(self, columns: list[str]) -> list[str]:
        """The CSV columns besides `columns`: `scan(every_field=True)` reads them as `_fields`."""
        return [c for c in self.columns if c not in columns] if self.format == "csv" else []


def _scan_csv(path: Path, **options: Any) -> pl.LazyFrame:
    """A CSV file by its literal name: polars would expand `*`, `?` and `[...]` as a glob."""
    return pl.scan_csv(path, glob=False, **options)


def open_claims(path: Path | str) -> Claims:
    """Find the format (Parquet by magic or suffix, else CSV and its dialect) and the columns."""
    from bekostiging.scenario.toml_files import display

    path = Path(path)
    shown = display(path)

    def fail(message: str) -> CalibrationError:
        return CalibrationError([Finding(shown, "", message)])

    if not path.exists():
        raise fail("file not found")
    if path.is_dir():
        raise fail("is a directory; give a CSV or Parquet file")
    if path.stat().st_size == 0:
        raise fail("is empty (0 bytes): no header, no claim lines")
    with path.open("rb") as handle:
        head = handle.read(65536)
    suffix = path.suffix.lower()
    if head[:4] == b"PAR1" or suffix in (".parquet", ".pq"):
        try:
            schema = dict(pl.scan_parquet(path, glob=False).collect_schema())
        except Exception as exc:  # polars raises several kinds for a broken file
            raise fail(f"is not a readable Parquet file ({first_line(exc)})") from None
        return Claims(path, shown, "parquet", list(schema), parquet_schema=schema)
    if encoding.is_utf16(head):
        raise fail(encoding.problem(head, 0))
    if b"\x00" in head:
        raise fail("is a binary file, neither CSV nor Parquet")
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut off at the end of the sample
            raise fail(encoding.problem(head, exc.start)) from None
        text = head[: exc.start].decode("utf-8-sig")
    header = text.splitlines()[0] if text.strip() else ""
    if not header.strip():
        raise fail("has no header line (the first line is empty)")
    options: dict[str, Any] = {}
    if header.count(";") > header.count(","):
        options = {"separator": ";", "decimal_comma": True}  # Dutch Excel: ';' and decimal comma
    elif header.count("\t") > header.count(","):
        options = {"separator": "\t"}
    try:
        columns = list(_scan_csv(path, infer_schema=False, **options).collect_schema())
    except Exception as exc:
        raise fail(f"could not read the CSV header ({first_line(exc)})") from None
    duplicates = _duplicate_columns(header, options.get("separator", ","))
    problems = [Finding(shown, name, message) for name, message in duplicates]
    return Claims(path, shown, "csv", columns, csv_options=options, problems=problems)


def _duplicate_columns(header: str, separator: str) -> list[tuple[str, str]]:
    """(column, message) for each column calibrate reads that the header names more than once.

    polars would read the first and rename the others (`units_duplicated_0`), so a figure
    could come silently from the wrong column. Other columns are never read: a repeat
    there does no harm.
    """
    names = next(csv.reader([header], delimiter=separator), [])
    places: dict[str, list[int]] = {}
    for number, name in enumerate(names, start=1):
        if name in _CSV_TYPES:
            places.setdefault(name, []).append(number)
    out = []
    for name, numbers in places.items():
        if len(numbers) > 1:
            times = "twice" if len(numbers) == 2 else f"{len(numbers)} times"
            listed = ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
            out.append(
                (
                    name,
                    f"line 1 (the header) names this column {times} (columns {listed}); "
                    "calibrate cannot tell which one holds the figures: rename or remove one",
                )
            )
    return out


def check_columns(claims: Claims, by: str | None) -> list[str]:
    """The columns to read; raise for columns named twice, missing required ones and wrong
    Parquet types."""
    problems = list(claims.problems)
    missing = [c for c in REQUIRED if c not in claims.columns]
    if by == "region" and "region" not in claims.columns:
        missing.append("region")
    for column in missing:
        hint = did_you_mean(column, claims.columns)
        if not hint:
            lowered = {c.lower().strip(): c for c in claims.columns}
            if column in lowered:
                hint = f" (there is '{lowered[column]}': names are case-sensitive)"
        problems.append(Finding(claims.shown, column, f"required column is missing{hint}"))
    if missing:
        problems.append(Finding(claims.shown, "", f"columns found: {', '.join(claims.columns) or '(none)'}"))
    wanted = list(REQUIRED)
    if "profile" in claims.columns:
        wanted.append("profile")
    if by == "region":
        wanted.append("region")
    if claims.format == "parquet":
        for column in wanted:
            problem = _parquet_type_problem(column, claims.parquet_schema.get(column))
            if problem:
                problems.append(Finding(claims.shown, column, problem))
    if problems:
        raise CalibrationError(problems)
    return wanted


def _parquet_type_problem(column: str, dtype: pl.DataType | None) -> str | None:
    if dtype is None:  # missing: reported as such
        return None
    text_like = dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum | pl.Categorical)
    if column in ("units", "amount") and not dtype.is_numeric():
        return f"must be numeric, but the Parquet column is {dtype}"
    if column == "date" and not (dtype == pl.Date or isinstance(dtype, pl.Datetime)):
        return f"must be a date, but the Parquet column is {dtype}"
    if column in ("activity", "client_id", "provider") and not (text_like or dtype.is_integer()):
        return f"must be text or an integer, but the Parquet column is {dtype}"
    if column in ("profile", "region") and not text_like:
        return f"must be text, but the Parquet column is {dtype}"
    return None


def collect(claims: Claims, query: pl.LazyFrame, columns: list[str]) -> pl.DataFrame:
    """Collect on the streaming engine; turn a parse failure into a clear CalibrationError."""
    try:
        return query.collect(engine="streaming")
    except (pl.exceptions.PolarsError, OSError) as exc:
        try:
            problems = _diagnose(claims, columns)
        except (pl.exceptions.PolarsError, OSError):  # too broken to read even as text
            problems = []
        if not problems and claims.format == "csv" and "utf-8" in first_line(exc).lower():
            found = encoding.file_problem(claims.path)  # beyond the sample open_claims checked
            problems = [Finding(claims.shown, "", found)] if found else []
        if not problems and "more fields than defined" in first_line(exc):
            problems = _longer_lines(claims)
        if not problems:
            message = first_line(exc)
            if "more fields than defined" in message:
                message = f"a line has more fields than the header ({message})"
            elif 'could not parse `"' in message or "malformed" in message:
                message = f"a quote is not closed ({message})"
            problems = [Finding(claims.shown, "", f"could not be read as {claims.format.upper()}: {message}")]
        raise CalibrationError(problems) from None


def collect_all(claims: Claims, queries: list[pl.LazyFrame], columns: list[str]) -> list[pl.DataFrame]:
    """Collect several queries at once (their scans run side by side on the streaming
    engine); on a failure, one by one, for `collect`'s message."""
    try:
        return pl.collect_all(queries, engine="streaming")
    except (pl.exceptions.PolarsError, OSError):
        return [collect(claims, query, columns) for query in queries]


def _longer_lines(claims: Claims) -> list[Finding]:
    """The first lines with more fields than the header (the slow path, after a failure)."""
    separator = claims.csv_options.get("separator", ",")
    found: list[str] = []
    more = False
    try:
        with claims.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=separator)
            width = len(next(reader, []))
            start = reader.line_num + 1
            for fields in reader:
                if len(fields) > width:
                    if len(found) == _EXAMPLES:
                        more = True
                        break
                    found.append(f"line {start} has {len(fields)}")
                start = reader.line_num + 1
    except (OSError, UnicodeDecodeError, csv.Error):  # polars' message is the best there is
        return []
    if not found:
        return []
    listed = ", ".join(found) + (", ..." if more else "")
    return [Finding(claims.shown, "", f"a line has more fields than the header ({width}): {listed}")]


def _diagnose(claims: Claims, columns: list[str]) -> list[Finding]:
    """Find the values that do not parse (the slow path, only after a failure)."""
    if claims.format != "csv":
        return []
    raw = claims.scan(columns, raw=True).with_row_index("_row")
    comma = claims.csv_options.get("decimal_comma", False)

    def number(col: str) -> pl.Expr:
        text = pl.col(col)
        if comma:
            text = text.str.replace(",", ".", literal=True)
        return text.cast(pl.Float64, strict=False)

    parsed = {
        "units": (number("units"), "a number"),
        "amount": (number("amount"), "an amount in euros"),
        "date": (pl.col("date").str.to_date(strict=False), "a date (YYYY-MM-DD)"),
    }
    problems = []
    for column, (expr, kind) in parsed.items():
        if column not in columns:
            continue
        bad = raw.filter(pl.col(column).is_not_null() & expr.is_null())
        found = bad.select(n=pl.len(), rows=pl.col("_row").head(3), values=pl.col(column).head(3)).collect(
            engine="streaming"
        )
        if found.height and found["n"][0]:
            n = found["n"][0]
            examples = ", ".join(
                f"{value!r} on {claims.row_word} {row + claims.row_offset}"
                for row, value in zip(found["rows"].to_list(), found["values"].to_list(), strict=False)
            )
            problems.append(
                Finding(claims.shown, column, f"{n:,} value{'s' if n != 1 else ''} not {kind}: {examples}")
            )
    return problems


def null_problems(claims: Claims, columns: list[str], nulls: dict[str, int]) -> list[Finding]:
    """Required values that are empty (or not finite numbers), with the first lines that have one."""
    problems = []
    bad = [c for c in columns if nulls.get(c)]
    if not bad:
        return problems
    typed = claims.scan(columns).with_row_index("_row")
    names = {"activity": "code", "amount": "cents"}
    for column in bad:
        rows = (
            typed.filter(pl.col(names.get(column, column)).is_null())
            .select(pl.col("_row").head(3))
            .collect(engine="streaming")["_row"]
            .to_list()
        )
        where = ", ".join(str(r + claims.row_offset) for r in rows)
        what = "empty" if column not in ("units", "amount") else "empty or not a finite number"
        n = nulls[column]
        problems.append(
            Finding(
                claims.shown,
                column,
                f"{n:,} value{'s are' if n != 1 else ' is'} {what} ({claims.row_word} {where}"
                f"{', ...' if n > len(rows) else ''}); every claim line needs one",
            )
        )
    return problems


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (polars adds pages of hints)."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
