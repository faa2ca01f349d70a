"""Calibrate a scenario's profiles from a claims extract (docs/calibrate.md).

A claims extract has one row per declared prestatie: `client_id`, `activity` (the claim
code), `provider`, `units`, `amount`, `date`, optionally `profile` and `region`. A mapping
file maps claim codes to scenario activities and gives the rules that put each client in
a profile. `calibrate` reads the extract with lazy polars queries on the streaming engine
(memory stays bounded: only per-client and per-code aggregates are ever held) and returns
a `Calibration`: clients per profile, mean units per client per activity (the care path),
the observed mean price per activity beside its tariff, the unmapped codes, the clients
without a profile and the price outliers, plus the scenario fragment as TOML text.

The library never writes files and never exits: bad input raises `CalibrationError` with
every problem found; the CLI prints them and exits 1.

Numbers: amounts are converted to whole cents (int64) on reading, so every sum of money is
exact; units are float64 (sums of whole or quarter units are exact far beyond any
extract's size; the means are rounded to 4 decimals anyway). Quotients (mean price, mean
units per client) are taken in `Decimal` from those exact sums and rounded half-to-even.
Only the outlier rule compares float unit prices, where a rounding error in the 15th digit
cannot change which side of a fence a price falls on in any way that matters.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any, Literal

import polars as pl

from bekostiging.findings import Finding, ScenarioError, did_you_mean

REQUIRED = ("client_id", "activity", "provider", "units", "amount", "date")
OPTIONAL = ("profile", "region")
BY_CHOICES = ("region",)
PATH_DECIMALS = 4
IQR_FACTOR = 3  # Tukey's "far out" fences
IQR_FLOOR = Decimal("0.1")  # the IQR is taken as at least 10 % of the median
EXAMPLES_PER_CODE = 3
MAPPING_KEYS = ("scenario", "default_profile", "unmapped", "codes", "ignore", "profile")
RULE_KEYS = ("name", "any_code", "min_units")
CODE_KEYS = ("activity", "factor")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ID_RULE = "lowercase letters, digits and _, starting with a letter"
_QUARTILES = {"q1": 0.25, "q2": 0.5, "q3": 0.75}


class CalibrationError(ScenarioError):
    """Bad claims or mapping input. `problems` are the messages, one per problem.

    A `ScenarioError`, so code that reports invalid scenarios reports these the same way
    (`error: <file>: <where>: <message>`, exit 1).
    """

    @property
    def problems(self) -> list[str]:
        return [str(f).removeprefix("error: ") for f in self.findings]


# ---------------------------------------------------------------- the mapping


@dataclass(frozen=True)
class CodeMapping:
    activity: str
    factor: Decimal = Decimal(1)  # scenario units per claimed unit (a partial prestatie: 0.5)


@dataclass(frozen=True)
class ProfileRule:
    name: str
    any_code: tuple[str, ...] = ()
    min_units: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class Mapping:
    """A validated mapping file."""

    codes: dict[str, CodeMapping]
    rules: tuple[ProfileRule, ...] = ()
    default_profile: str | None = None
    ignore: frozenset[str] = frozenset()
    scenario: Path | None = None
    unmapped: Literal["report", "error"] = "report"
    source: str = "mapping"

    @property
    def marker_codes(self) -> frozenset[str]:
        """Codes the rules look at that are not activities (diagnosis codes and the like)."""
        used = {c for r in self.rules for c in r.any_code} | {c for r in self.rules for c, _ in r.min_units}
        return frozenset(used - set(self.codes))

    @property
    def profiles(self) -> list[str]:
        """Every profile the mapping can assign, in rule order, the default last."""
        names = [r.name for r in self.rules]
        if self.default_profile:
            names.append(self.default_profile)
        return list(dict.fromkeys(names))


def load_mapping(path: Path | str) -> Mapping:
    """Read and validate a mapping file; raise `CalibrationError` with every problem."""
    from bekostiging.scenario.toml_files import display, read_toml

    path = Path(path)
    shown = display(path)
    data, findings = read_toml(path, shown)
    if data is None:
        raise CalibrationError(findings)
    return parse_mapping(data, shown=shown, base=path.resolve().parent)


def parse_mapping(data: dict[str, Any], *, shown: str = "mapping", base: Path | None = None) -> Mapping:
    """Validate a parsed mapping (TOML read with `parse_float=Decimal`)."""
    problems: list[Finding] = []

    def bad(where: str, message: str) -> None:
        problems.append(Finding(shown, where, message))

    for key in data:
        if key not in MAPPING_KEYS:
            bad(key, f"unknown key{did_you_mean(key, MAPPING_KEYS)}; allowed: {', '.join(MAPPING_KEYS)}")

    scenario = None
    raw_scenario = data.get("scenario")
    if raw_scenario is not None:
        if not isinstance(raw_scenario, str) or not raw_scenario.endswith(".toml"):
            bad("scenario", "must be the path of a scenario .toml file, relative to the mapping file")
        else:
            scenario = (base or Path.cwd()) / raw_scenario

    default = data.get("default_profile")
    if default is not None and not _is_id(default):
        bad("default_profile", f"must be a profile id ({_ID_RULE}), got {_show(default)}")
        default = None

    unmapped = data.get("unmapped", "report")
    if unmapped not in ("report", "error"):
        bad("unmapped", f'must be "report" or "error", got {_show(unmapped)}')
        unmapped = "report"

    codes: dict[str, CodeMapping] = {}
    raw_codes = data.get("codes", {})
    if not isinstance(raw_codes, dict):
        bad("codes", 'must be a table of claim code = "activity_id"')
        raw_codes = {}
    if not raw_codes:
        bad("codes", "maps no claim code to an activity: nothing could be calibrated")
    for code, value in raw_codes.items():
        where = f"codes.{_key(code)}"
        if not code.strip():
            bad(where, "a claim code must not be empty")
            continue
        if isinstance(value, dict):
            for k in value:
                if k not in CODE_KEYS:
                    bad(f"{where}.{k}", f"unknown key{did_you_mean(k, CODE_KEYS)}; allowed: activity, factor")
            activity, factor = value.get("activity"), value.get("factor", 1)
        else:
            activity, factor = value, 1
        if not _is_id(activity):
            bad(where, f"must name an activity id ({_ID_RULE}), got {_show(activity)}")
            continue
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal) or not Decimal(factor) > 0:
            bad(f"{where}.factor", f"must be a number > 0, got {_show(factor)}")
            continue
        codes[code] = CodeMapping(activity, Decimal(factor))

    ignore = data.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(c, str) and c.strip() for c in ignore):
        bad("ignore", "must be a list of claim codes (texts)")
        ignore = []
    for code in ignore:
        if code in codes:
            bad("ignore", f"code {code!r} is both mapped to an activity (codes) and ignored")

    rules: list[ProfileRule] = []
    raw_rules = data.get("profile", [])
    if not isinstance(raw_rules, list) or not all(isinstance(r, dict) for r in raw_rules):
        bad("profile", "must be an array of tables: [[profile]] name = ..., any_code = [...]")
        raw_rules = []
    for i, rule in enumerate(raw_rules):
        where = f"profile[{i}]"
        for k in rule:
            if k not in RULE_KEYS:
                bad(
                    f"{where}.{k}",
                    f"unknown key{did_you_mean(k, RULE_KEYS)}; allowed: {', '.join(RULE_KEYS)}",
                )
        name = rule.get("name")
        if not _is_id(name):
            bad(f"{where}.name", f"must be a profile id ({_ID_RULE}), got {_show(name)}")
        any_code = rule.get("any_code", [])
        if not isinstance(any_code, list) or not all(isinstance(c, str) and c.strip() for c in any_code):
            bad(f"{where}.any_code", "must be a list of claim codes (texts)")
            any_code = []
        min_units = rule.get("min_units", {})
        pairs: list[tuple[str, Decimal]] = []
        if not isinstance(min_units, dict):
            bad(f"{where}.min_units", "must be a table of claim code = minimum units")
            min_units = {}
        for code, n in min_units.items():
            if isinstance(n, bool) or not isinstance(n, int | Decimal) or not Decimal(n) >= 0:
                bad(f"{where}.min_units.{_key(code)}", f"must be a number >= 0, got {_show(n)}")
            else:
                pairs.append((code, Decimal(n)))
        if not any_code and not pairs:
            bad(where, "a rule needs any_code and/or min_units (use default_profile for everyone else)")
        if _is_id(name) and (any_code or pairs):
            rules.append(ProfileRule(name, tuple(any_code), tuple(pairs)))

    if problems:
        raise CalibrationError(problems)
    return Mapping(
        codes=codes,
        rules=tuple(rules),
        default_profile=default,
        ignore=frozenset(ignore),
        scenario=scenario,
        unmapped=unmapped,
        source=shown,
    )


def check_mapping_against(mapping: Mapping, scenario: Any) -> list[Finding]:
    """Activities and profiles the mapping names must exist in the scenario."""
    problems = []
    for code, target in mapping.codes.items():
        if target.activity not in scenario.activities:
            problems.append(
                Finding(
                    mapping.source,
                    f"codes.{_key(code)}",
                    f"unknown activity '{target.activity}'"
                    + did_you_mean(target.activity, scenario.activities),
                )
            )
    for i, rule in enumerate(mapping.rules):
        if rule.name not in scenario.profiles:
            problems.append(
                Finding(
                    mapping.source,
                    f"profile[{i}].name",
                    f"unknown profile '{rule.name}'{did_you_mean(rule.name, scenario.profiles)}",
                )
            )
    if mapping.default_profile and mapping.default_profile not in scenario.profiles:
        name = mapping.default_profile
        problems.append(
            Finding(
                mapping.source,
                "default_profile",
                f"unknown profile '{name}'{did_you_mean(name, scenario.profiles)}",
            )
        )
    return problems


# ---------------------------------------------------------------- results


@dataclass
class CodeCount:
    """Lines of one claim code (unmapped or ignored), with their units and amount."""

    code: str
    lines: int
    units: Decimal
    amount: Decimal


@dataclass
class ActivityPrice:
    """Observed mean price of one activity: sum of amounts / sum of scenario units."""

    activity: str
    lines: int
    units: Decimal
    amount: Decimal
    tariff: Decimal | None
    codes: list[str]
    providers: int
    outlier_units: Decimal = Decimal(0)  # of lines whose unit price is an outlier
    outlier_amount: Decimal = Decimal(0)

    @property
    def mean_price(self) -> Decimal | None:
        """EUR per scenario unit, all lines (what was paid), rounded half-to-even to cents."""
        return _mean(self.amount, self.units)

    @property
    def mean_price_without_outliers(self) -> Decimal | None:
        return _mean(self.amount - self.outlier_amount, self.units - self.outlier_units)

    @property
    def difference_pct(self) -> Decimal | None:
        price = self.mean_price
        if price is None or not self.tariff:
            return None
        return (100 * (price - self.tariff) / self.tariff).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


@dataclass
class OutlierCode:
    """Lines of one claim code whose unit price lies outside the fences."""

    code: str
    activity: str
    lines: int  # outlier lines
    of_lines: int  # lines with units > 0 of this code
    amount: Decimal
    median: Decimal  # unit price, EUR
    low: Decimal  # fences, EUR per unit
    high: Decimal
    examples: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ProfileResult:
    clients: int
    lines: int
    path: dict[str, Decimal]  # activity -> mean units per client, rounded to PATH_DECIMALS


@dataclass
class Part:
    """The calibration of one region (or of the whole extract)."""

    region: str | None
    profiles: dict[str, ProfileResult]
    prices: list[ActivityPrice]
    without_profile: int  # clients
    without_profile_lines: int
    without_profile_amount: Decimal
    dropped: list[str] = field(default_factory=list)  # path entries left out (negative net units)
    fragment: str = ""


@dataclass
class Calibration:
    """Everything `calibrate` found; `fragment()` and `report()` render it."""

    source: str
    format: str
    mapping: Mapping
    scenario: str | None
    lines: int
    clients: int
    first_date: date | None
    last_date: date | None
    by: str | None
    parts: list[Part]
    unmapped: list[CodeCount]
    ignored: list[CodeCount]
    outliers: list[OutlierCode]
    profile_column: bool = False  # the claims have a profile column (it wins over the rules)
    profile_conflicts: int = 0  # clients whose lines name more than one profile
    region_conflicts: int = 0  # clients with lines in more than one region
    notes: list[str] = field(default_factory=list)
    fragment_problems: dict[str | None, list[str]] = field(default_factory=dict)

    def fragments(self) -> dict[str | None, str]:
        """Region (None without --by) -> TOML fragment."""
        return {part.region: part.fragment for part in self.parts}

    def fragment(self, region: str | None = None) -> str:
        for part in self.parts:
            if part.region == region:
                return part.fragment
        raise KeyError(region)

    def report(self) -> str:
        return render_report(self)

    def as_dict(self) -> dict[str, Any]:
        """The results as JSON-ready data (money and means as decimal strings)."""
        return _jsonable(
            {
                "source": self.source,
                "format": self.format,
                "mapping": self.mapping.source,
                "scenario": self.scenario,
                "lines": self.lines,
                "clients": self.clients,
                "first_date": self.first_date,
                "last_date": self.last_date,
                "by": self.by,
                "parts": [
                    {
                        "region": p.region,
                        "profiles": {
                            name: {"clients": r.clients, "lines": r.lines, "path": r.path}
                            for name, r in p.profiles.items()
                        },
                        "prices": [
                            {
                                "activity": a.activity,
                                "codes": a.codes,
                                "lines": a.lines,
                                "units": a.units,
                                "amount": a.amount,
                                "mean_price": a.mean_price,
                                "mean_price_without_outliers": a.mean_price_without_outliers,
                                "tariff": a.tariff,
                                "difference_pct": a.difference_pct,
                                "providers": a.providers,
                            }
                            for a in p.prices
                        ],
                        "without_profile": {
                            "clients": p.without_profile,
                            "lines": p.without_profile_lines,
                            "amount": p.without_profile_amount,
                        },
                    }
                    for p in self.parts
                ],
                "unmapped": [vars(c) for c in self.unmapped],
                "ignored": [vars(c) for c in self.ignored],
                "outliers": [vars(o) for o in self.outliers],
                "profile_conflicts": self.profile_conflicts,
                "region_conflicts": self.region_conflicts,
                "notes": self.notes,
            }
        )


# ---------------------------------------------------------------- reading claims


@dataclass
class _Claims:
    path: Path
    shown: str
    format: str  # csv | parquet
    columns: list[str]
    csv_options: dict[str, Any] = field(default_factory=dict)
    parquet_schema: dict[str, pl.DataType] = field(default_factory=dict)

    @property
    def row_word(self) -> str:
        return "line" if self.format == "csv" else "row"

    @property
    def row_offset(self) -> int:
        return 2 if self.format == "csv" else 1  # CSV: line 1 is the header

    def scan(self, columns: list[str], *, raw: bool = False) -> pl.LazyFrame:
        """The claims as typed columns: client_id, code, provider, units, cents, date, ...

        `raw` reads CSV columns as text, for finding the values that do not parse.
        """
        if self.format == "csv":
            if raw:
                return pl.scan_csv(self.path, infer_schema=False, **self.csv_options).select(columns)
            types = {
                "client_id": pl.String,
                "activity": pl.String,
                "provider": pl.String,
                "units": pl.Float64,
                "amount": pl.Float64,
                "date": pl.Date,
                "profile": pl.String,
                "region": pl.String,
            }
            frame = pl.scan_csv(
                self.path,
                infer_schema=False,  # other columns stay text: never guessed, never parsed
                schema_overrides={c: types[c] for c in self.columns if c in types},
                **self.csv_options,
            )
        else:
            frame = pl.scan_parquet(self.path)
            if raw:
                return frame.select(columns)
        exprs = {
            "client_id": pl.col("client_id"),
            "activity": pl.col("activity").cast(pl.String).alias("code"),
            "provider": pl.col("provider").cast(pl.String),
            "units": pl.when(pl.col("units").cast(pl.Float64).is_finite()).then(
                pl.col("units").cast(pl.Float64)
            ),
            "amount": (pl.col("amount") * 100).round(0).cast(pl.Int64, strict=False).alias("cents"),
            "date": pl.col("date").cast(pl.Date),
            "profile": pl.col("profile").cast(pl.String),
            "region": pl.col("region").cast(pl.String),
        }
        if self.format == "parquet" and self.parquet_schema.get("amount") in (pl.Float32, pl.Float64):
            amount = pl.col("amount").cast(pl.Float64)
            exprs["amount"] = (
                pl.when(amount.is_finite())
                .then((amount * 100).round(0))
                .cast(pl.Int64, strict=False)
                .alias("cents")
            )
        if self.format == "csv":
            amount = pl.col("amount")
            exprs["amount"] = (
                pl.when(amount.is_finite())
                .then((amount * 100).round(0))
                .cast(pl.Int64, strict=False)
                .alias("cents")
            )
        return frame.select([exprs[c] for c in columns])


def _open_claims(path: Path | str) -> _Claims:
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
            schema = dict(pl.read_parquet_schema(path))
        except Exception as exc:  # polars raises several kinds for a broken file
            raise fail(f"is not a readable Parquet file ({_first_line(exc)})") from None
        return _Claims(path, shown, "parquet", list(schema), parquet_schema=schema)
    if b"\x00" in head:
        raise fail("is a binary file, neither CSV nor Parquet")
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut off at the end of the sample
            raise fail(f"is not UTF-8 text (byte {exc.start})") from None
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
        columns = list(pl.scan_csv(path, infer_schema=False, **options).collect_schema())
    except Exception as exc:
        raise fail(f"could not read the CSV header ({_first_line(exc)})") from None
    return _Claims(path, shown, "csv", columns, csv_options=options)


def _check_columns(claims: _Claims, by: str | None) -> list[str]:
    """The columns to read; raise for missing required ones and wrong Parquet types."""
    problems = []
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


def _collect(claims: _Claims, query: pl.LazyFrame, columns: list[str]) -> pl.DataFrame:
    """Collect on the streaming engine; turn a parse failure into a clear CalibrationError."""
    try:
        return query.collect(engine="streaming")
    except (pl.exceptions.PolarsError, OSError) as exc:
        try:
            problems = _diagnose(claims, columns)
        except (pl.exceptions.PolarsError, OSError):  # too broken to read even as text
            problems = []
        if not problems:
            message = _first_line(exc)
            if "more fields than defined" in message:
                message = f"a line has more fields than the header ({message})"
            elif 'could not parse `"' in message or "malformed" in message:
                message = f"a quote is not closed ({message})"
            problems = [Finding(claims.shown, "", f"could not be read as {claims.format.upper()}: {message}")]
        raise CalibrationError(problems) from None


def _diagnose(claims: _Claims, columns: list[str]) -> list[Finding]:
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


def _null_problems(claims: _Claims, columns: list[str], nulls: dict[str, int]) -> list[Finding]:
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


# ---------------------------------------------------------------- the calibration


def calibrate(
    claims: Path | str,
    mapping: Mapping | Path | str,
    *,
    by: str | None = None,
    scenario: Path | str | None = None,
    console: Any = None,
) -> Calibration:
    """Calibrate profiles from a claims extract. Raises `CalibrationError` on bad input.

    `scenario` (default: the mapping's `scenario`) supplies tariffs and profile names and
    is checked against: unknown activities or profiles in the mapping are errors.
    `by="region"` makes one part (and fragment) per region. `console`: a rich Console;
    on a terminal a progress display shows the stages.
    """
    if by is not None and by not in BY_CHOICES:
        raise CalibrationError([Finding("--by", "", f"must be one of: {', '.join(BY_CHOICES)}, got {by!r}")])
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    scenario_path = Path(scenario) if scenario is not None else mapping.scenario
    model, scenario_shown = _load_scenario(scenario_path, mapping)

    with _Stages(console, 6) as stages:
        stages.step("reading the header")
        source = _open_claims(claims)
        columns = _check_columns(source, by)
        if not mapping.profiles and "profile" not in columns:
            raise CalibrationError(
                [
                    Finding(
                        mapping.source,
                        "",
                        "assigns no profile: give [[profile]] rules or default_profile "
                        "(or a profile column in the claims)",
                    )
                ]
            )

        stages.step("counting codes")
        codes = _code_table(source, columns)
        _check_codes(source, mapping, codes, columns)

        stages.step("price distribution per code")
        fences = _fences(source, mapping, codes, columns)

        stages.step("assigning clients to profiles")
        clients = _clients(source, mapping, columns, by)
        conflicts = _column_conflicts(source, mapping, clients, model)

        stages.step("aggregating per profile and activity")
        grouped = _aggregate(source, clients, fences, columns, by)
        examples = _outlier_examples(source, fences, columns) if int(grouped["outliers"].sum()) else {}

        stages.step("building the fragment")
        result = _assemble(
            source, mapping, model, scenario_shown, codes, fences, clients, grouped, examples, by
        )
        result.profile_conflicts, result.region_conflicts = conflicts
        result.profile_column = "profile" in columns
        for part in result.parts:
            part.fragment = render_fragment(result, part, model)
            if scenario_path is not None:
                result.fragment_problems[part.region] = check_fragment(part.fragment, scenario_path)
    return result


def _load_scenario(path: Path | None, mapping: Mapping) -> tuple[Any, str | None]:
    if path is None:
        return None, None
    from bekostiging.scenario.load import load_scenario
    from bekostiging.scenario.toml_files import display

    try:
        model, _ = load_scenario(path)
    except ScenarioError as exc:
        raise CalibrationError(exc.findings) from None
    problems = check_mapping_against(mapping, model)
    if problems:
        raise CalibrationError(problems)
    return model, display(path)


def _code_table(source: _Claims, columns: list[str]) -> pl.DataFrame:
    """Per claim code: lines, units, cents, providers, null counts, first and last date."""
    frame = source.scan(columns)
    present = [c for c in columns if c != "activity"]
    names = {"amount": "cents"}
    query = frame.group_by("code").agg(
        lines=pl.len(),
        units=pl.col("units").sum(),
        cents=pl.col("cents").sum(),
        positive=(pl.col("units") > 0).sum(),
        providers=pl.col("provider").n_unique(),
        first=pl.col("date").min(),
        last=pl.col("date").max(),
        **{f"null_{c}": pl.col(names.get(c, c)).null_count() for c in present},
    )
    table = _collect(source, query, columns)
    if table.is_empty():
        raise CalibrationError([Finding(source.shown, "", "has a header but no claim lines")])
    nulls = {c: int(table[f"null_{c}"].sum()) for c in present}
    nulls["activity"] = int(table.filter(pl.col("code").is_null())["lines"].sum())
    nulls.pop("profile", None)  # an empty profile means: use the rules
    problems = _null_problems(source, columns, nulls)
    if problems:
        raise CalibrationError(problems)
    return table


def _check_codes(source: _Claims, mapping: Mapping, codes: pl.DataFrame, columns: list[str]) -> None:
    known = set(mapping.codes)
    seen = codes["code"].to_list()
    if not known.intersection(seen):
        sample = ", ".join(sorted(seen)[:5])
        raise CalibrationError(
            [
                Finding(
                    source.shown,
                    "activity",
                    f"none of the {len(seen):,} claim codes is in the mapping's [codes] "
                    f"({mapping.source}); codes in the claims: {sample}{', ...' if len(seen) > 5 else ''}",
                )
            ]
        )
    unmapped = [
        c for c in seen if c not in known and c not in mapping.ignore and c not in mapping.marker_codes
    ]
    if unmapped and mapping.unmapped == "error":
        lines = dict(zip(codes["code"], codes["lines"], strict=True))
        listed = ", ".join(f"{c} ({lines[c]:,} lines)" for c in sorted(unmapped)[:10])
        raise CalibrationError(
            [
                Finding(
                    source.shown,
                    "activity",
                    f"{len(unmapped)} claim code{'s are' if len(unmapped) != 1 else ' is'} not in the "
                    f'mapping (unmapped = "error" in {mapping.source}): {listed}'
                    f"{', ...' if len(unmapped) > 10 else ''}",
                )
            ]
        )


def _fences(source: _Claims, mapping: Mapping, codes: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Quartiles of the unit price per mapped code, and the outlier fences (cents per unit).

    Exact quartiles need every price, which is too much memory for millions of lines; but
    prices round to whole cents per unit take few distinct values, so the counts per
    (code, price in cents) are aggregated (streaming) and the quartiles are read off them:
    the quartiles of the unit prices rounded to cents, with linear interpolation.
    """
    mapped = [c for c in codes["code"].to_list() if c in mapping.codes]
    price = (pl.col("cents") / pl.col("units")).round(0).cast(pl.Int64)
    query = (
        source.scan(["activity", "units", "amount"])
        .filter(pl.col("code").is_in(mapped) & (pl.col("units") > 0))
        .group_by("code", price.alias("price"))
        .len()
    )
    counts = _collect(source, query, columns).sort("code", "price")
    counts = counts.with_columns(
        cum=pl.col("len").cum_sum().over("code"),
        n=pl.col("len").sum().over("code"),
    )

    def quantile(q: float) -> pl.Expr:
        rank = (pl.col("n") - 1).cast(pl.Float64) * q
        low = pl.col("price").filter(pl.col("cum") > rank.floor()).first()
        high = pl.col("price").filter(pl.col("cum") > rank.ceil()).first()
        return low + (high - low) * (rank - rank.floor()).first()

    quartiles = counts.group_by("code").agg(**{name: quantile(q) for name, q in _QUARTILES.items()})
    iqr = pl.max_horizontal(pl.col("q3") - pl.col("q1"), float(IQR_FLOOR) * pl.col("q2").abs())
    return quartiles.with_columns(
        low=pl.col("q1") - IQR_FACTOR * iqr,
        high=pl.col("q3") + IQR_FACTOR * iqr,
    )


def _rule_expr(rule: ProfileRule) -> pl.Expr:
    conditions = []
    if rule.any_code:
        conditions.append(pl.col("code").is_in(list(rule.any_code)).any())
    for code, n in rule.min_units:
        units = pl.when(pl.col("code") == code).then(pl.col("units")).otherwise(0.0).sum()
        conditions.append(units >= float(n))
    expr = conditions[0]
    for c in conditions[1:]:
        expr = expr & c
    return expr


def _clients(source: _Claims, mapping: Mapping, columns: list[str], by: str | None) -> pl.DataFrame:
    """One row per client: client_id, profile (None: no profile), [region], conflict flags."""
    frame = source.scan([c for c in columns if c != "provider"])
    aggs: list[pl.Expr] = [_rule_expr(r).alias(f"_rule{i}") for i, r in enumerate(mapping.rules)]
    has_column = "profile" in columns
    if has_column:
        aggs += [
            pl.col("profile").drop_nulls().min().alias("_column"),
            pl.col("profile").drop_nulls().n_unique().alias("_column_n"),
        ]
    if not aggs:
        aggs = [pl.len().alias("_lines")]
    rules: pl.Expr | None = None
    chain: Any = None
    for i, rule in enumerate(mapping.rules):
        chain = (pl.when(pl.col(f"_rule{i}")) if chain is None else chain.when(pl.col(f"_rule{i}"))).then(
            pl.lit(rule.name)
        )
    default = pl.lit(mapping.default_profile, dtype=pl.String)
    rules = default if chain is None else chain.otherwise(default)
    profile = pl.coalesce(pl.col("_column"), rules) if has_column else rules
    keep = [
        pl.col("client_id"),
        profile.cast(pl.String).alias("profile"),
        (pl.col("_column_n") > 1).alias("_profile_conflict")
        if has_column
        else pl.lit(False).alias("_profile_conflict"),
    ]
    query = frame.group_by("client_id").agg(aggs).select(keep)
    clients = _collect(source, query, columns)
    if by == "region":
        clients = clients.join(_regions(source, columns), on="client_id", how="left")
    return clients


def _regions(source: _Claims, columns: list[str]) -> pl.DataFrame:
    """Each client's region: the region of her first claim (earliest date; ties: the
    alphabetically first region), and whether she has claims in more than one region."""
    query = (
        source.scan(["client_id", "region", "date"])
        .group_by("client_id", "region")
        .agg(first=pl.col("date").min())
    )
    pairs = _collect(source, query, columns)
    return (
        pairs.sort("client_id", "first", "region")
        .group_by("client_id", maintain_order=True)
        .agg(pl.col("region").first(), _region_conflict=pl.len() > 1)
    )


def _column_conflicts(
    source: _Claims, mapping: Mapping, clients: pl.DataFrame, model: Any
) -> tuple[int, int]:
    """Check the profile column's values; count clients with conflicting profiles/regions."""
    problems = []
    names = [p for p in clients["profile"].unique().to_list() if p is not None]
    allowed = set(mapping.profiles) | (set(model.profiles) if model is not None else set())
    for name in sorted(names):
        if not _is_id(name):
            problems.append(Finding(source.shown, "profile", f"{name!r} is not a profile id ({_ID_RULE})"))
        elif model is not None and name not in model.profiles:
            problems.append(
                Finding(source.shown, "profile", f"unknown profile '{name}'{did_you_mean(name, allowed)}")
            )
    if problems:
        raise CalibrationError(problems)
    profile_conflicts = int(clients["_profile_conflict"].sum())
    region_conflicts = int(clients["_region_conflict"].sum()) if "_region_conflict" in clients.columns else 0
    return profile_conflicts, region_conflicts


def _aggregate(
    source: _Claims, clients: pl.DataFrame, fences: pl.DataFrame, columns: list[str], by: str | None
) -> pl.DataFrame:
    """Per ([region,] profile, code): lines, units, cents, outlier lines and examples."""
    frame = source.scan([c for c in columns if c not in ("profile", "region")])
    client_columns = ["client_id", "profile"] + (["region"] if by == "region" else [])
    joined = frame.join(clients.lazy().select(client_columns), on="client_id", how="left").join(
        fences.lazy().select("code", "q2", "low", "high"), on="code", how="left"
    )
    price = pl.col("cents") / pl.col("units")
    outlier = (pl.col("units") > 0) & ((price < pl.col("low")) | (price > pl.col("high")))
    keys = (["region"] if by == "region" else []) + ["profile", "code"]
    query = joined.group_by(keys).agg(
        lines=pl.len(),
        units=pl.col("units").sum(),
        cents=pl.col("cents").sum(),
        outliers=outlier.sum(),
        outlier_units=pl.when(outlier).then(pl.col("units")).otherwise(0.0).sum(),
        outlier_cents=pl.when(outlier).then(pl.col("cents")).otherwise(0).sum(),
    )
    return _collect(source, query, columns)


def _outlier_examples(source: _Claims, fences: pl.DataFrame, columns: list[str]) -> dict[str, list[dict]]:
    """The most deviating outlier lines per code (a filter first, so few rows are kept)."""
    frame = source.scan(["client_id", "activity", "provider", "units", "amount", "date"])
    price = pl.col("cents") / pl.col("units")
    outlier = (pl.col("units") > 0) & ((price < pl.col("low")) | (price > pl.col("high")))
    query = (
        frame.join(fences.lazy().select("code", "q2", "low", "high"), on="code", how="inner")
        .filter(outlier)
        .with_columns(deviation=(price - pl.col("q2")).abs() / pl.col("q2").abs().clip(lower_bound=1))
        .group_by("code")
        .agg(
            examples=pl.struct("client_id", "provider", "date", "units", "cents", "deviation").top_k_by(
                "deviation", EXAMPLES_PER_CODE
            )
        )
    )
    table = _collect(source, query, columns)
    return {row["code"]: row["examples"] for row in table.iter_rows(named=True)}


def _assemble(
    source: _Claims,
    mapping: Mapping,
    model: Any,
    scenario_shown: str | None,
    codes: pl.DataFrame,
    fences: pl.DataFrame,
    clients: pl.DataFrame,
    grouped: pl.DataFrame,
    examples: dict[str, list[dict]],
    by: str | None,
) -> Calibration:
    tariffs = {a: act.tariff for a, act in model.activities.items()} if model is not None else {}
    code_rows = {r["code"]: r for r in codes.iter_rows(named=True)}
    first = min((r["first"] for r in code_rows.values() if r["first"] is not None), default=None)
    last = max((r["last"] for r in code_rows.values() if r["last"] is not None), default=None)

    def other(kind: set[str] | frozenset[str], inside: bool) -> list[CodeCount]:
        rows = [r for c, r in code_rows.items() if (c in kind) == inside and c not in mapping.codes]
        out = [CodeCount(r["code"], r["lines"], _dec(r["units"]), _euros(r["cents"])) for r in rows]
        return sorted(out, key=lambda c: (-c.lines, c.code))

    known = set(mapping.ignore) | set(mapping.marker_codes)
    unmapped = other(known, inside=False)
    ignored = other(set(mapping.ignore), inside=True)

    # outliers per code (over all profiles and regions)
    fence_rows = {r["code"]: r for r in fences.iter_rows(named=True)}
    outliers = []
    per_code: dict[str, dict[str, Any]] = {}
    for row in grouped.filter(pl.col("outliers") > 0).iter_rows(named=True):
        entry = per_code.setdefault(row["code"], {"code": row["code"], "outliers": 0, "cents": 0})
        entry["outliers"] += row["outliers"]
        entry["cents"] += row["outlier_cents"]
    for row in per_code.values():
        f = fence_rows[row["code"]]
        shown = sorted(examples.get(row["code"], []), key=lambda e: (-e["deviation"], str(e["client_id"])))
        outliers.append(
            OutlierCode(
                code=row["code"],
                activity=mapping.codes[row["code"]].activity,
                lines=row["outliers"],
                of_lines=code_rows[row["code"]]["positive"],
                amount=_euros(row["cents"]),
                median=_cents_per_unit(f["q2"]),
                low=_cents_per_unit(f["low"]),
                high=_cents_per_unit(f["high"]),
                examples=[
                    {
                        "client_id": e["client_id"],
                        "provider": e["provider"],
                        "date": e["date"],
                        "units": _dec(e["units"]),
                        "amount": _euros(e["cents"]),
                        "unit_price": (_euros(e["cents"]) / _dec(e["units"])).quantize(Decimal("0.01")),
                    }
                    for e in shown
                ],
            )
        )
    outliers.sort(key=lambda o: (-o.lines, o.code))

    regions: list[str | None] = [None]
    if by == "region":
        regions = sorted(r for r in clients["region"].unique().to_list() if r is not None)
    parts = []
    for region in regions:
        rows = grouped if region is None else grouped.filter(pl.col("region") == region)
        people = clients if region is None else clients.filter(pl.col("region") == region)
        parts.append(_part(region, mapping, model, tariffs, code_rows, rows, people))
    notes = []
    if model is not None:
        missing = [p for p in model.profiles if p not in parts[0].profiles]
        if missing:
            notes.append(
                "scenario profiles the mapping cannot assign (not in the fragment): " + ", ".join(missing)
            )
    return Calibration(
        source=source.shown,
        format=source.format,
        mapping=mapping,
        scenario=scenario_shown,
        lines=int(codes["lines"].sum()),
        clients=clients.height,
        first_date=first,
        last_date=last,
        by=by,
        parts=parts,
        unmapped=unmapped,
        ignored=ignored,
        outliers=outliers,
        notes=notes,
    )


def _part(
    region: str | None,
    mapping: Mapping,
    model: Any,
    tariffs: dict[str, Decimal],
    code_rows: dict[str, dict[str, Any]],
    rows: pl.DataFrame,
    people: pl.DataFrame,
) -> Part:
    counts = dict(people.group_by("profile").len().iter_rows())
    names = list(mapping.profiles)
    names += sorted(p for p in counts if p is not None and p not in names)
    if model is not None:
        order = {p: i for i, p in enumerate(model.profiles)}
        names.sort(key=lambda p: (order.get(p, len(order)), p))
    else:
        names.sort()
    activity_order = list(model.activities) if model is not None else []

    units: dict[tuple[str | None, str], Decimal] = {}
    lines: dict[str | None, int] = {}
    price_units: dict[str, Decimal] = {}
    price_cents: dict[str, int] = {}
    price_lines: dict[str, int] = {}
    price_codes: dict[str, list[str]] = {}
    out_units: dict[str, Decimal] = {}
    out_cents: dict[str, int] = {}
    amount_without = 0
    for row in rows.iter_rows(named=True):
        profile, code = row["profile"], row["code"]
        lines[profile] = lines.get(profile, 0) + row["lines"]
        target = mapping.codes.get(code)
        if profile is None:
            amount_without += row["cents"]
        if target is None:
            continue
        scenario_units = _dec(row["units"]) * target.factor
        key = (profile, target.activity)
        units[key] = units.get(key, Decimal(0)) + scenario_units
        a = target.activity
        price_units[a] = price_units.get(a, Decimal(0)) + scenario_units
        price_cents[a] = price_cents.get(a, 0) + row["cents"]
        price_lines[a] = price_lines.get(a, 0) + row["lines"]
        out_units[a] = out_units.get(a, Decimal(0)) + _dec(row["outlier_units"]) * target.factor
        out_cents[a] = out_cents.get(a, 0) + row["outlier_cents"]
        price_codes.setdefault(a, [])
        if code not in price_codes[a]:
            price_codes[a].append(code)

    def activity_key(a: str) -> tuple[int, str]:
        return (activity_order.index(a) if a in activity_order else len(activity_order), a)

    profiles, dropped = {}, []
    for name in names:
        n = counts.get(name, 0)
        path = {}
        for (p, a), total in sorted(units.items(), key=lambda kv: activity_key(kv[0][1])):
            if p != name or n == 0:
                continue
            if total < 0:
                dropped.append(f"{name}.{a}: net units {total} < 0 (more credited than declared)")
                continue
            if total == 0:
                continue
            path[a] = (total / n).quantize(Decimal(1).scaleb(-PATH_DECIMALS), rounding=ROUND_HALF_EVEN)
        profiles[name] = ProfileResult(clients=n, lines=lines.get(name, 0), path=path)

    providers = {}
    for code, target in mapping.codes.items():
        if code in code_rows:
            providers[target.activity] = max(providers.get(target.activity, 0), code_rows[code]["providers"])
    prices = [
        ActivityPrice(
            activity=a,
            lines=price_lines[a],
            units=price_units[a],
            amount=_euros(price_cents[a]),
            tariff=tariffs.get(a),
            codes=sorted(price_codes[a]),
            providers=providers.get(a, 0),
            outlier_units=out_units[a],
            outlier_amount=_euros(out_cents[a]),
        )
        for a in sorted(price_units, key=activity_key)
    ]
    return Part(
        region=region,
        profiles=profiles,
        prices=prices,
        without_profile=counts.get(None, 0),
        without_profile_lines=lines.get(None, 0),
        without_profile_amount=_euros(amount_without),
        dropped=dropped,
    )


# ---------------------------------------------------------------- rendering


def render_fragment(result: Calibration, part: Part, model: Any = None) -> str:
    """The scenario fragment: profiles.*.clients and profiles.*.path, prices as comments."""
    out = [
        f"# Calibrated from {result.source} by `bekostiging calibrate` (mapping: {result.mapping.source})",
        f"# {result.lines:,} claim lines"
        + (f", dated {result.first_date} to {result.last_date}" if result.first_date else "")
        + (f"; this fragment: region {part.region!r}" if part.region is not None else ""),
        "# clients: distinct client_id per profile (first matching rule"
        + (", or the claims' profile column where it has a value" if result.profile_column else "")
        + "); path: units per client",
        f"# (sum of units / clients, {PATH_DECIMALS} decimals).",
    ]
    if part.without_profile:
        out.append(f"# {part.without_profile:,} clients matched no profile rule and are left out.")
    if part.prices:
        out += [
            "#",
            "# Observed mean price per activity (sum of amounts / sum of units; in brackets without",
            "# the price outliers) beside its tariff. Comments only: the scenario's tariffs stay as",
            "# they are; copy a price over by hand.",
        ]
        width = max(len(p.activity) for p in part.prices)
        for p in part.prices:
            price = "n/a" if p.mean_price is None else f"€ {p.mean_price:,.2f}"
            robust = p.mean_price_without_outliers
            if p.outlier_units and robust is not None:
                price += f" (€ {robust:,.2f})"
            tariff = ""
            if p.tariff is not None:
                diff = p.difference_pct
                tariff = f"  tariff € {p.tariff:,.2f}" + (f" ({diff:+.1f} %)" if diff is not None else "")
            out.append(f"#   {p.activity:<{width}}  {price:>24}{tariff}, {_units(p.units)} units")
    for name, profile in part.profiles.items():
        out += ["", f"[profiles.{name}]"]
        if model is not None and name in model.profiles and model.profiles[name].name:
            out.append(f"name = {_toml_string(model.profiles[name].name)}")
        out.append(f"clients = {profile.clients}")
        out += ["", f"[profiles.{name}.path]"]
        out += [f"{a} = {v:.{PATH_DECIMALS}f}" for a, v in profile.path.items()]
    return "\n".join(out) + "\n"


def render_report(result: Calibration) -> str:
    """A plain-text report: profiles, prices, unmapped codes, clients without a profile, outliers."""
    out = [
        f"Calibration of {result.source} ({result.format}, {result.lines:,} claim lines, "
        f"{result.clients:,} clients"
        + (f", dated {result.first_date} to {result.last_date}" if result.first_date else "")
        + ")",
        f"mapping: {result.mapping.source}" + (f"; scenario: {result.scenario}" if result.scenario else ""),
    ]
    for part in result.parts:
        out.append("")
        title = "Profiles" if part.region is None else f"Region {part.region}: profiles"
        out.append(f"{title} (clients; path = mean units per client)")
        width = max([len(n) for n in part.profiles] + [len("without a profile")])
        for name, profile in part.profiles.items():
            out.append(f"  {name:<{width}}  {profile.clients:>10,} clients  {profile.lines:>12,} lines")
        out.append(
            f"  {'without a profile':<{width}}  {part.without_profile:>10,} clients  "
            f"{part.without_profile_lines:>12,} lines  € {part.without_profile_amount:,.2f}"
        )
        for d in part.dropped:
            out.append(f"  left out: {d}")
        out.append("")
        out.append("Observed mean price per activity (sum of amounts / sum of units)")
        if part.prices:
            width = max(len(p.activity) for p in part.prices)
            out.append(
                f"  {'activity':<{width}}  {'units':>14}  {'amount':>18}  {'mean price':>12}  "
                f"{'w/o outliers':>12}  {'tariff':>12}  {'diff':>8}  providers"
            )
            for p in part.prices:
                price = "n/a" if p.mean_price is None else f"{p.mean_price:,.2f}"
                robust = p.mean_price_without_outliers
                robust_text = "n/a" if robust is None else f"{robust:,.2f}"
                tariff = "" if p.tariff is None else f"{p.tariff:,.2f}"
                diff = "" if p.difference_pct is None else f"{p.difference_pct:+.1f} %"
                out.append(
                    f"  {p.activity:<{width}}  {_units(p.units):>14}  {p.amount:>18,.2f}  {price:>12}  "
                    f"{robust_text:>12}  {tariff:>12}  {diff:>8}  {p.providers:>9,}"
                )
    out.append("")
    if result.unmapped:
        lines = sum(c.lines for c in result.unmapped)
        amount = sum((c.amount for c in result.unmapped), Decimal(0))
        out.append(
            f"Unmapped codes (not in [codes], ignore or a rule): {len(result.unmapped)} codes, "
            f"{lines:,} lines, € {amount:,.2f} left out"
        )
        for c in result.unmapped[:25]:
            out.append(f"  {c.code:<16} {c.lines:>12,} lines  € {c.amount:>16,.2f}")
        if len(result.unmapped) > 25:
            out.append(f"  ... and {len(result.unmapped) - 25} more")
    else:
        out.append("Unmapped codes: none")
    if result.ignored:
        lines = sum(c.lines for c in result.ignored)
        out.append(f"Ignored codes (mapping's ignore list): {len(result.ignored)} codes, {lines:,} lines")
    out.append("")
    if result.outliers:
        total = sum(o.lines for o in result.outliers)
        out.append(
            f"Price outliers: {total:,} lines in {len(result.outliers)} codes (unit price outside "
            f"Q1 - {IQR_FACTOR} IQR .. Q3 + {IQR_FACTOR} IQR, "
            f"IQR at least {int(IQR_FLOOR * 100)} % of the median)"
        )
        for o in result.outliers:
            out.append(
                f"  {o.code:<10} {o.activity:<26} {o.lines:>8,} of {o.of_lines:>10,} lines  "
                f"median € {o.median:,.2f}, fences € {o.low:,.2f} .. € {o.high:,.2f}"
            )
            for e in o.examples:
                out.append(
                    f"      client {e['client_id']}, provider {e['provider']}, {e['date']}: "
                    f"{_units(e['units'])} x € {e['unit_price']:,.2f} = € {e['amount']:,.2f}"
                )
    else:
        out.append("Price outliers: none")
    if result.profile_conflicts:
        out.append(
            f"{result.profile_conflicts:,} clients have lines with different values in the profile column; "
            "each is counted in the first of them in alphabetical order"
        )
    if result.region_conflicts:
        out.append(
            f"{result.region_conflicts:,} clients have lines in more than one region; "
            "each is counted in the region of her first claim (earliest date)"
        )
    for note in result.notes:
        out.append(f"note: {note}")
    for region, problems in result.fragment_problems.items():
        where = "fragment" if region is None else f"fragment for region {region}"
        for problem in problems:
            out.append(f"warning: {where} does not validate against the scenario: {problem}")
    return "\n".join(out) + "\n"


def output_paths(target: Path | str, result: Calibration) -> dict[Path, str]:
    """Where `-o TARGET` writes each fragment: TARGET itself, or TARGET-<region>.toml per region."""
    target = Path(target)
    if result.by is None:
        return {target: result.fragment(None)}
    out: dict[Path, str] = {}
    for part in result.parts:
        slug = re.sub(r"[^a-z0-9_-]+", "_", str(part.region).lower()).strip("_") or "region"
        path = target.with_name(f"{target.stem}-{slug}{target.suffix or '.toml'}")
        n = 2
        while path in out:
            path = target.with_name(f"{target.stem}-{slug}-{n}{target.suffix or '.toml'}")
            n += 1
        out[path] = part.fragment
    return out


def check_fragment(fragment: str, scenario: Path | str) -> list[str]:
    """Problems of the scenario with its profiles replaced by the fragment's (empty: it validates)."""
    import tomllib

    from bekostiging.scenario.load import validate_tree
    from bekostiging.scenario.toml_files import load_tree

    tree = load_tree(Path(scenario))
    if tree.findings:
        return [str(f).removeprefix("error: ") for f in tree.findings]
    profiles = tomllib.loads(fragment, parse_float=Decimal).get("profiles", {})
    tree.data["profiles"] = profiles
    validate_tree(tree)
    return [str(f).removeprefix("error: ") for f in tree.findings]


# ---------------------------------------------------------------- progress


class _Stages:
    """A progress display with one step per stage, shown only on a terminal.

    Polars reports no progress from inside one query, so the display counts stages and
    spins while a query runs (polars releases the GIL, so the spinner keeps turning).
    """

    def __init__(self, console: Any, total: int):
        self.console, self.total = console, total
        self.progress: Any = None
        self.task: Any = None
        self.started = False

    def __enter__(self) -> _Stages:
        if self.console is not None and getattr(self.console, "is_terminal", False):
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("[bold]calibrate[/bold] {task.description}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("", total=self.total)
        return self

    def step(self, description: str) -> None:
        if self.progress is None:
            return
        if self.started:
            self.progress.advance(self.task)
        self.started = True
        self.progress.update(self.task, description=description)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            with contextlib.suppress(Exception):
                self.progress.stop()


# ---------------------------------------------------------------- helpers


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_ID.match(value))


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _key(code: str) -> str:
    return code if re.fullmatch(r"[A-Za-z0-9_-]+", code) else json.dumps(code, ensure_ascii=False)


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _dec(x: float | int | None) -> Decimal:
    if x is None:
        return Decimal(0)
    if isinstance(x, int):
        return Decimal(x)
    return Decimal(repr(x)) if x == x else Decimal(0)


def _euros(cents: int | None) -> Decimal:
    return (Decimal(cents or 0) / 100).quantize(Decimal("0.01"))


def _mean(amount: Decimal, units: Decimal) -> Decimal | None:
    if units <= 0:
        return None
    return (amount / units).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def _cents_per_unit(cents: float | None) -> Decimal:
    if cents is None:
        return Decimal(0)
    return (_dec(cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def _units(value: Decimal) -> str:
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal | date):
        return str(value)
    return value
