"""What a calibration found, built from the aggregates: profiles, paths, prices, outliers.

Quotients (mean price, mean units per client) are taken in `Decimal` from the exact sums
(money in whole cents) and rounded half-to-even: prices to cents, paths to
`PATH_DECIMALS`. Only the outlier fences are floats, where a rounding error in the 15th
digit cannot move a price across a fence in any way that matters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from bekostiging.calibrate.claims import Claims
from bekostiging.calibrate.mapping import Mapping
from bekostiging.calibrate.report import render_report
from bekostiging.money import euros, rounded

PATH_DECIMALS = 4


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
        return rounded(100 * (price - self.tariff) / self.tariff, 1)


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
    # path entries left out: (profile, activity, net units < 0: more credited than declared)
    dropped: list[tuple[str, str, Decimal]] = field(default_factory=list)
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

    def report(self, lang: str = "en") -> str:
        """The plain-text report (`report.render_report`), in `lang` (`en`, `nl`)."""
        return render_report(self, lang)

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


def assemble(
    source: Claims,
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
    """The aggregates as a `Calibration`; its fragments are rendered afterwards."""
    tariffs = {a: act.tariff for a, act in model.activities.items()} if model is not None else {}
    code_rows = {r["code"]: r for r in codes.iter_rows(named=True)}
    first = min((r["first"] for r in code_rows.values() if r["first"] is not None), default=None)
    last = max((r["last"] for r in code_rows.values() if r["last"] is not None), default=None)

    def other(kind: set[str] | frozenset[str], inside: bool) -> list[CodeCount]:
        rows = [r for c, r in code_rows.items() if (c in kind) == inside and c not in mapping.codes]
        out = [CodeCount(r["code"], r["lines"], as_decimal(r["units"]), euros(r["cents"])) for r in rows]
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
        outliers.append(
            OutlierCode(
                code=row["code"],
                activity=mapping.codes[row["code"]].activity,
                lines=row["outliers"],
                of_lines=code_rows[row["code"]]["positive"],
                amount=euros(row["cents"]),
                median=_cents_per_unit(f["q2"]),
                low=_cents_per_unit(f["low"]),
                high=_cents_per_unit(f["high"]),
                examples=[
                    {
                        "client_id": e["client_id"],
                        "provider": e["provider"],
                        "date": e["date"],
                        "units": as_decimal(e["units"]),
                        "amount": euros(e["cents"]),
                        "unit_price": rounded(euros(e["cents"]) / as_decimal(e["units"]), 2),
                    }
                    for e in examples.get(row["code"], [])  # in `aggregate.example_order`
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
        scenario_units = as_decimal(row["units"]) * target.factor
        key = (profile, target.activity)
        units[key] = units.get(key, Decimal(0)) + scenario_units
        a = target.activity
        price_units[a] = price_units.get(a, Decimal(0)) + scenario_units
        price_cents[a] = price_cents.get(a, 0) + row["cents"]
        price_lines[a] = price_lines.get(a, 0) + row["lines"]
        out_units[a] = out_units.get(a, Decimal(0)) + as_decimal(row["outlier_units"]) * target.factor
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
                dropped.append((name, a, total))
                continue
            if total == 0:
                continue
            path[a] = rounded(total / n, PATH_DECIMALS)
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
            amount=euros(price_cents[a]),
            tariff=tariffs.get(a),
            codes=sorted(price_codes[a]),
            providers=providers.get(a, 0),
            outlier_units=out_units[a],
            outlier_amount=euros(out_cents[a]),
        )
        for a in sorted(price_units, key=activity_key)
    ]
    return Part(
        region=region,
        profiles=profiles,
        prices=prices,
        without_profile=counts.get(None, 0),
        without_profile_lines=lines.get(None, 0),
        without_profile_amount=euros(amount_without),
        dropped=dropped,
    )


def as_decimal(x: float | int | None) -> Decimal:
    """A number from polars as the `Decimal` it prints as (a float's shortest repr); null is 0."""
    if x is None:
        return Decimal(0)
    if isinstance(x, int):
        return Decimal(x)
    return Decimal(repr(x)) if x == x else Decimal(0)


def _mean(amount: Decimal, units: Decimal) -> Decimal | None:
    if units <= 0:
        return None
    return rounded(amount / units, 2)


def _cents_per_unit(cents: float | None) -> Decimal:
    return rounded(as_decimal(cents) / 100, 2)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal | date):
        return str(value)
    return value
