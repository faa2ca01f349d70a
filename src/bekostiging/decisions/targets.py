"""What `solve` aims at: a target `VARIANT:PARTY:METRIC=VALUE` and how each metric is read
from a comparison's tables (docs/cli.md, "solve").

A metric is one figure of one party in one variant, as `compare` shows it:

- `net`, `delta`, `margin`: the party's row of `results`;
- `margin_delta`: its margin less its margin in the baseline (a party with costs: what it
  keeps, now that it may deliver less or more care; under a horizon `npv_margin_delta`);
- `payer_spend`: what a payer pays (minus what it receives): `-net` of its `results` row;
  of `*`, every payer together (`totals.payer_spend`);
- `coverage`: the `availability` row of a function (PARTY names the function, or the
  party that bears exactly one);
- `payout`: of a payer, the shared savings it pays out (`shared_savings.payout`); of any
  other party, what it receives of them (its `recipients` amounts).

Under a `[horizon]`, a money figure is its net present value over the horizon (`delta`:
`horizon.npv_delta`; the others discounted the same way, `npv`), or one year's figure
with a year; `coverage`, a ratio, needs a year.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bekostiging.findings import choose_from
from bekostiging.money import present_value

METRICS = ("net", "delta", "margin", "margin_delta", "payer_spend", "coverage", "payout")
ALIASES = {"payer-spend": "payer_spend", "margin-delta": "margin_delta"}
ALL_PAYERS = "*"
#: The decimals of each metric's figure (money in cents; coverage a fraction in ten-thousandths).
PLACES = {"coverage": 4}
EXAMPLE = "profielen:zorgverzekeraar:delta=0"


class TargetError(ValueError):
    """A target that cannot be read (the CLI exits 2)."""


class NoFigure(ValueError):
    """The figure does not exist for this party (a margin without costs)."""


@dataclass(frozen=True)
class Target:
    variant: str
    party: str
    metric: str
    relation: str
    value: Decimal

    def __str__(self) -> str:
        return f"{self.variant}:{self.party}:{self.metric}{self.relation}{self.value}"

    @property
    def unit(self) -> Decimal:
        """One step of the figure: a cent, or 0.0001 of a coverage."""
        return Decimal(1).scaleb(-places(self.metric))


def places(metric: str) -> int:
    return PLACES.get(metric, 2)


_PATTERN = re.compile(r"\s*([^:]+?)\s*:\s*([^:]+?)\s*:\s*([A-Za-z_-]+)\s*(>=|<=|=)\s*(.+?)\s*")


def parse(text: str) -> Target:
    """`VARIANT:PARTY:METRIC=VALUE` (or `>=`, `<=`); raises `TargetError` saying why not."""
    found = _PATTERN.fullmatch(text)
    if found is None:
        raise TargetError(
            f"--target {text!r}: expected VARIANT:PARTY:METRIC=VALUE (or >=, <=), e.g. {EXAMPLE}"
        )
    variant, party, metric, relation, raw = found.groups()
    metric = ALIASES.get(metric, metric)
    if metric not in METRICS:
        raise TargetError(f"--target {text!r}: {choose_from('metric', metric, METRICS)}")
    try:
        value = Decimal(raw.replace("_", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise TargetError(f"--target {text!r}: the value {raw!r} is not a number")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int), "finite"
    if -exponent > places(metric):
        unit = "whole cents" if metric != "coverage" else "4 decimals (a fraction: 0.95 is 95 %)"
        raise TargetError(f"--target {text!r}: a {metric} has at most {places(metric)} decimals ({unit})")
    return Target(variant, party, metric, relation, value)


def npv(by_year: Mapping[int, Decimal], start: int, rate: Decimal) -> Decimal:
    """The net present value of a money figure per year (euros), as `compare` discounts
    `delta` to `npv_delta`: each year's cents over (1 + rate)^(year - start), summed
    exactly, rounded once to the cent (`money.present_value`)."""
    in_cents = {year: int(value.scaleb(2)) for year, value in by_year.items()}
    return Decimal(present_value(in_cents, start, rate)).scaleb(-2)


def read(
    comparison: Any, target: Target, span: tuple[int, Decimal] | None, *, metric: str | None = None
) -> Decimal:
    """The figure of `target` (or, with `metric`, another figure of the same party) in a
    comparison of its variant: one year's (no `span`), or the net present value over the
    years (`span`: the horizon's first year and discount rate)."""
    metric = metric or target.metric
    if span is not None and metric in ("delta", "margin_delta"):
        column = "npv_delta" if metric == "delta" else "npv_margin_delta"
        found = _one(_rows(comparison.table("horizon"), target.variant, party=target.party), column)
        if found is None:
            raise NoFigure(_no_margin(target.party, target.variant))
        return found
    by_year = yearly(comparison, target.variant, target.party, metric)
    if span is None:
        (value,) = by_year.values()
        return value
    return npv(by_year, *span)


def yearly(comparison: Any, variant: str, party: str, metric: str) -> dict[int | None, Decimal]:
    """The figure in each year the comparison holds (key None without a horizon)."""
    if metric == "payer_spend" and party == ALL_PAYERS:
        return _by_year(_rows(comparison.table("totals"), variant), lambda r: r["payer_spend"])
    if metric == "margin_delta":
        results = comparison.table("results")
        base = {r.get("year"): r["margin"] for r in _rows(results, comparison.meta.baseline, party=party)}

        def change(r: dict) -> Decimal:
            if r["margin"] is None or base.get(r.get("year")) is None:
                raise NoFigure(_no_margin(party, variant))
            return r["margin"] - base[r.get("year")]

        return _by_year(_rows(results, variant, party=party), change)
    if metric in ("net", "delta", "margin", "payer_spend", "spend"):
        rows = _rows(comparison.table("results"), variant, party=party)
        column = {"payer_spend": "net", "spend": "net"}.get(metric, metric)
        sign = -1 if metric in ("payer_spend", "spend") else 1

        def value(r: dict) -> Decimal:
            if r[column] is None:
                raise NoFigure(_no_margin(party, variant))
            return sign * r[column]

        return _by_year(rows, value)
    if metric == "coverage":
        rows = [
            r
            for r in _rows(comparison.table("availability"), variant)
            if party in (r["function"], r["party"])
        ]
        return _by_year(rows, lambda r: r["coverage"])
    frame = comparison.table("shared_savings")
    rows = _rows(frame, variant)
    if any(r["payer"] == party for r in rows):
        return _summed(rows, lambda r: r["payout"] if r["payer"] == party else 0)
    return _summed(
        rows, lambda r: sum((x["amount"] for x in r["recipients"] if x["party"] == party), Decimal(0))
    )


def _no_margin(party: str, variant: str) -> str:
    return f"{party} has no costs in {variant}, so no margin: choose net or delta"


def _rows(frame: Any, variant: str, *, party: str | None = None) -> list[dict[str, Any]]:
    import polars as pl

    found = frame.filter(pl.col("variant") == variant)
    if party is not None:
        found = found.filter(pl.col("party") == party)
    return list(found.iter_rows(named=True))


def _one(rows: list[dict[str, Any]], column: str) -> Decimal:
    (row,) = rows
    return row[column]


def _by_year(rows: list[dict[str, Any]], value: Any) -> dict[int | None, Decimal]:
    found = {r.get("year"): value(r) for r in rows}
    assert len(found) == len(rows), "one row per year"
    return found


def _summed(rows: list[dict[str, Any]], value: Any) -> dict[int | None, Decimal]:
    found: dict[int | None, Decimal] = {}
    for r in rows:
        found[r.get("year")] = found.get(r.get("year"), Decimal(0)) + value(r)
    return found


def bounds(node: Any, segments: list[str]) -> tuple[Decimal | None, Decimal | None, bool]:
    """The bounds the scenario format sets on the number at `segments` of a validated model
    (low, high, whether high itself is excluded): a fraction [0, 1], a quantity [0, None),
    a number (None, None). Read from the field's range validators (`fields.Range`,
    `AtLeast`, `non_negative`), as `bekostiging schema` shows them."""
    from typing import Annotated, get_args, get_origin

    from pydantic import AfterValidator, BaseModel

    from bekostiging import fields

    for segment in segments[:-1]:
        node = _child(node, segment)
        if node is None:
            return None, None, False
    if not isinstance(node, BaseModel):
        return None, None, False
    info = _field(type(node), segments[-1])
    if info is None:
        return None, None, False
    found = list(info.metadata)
    for arg in get_args(info.annotation):
        if get_origin(arg) is Annotated:
            found += list(arg.__metadata__)
    low = high = None
    high_open = False
    for item in found:
        check = item.func if isinstance(item, AfterValidator) else None
        if check is fields.non_negative:
            low = Decimal(0)
        elif isinstance(check, fields.Range):
            low, high, high_open = Decimal(check.low), Decimal(check.high), check.high_open
        elif isinstance(check, fields.AtLeast):
            low = Decimal(check.low)
    return low, high, high_open


def _child(node: Any, segment: str) -> Any:
    from pydantic import BaseModel

    if isinstance(node, BaseModel):
        info = _field(type(node), segment)
        return None if info is None else getattr(node, _name(type(node), segment))
    if isinstance(node, dict):
        return node.get(segment)
    if isinstance(node, list | tuple) and segment.isdigit() and int(segment) < len(node):
        return node[int(segment)]
    return None


def _name(model: Any, key: str) -> str:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return name
    return key


def _field(model: Any, key: str) -> Any:
    return model.model_fields.get(_name(model, key))
