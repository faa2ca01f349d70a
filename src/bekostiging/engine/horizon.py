"""Several years (HORIZON.md §1): one ordinary run per year, mixed by adoption.

Each year of the horizon resolves the raw scenario (dated values, indexation, client
growth: `scenario.years`), validates it, and computes it with the variants' effects
ramped. A variant's ledger for that year is then `a ×` its own flows `+ (1-a) ×` the
baseline's, mixed per (from, to, component) and rounded once per group (`_mix`), so every
year of every variant still conserves money and a flow the variant leaves alone keeps
its amount to the cent. Over the horizon, deltas and margin deltas are discounted to net present values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from pydantic import ValidationError

from bekostiging.arithmetic import exact
from bekostiging.engine.ledger import Flow, Ledger
from bekostiging.engine.run import Run, run
from bekostiging.findings import Finding, ScenarioError
from bekostiging.formula import Words
from bekostiging.lanes import Cents
from bekostiging.money import ONE, allocate, as_number, cents, div, is_zero, maximum, mul, present_value
from bekostiging.scenario.model import Horizon, Scenario
from bekostiging.scenario.years import YearProblem, rate_in, resolve


@dataclass
class HorizonRun:
    horizon: Horizon
    start: int
    baseline: str
    years: dict[int, Run] = field(default_factory=dict)

    @property
    def last(self) -> int:
        return self.start + self.horizon.years - 1


def run_horizon(
    raw: dict[str, Any],
    scenario: Scenario,
    start: int,
    *,
    variants: Sequence[str] | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    file: str = "",
    only_year: int | None = None,
) -> HorizonRun:
    """Every year of the horizon (or just `only_year`), each a `Run` with mixed ledgers."""
    horizon = scenario.horizon
    assert horizon is not None
    result = HorizonRun(horizon, start, baseline or scenario.scenario.baseline)
    years = range(start, start + horizon.years)
    if only_year is not None:
        if only_year not in years:
            raise ScenarioError(
                [Finding(file, "--year", f"{only_year} is not in the horizon {start}-{years[-1]}")]
            )
        years = range(only_year, only_year + 1)
    for year in years:
        scenario_y = _year_scenario(raw, horizon, start, year, file)
        ramps = {v: rate_in(table, year, Decimal(0)) for v, table in horizon.ramp.items()}
        year_run = run(
            scenario_y,
            variants=variants,
            baseline=baseline,
            whatifs=whatifs,
            file=file,
            ramps=ramps,
            year=year,
        )
        base = year_run.variants[year_run.baseline]
        for v, res in year_run.variants.items():
            res.investments = {
                i.party: i.amount for i in horizon.investments if i.variant == v and i.year == year
            }
            share = rate_in(horizon.adoption[v], year, Decimal(0)) if v in horizon.adoption else ONE
            if v != year_run.baseline and share != 1:
                res.ledger = _mix(res.ledger, base.ledger, share)
                res.adoption, res.rest = share, base
        result.years[year] = year_run
    return result


def _year_scenario(raw: dict[str, Any], horizon: Horizon, start: int, year: int, file: str) -> Scenario:
    from bekostiging.scenario import drawn

    try:
        with exact():
            return drawn.validate(resolve(raw, horizon, start, year))
    except drawn.LaneProblem as problem:
        raise problem.within(f"in {year}") from None
    except YearProblem as exc:
        raise ScenarioError([Finding(file, ".".join(map(str, exc.path)), str(exc))]) from None
    except ValidationError as exc:
        from bekostiging.scenario.errors import pydantic_findings

        raise ScenarioError(
            Finding(file, f.path, f"in {year}: {f.message}")
            for f in pydantic_findings(exc, Scenario, raw, ())
        ) from None


def _mix(variant: Ledger, baseline: Ledger, share: Decimal) -> Ledger:
    """`share ×` the variant's flows `+ (1 - share) ×` the baseline's, without cent residues
    (HORIZON.md §1, CONTRACTS.md E and G).

    Per (from, to, component) the mixed total `a·V + (1 − a)·B` is rounded once, then split
    over that group's lines (profile × activity; the union of the variant's and the
    baseline's) by largest remainder, pro rata `a·v + (1 − a)·b`, ties by the line's key.
    A group that totals the same under both is therefore that total exactly, and a party
    whose flows per counterparty and component are the same under both has no delta.

    In a simulation a row holds lanes of signed amounts: a lane's negative amount is a flow
    the other way, so each row counts in the group of its direction lane by lane (what the
    row would be with that draw's numbers alone).
    """
    groups: dict[tuple[str, str, str], dict[str, _Line]] = {}
    for weight, ledger, adopted in ((share, variant, True), (1 - share, baseline, False)):
        for f in ledger.flows:
            forward = maximum(f.amount, 0)
            for payer, payee, amount in ((f.payer, f.payee, forward), (f.payee, f.payer, forward - f.amount)):
                if is_zero(amount):
                    continue
                lines = groups.setdefault((f.component, payer, payee), {})
                key = f"{f.profile or ''}\0{f.activity or ''}"
                line = lines.setdefault(key, _Line(f.profile, f.activity))
                line.add(weight, amount, f, adopted)
    mixed = Ledger()
    for (component, payer, payee), lines in groups.items():
        weights = {k: line.weight for k, line in lines.items()}
        total = cents(div(sum(weights.values(), Decimal(0)), 100))  # rounded once
        for key, amount in allocate(total, weights).items():
            line = lines[key]
            formula = partial(_mixed_formula, line, total)
            mixed.add(component, payer, payee, amount, line.profile, line.activity, formula)
    return mixed


@dataclass
class _Line:
    """One line of a group to mix: its weighted amount (in cents) and the flows it came from."""

    profile: str | None
    activity: str | None
    weight: Any = Decimal(0)
    parts: list[tuple[Decimal, Flow, bool]] = field(default_factory=list)

    def add(self, weight: Decimal, amount: Cents, flow: Flow, adopted: bool) -> None:
        self.weight = self.weight + mul(weight, as_number(amount))
        self.parts.append((weight, flow, adopted))


def _mixed_formula(line: _Line, total: Cents, w: Words) -> str:
    """`adoption 0.125 × (variant's formula) + (1 − adoption) 0.875 × (baseline's)`, then
    how the group's total, rounded once, is split over its lines."""
    parts = " + ".join(
        w(
            "adopted" if adopted else "not_adopted",
            share=w.num(weight),
            formula=f.describe(w.lang) or _euros(f.amount, w),
        )
        for weight, f, adopted in line.parts
    )
    return w("mixed", parts=parts, total=_euros(total, w))


def _euros(amount: Cents, w: Words) -> str:
    return w.eur(amount, from_cents=True) if isinstance(amount, int) else w("lanes")


# ------------------------------------------------------------------ over the horizon


def summary(result: HorizonRun, per_year: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Per variant × party: npv_delta, npv_margin_delta (cents) and payback_year.

    `per_year` maps each year to its results rows (dicts with variant, party, net, delta,
    cost). A margin delta is (net − cost) of the variant minus that of the baseline. A party
    that has a cost in any year, under either, counts a missing cost as 0 in every year
    (a network's investment still shows); one that never has a cost has no margin delta.
    """
    with exact():
        return _summary(result, per_year)


def _summary(result: HorizonRun, per_year: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    rate = result.horizon.discount_rate
    rows = {(r["variant"], r["party"], y): r for y, year_rows in per_year.items() for r in year_rows}
    pairs = dict.fromkeys((v, p) for v, p, _ in rows)
    years = sorted(per_year)
    out = []
    for variant, party in pairs:
        mine = [rows[(variant, party, y)] for y in years]
        base = [rows[(result.baseline, party, y)] for y in years]
        has_cost = any(r["cost"] is not None for r in (*mine, *base))
        deltas = {year: row["delta"] for year, row in zip(years, mine, strict=True)}
        margins = {
            year: (row["net"] - (row["cost"] or 0)) - (ref["net"] - (ref["cost"] or 0))
            for year, row, ref in zip(years, mine, base, strict=True)
            if has_cost
        }
        cumulative, was_negative, payback = 0, False, None
        for year in years if has_cost else ():
            cumulative += margins[year]
            if cumulative < 0:
                was_negative = True
            elif was_negative and payback is None:
                payback = year
        out.append(
            {
                "variant": variant,
                "party": party,
                "npv_delta": present_value(deltas, result.start, rate),
                "npv_margin_delta": present_value(margins, result.start, rate) if has_cost else None,
                "payback_year": payback,
            }
        )
    return out


def unmixed_year(
    raw: dict[str, Any],
    scenario: Scenario,
    start: int,
    year: int,
    *,
    variants: Sequence[str] | None = None,
    baseline: str | None = None,
    whatifs: Sequence[str] = (),
    file: str = "",
) -> Run:
    """One year of the horizon with every variant as contracted: that year's inputs and
    its ramps (the share of each variant's effects realised), but no adoption mix, so a
    variant's ledger is the money of a region wholly under it (a client's journey:
    `report.journey`)."""
    horizon = scenario.horizon
    assert horizon is not None
    ramps = {v: rate_in(table, year, Decimal(0)) for v, table in horizon.ramp.items()}
    scenario_y = _year_scenario(raw, horizon, start, year, file)
    return run(
        scenario_y, variants=variants, baseline=baseline, whatifs=whatifs, file=file, ramps=ramps, year=year
    )
