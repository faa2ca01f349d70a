"""The calibration report: as named tables with metadata, and as the plain text on stderr.

`report_tables` gives every figure of the report as an ordered `dict` of polars tables
(money as exact decimals, never floats) plus a small `ReportMeta`, so a generic renderer
can write them in any format; `render_report` is the text the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import polars as pl

from bekostiging.calibrate.aggregate import IQR_FACTOR, IQR_FLOOR
from bekostiging.money import decimal_places

if TYPE_CHECKING:
    from bekostiging.calibrate.results import Calibration

TABLES = (
    "profiles",
    "paths",
    "without_profile",
    "negative_paths",
    "prices",
    "unmapped",
    "ignored",
    "outliers",
    "outlier_examples",
)
_MONEY = pl.Decimal(38, 2)
OUTLIER_RULE = (  # the fences, in words
    f"unit price outside Q1 - {IQR_FACTOR} IQR .. Q3 + {IQR_FACTOR} IQR, "
    f"IQR at least {int(IQR_FLOOR * 100)} % of the median"
)


@dataclass(frozen=True)
class ReportMeta:
    """What the tables are about: the inputs, the period, and what needs a reader's eye."""

    source: str  # the claims file, as messages show it
    format: str  # csv | parquet
    mapping: str
    scenario: str | None
    lines: int
    clients: int
    first_date: date | None
    last_date: date | None
    by: str | None
    profile_column: bool  # the claims' profile column won over the rules
    profile_conflicts: int  # clients whose lines name more than one profile
    region_conflicts: int  # clients with lines in more than one region
    notes: tuple[str, ...]
    fragment_problems: dict[str | None, list[str]]  # region -> problems of the check against the scenario
    outlier_rule: str  # the fences, in words


def report_tables(result: Calibration) -> tuple[dict[str, pl.DataFrame], ReportMeta]:
    """The report's figures as tables, in the order of `TABLES`, and their metadata.

    Every table has the same columns with or without `--by region` (`region` is null
    without); money and means are decimals, units keep every decimal they have.
    """
    parts = result.parts
    units = [p.units for part in parts for p in part.prices] + [
        c.units for c in result.unmapped + result.ignored
    ]
    units_type = pl.Decimal(38, max((decimal_places(u) for u in units), default=0))
    tables = {
        "profiles": _frame(
            [(part.region, name, r.clients, r.lines) for part in parts for name, r in part.profiles.items()],
            {"region": pl.String, "profile": pl.String, "clients": pl.Int64, "lines": pl.Int64},
        ),
        "paths": _frame(
            [
                (part.region, name, activity, mean)
                for part in parts
                for name, r in part.profiles.items()
                for activity, mean in r.path.items()
            ],
            {
                "region": pl.String,
                "profile": pl.String,
                "activity": pl.String,
                "units_per_client": pl.Decimal(38, 4),
            },
        ),
        "without_profile": _frame(
            [(p.region, p.without_profile, p.without_profile_lines, p.without_profile_amount) for p in parts],
            {"region": pl.String, "clients": pl.Int64, "lines": pl.Int64, "amount": _MONEY},
        ),
        "negative_paths": _frame(
            [(part.region, *dropped) for part in parts for dropped in part.dropped],
            {"region": pl.String, "profile": pl.String, "activity": pl.String, "units": units_type},
        ),
        "prices": _frame(
            [
                (
                    part.region,
                    p.activity,
                    ", ".join(p.codes),
                    p.lines,
                    p.units,
                    p.amount,
                    p.mean_price,
                    p.mean_price_without_outliers,
                    p.tariff,
                    p.difference_pct,
                    p.providers,
                )
                for part in parts
                for p in part.prices
            ],
            {
                "region": pl.String,
                "activity": pl.String,
                "codes": pl.String,
                "lines": pl.Int64,
                "units": units_type,
                "amount": _MONEY,
                "mean_price": _MONEY,
                "mean_price_without_outliers": _MONEY,
                "tariff": _MONEY,
                "difference_pct": pl.Decimal(38, 1),
                "providers": pl.Int64,
            },
        ),
        **{
            name: _frame(
                [(c.code, c.lines, c.units, c.amount) for c in counts],
                {"code": pl.String, "lines": pl.Int64, "units": units_type, "amount": _MONEY},
            )
            for name, counts in (("unmapped", result.unmapped), ("ignored", result.ignored))
        },
        "outliers": _frame(
            [
                (o.code, o.activity, o.lines, o.of_lines, o.amount, o.median, o.low, o.high)
                for o in result.outliers
            ],
            {
                "code": pl.String,
                "activity": pl.String,
                "lines": pl.Int64,
                "of_lines": pl.Int64,
                "amount": _MONEY,
                "median": _MONEY,
                "low": _MONEY,
                "high": _MONEY,
            },
        ),
        "outlier_examples": _frame(
            [
                (
                    o.code,
                    str(e["client_id"]),
                    str(e["provider"]),
                    e["date"],
                    e["units"],
                    e["unit_price"],
                    e["amount"],
                )
                for o in result.outliers
                for e in o.examples
            ],
            {
                "code": pl.String,
                "client_id": pl.String,
                "provider": pl.String,
                "date": pl.Date,
                "units": pl.Decimal(
                    38,
                    max((decimal_places(e["units"]) for o in result.outliers for e in o.examples), default=0),
                ),
                "unit_price": _MONEY,
                "amount": _MONEY,
            },
        ),
    }
    meta = ReportMeta(
        source=result.source,
        format=result.format,
        mapping=result.mapping.source,
        scenario=result.scenario,
        lines=result.lines,
        clients=result.clients,
        first_date=result.first_date,
        last_date=result.last_date,
        by=result.by,
        profile_column=result.profile_column,
        profile_conflicts=result.profile_conflicts,
        region_conflicts=result.region_conflicts,
        notes=tuple(result.notes),
        fragment_problems=dict(result.fragment_problems),
        outlier_rule=OUTLIER_RULE,
    )
    return {name: tables[name] for name in TABLES}, meta


def _frame(rows: list[tuple[Any, ...]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


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
        for name, activity, units in part.dropped:
            out.append(f"  left out: {name}.{activity}: net units {units} < 0 (more credited than declared)")
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
                    f"  {p.activity:<{width}}  {units_text(p.units):>14}  {p.amount:>18,.2f}  {price:>12}  "
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
        out.append(f"Price outliers: {total:,} lines in {len(result.outliers)} codes ({OUTLIER_RULE})")
        for o in result.outliers:
            out.append(
                f"  {o.code:<10} {o.activity:<26} {o.lines:>8,} of {o.of_lines:>10,} lines  "
                f"median € {o.median:,.2f}, fences € {o.low:,.2f} .. € {o.high:,.2f}"
            )
            for e in o.examples:
                out.append(
                    f"      client {e['client_id']}, provider {e['provider']}, {e['date']}: "
                    f"{units_text(e['units'])} x € {e['unit_price']:,.2f} = € {e['amount']:,.2f}"
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


def units_text(value: Decimal) -> str:
    """Units as the report writes them: `1,234.5` (thousands separated, no trailing zeros)."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text or "0"
