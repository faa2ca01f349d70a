"""The short cuts of the fast lanes (issue 19) are the long way to the cent.

`lanes.mul` with one `Decimal` runs numpy's loop over `*` instead of `CONTEXT.multiply`
per lane, `money.mul` skips `1 ×` lanes, `lanes.cents` checks `MAX_FLOW` on the rounded
cents, `lanes.allocate` gives one key the whole total, and a block of draws computes a
horizon one year at a time. Each is held here to what it replaces.
"""

from __future__ import annotations

import decimal
from dataclasses import replace
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bekostiging import api, lanes, money
from bekostiging.arithmetic import CONTEXT, MAX_FLOW, ONE, MoneyOverflow, exact
from bekostiging.engine import simulate as sim
from bekostiging.lanes import Lanes
from bekostiging.scenario.uncertainty import Sampler

decimals = st.integers(-(10**20), 10**20).map(lambda v: Decimal(v).scaleb(-7))
# an object array as the engine makes them: Decimals, and ints where numpy mixed int64 in
mixed = st.lists(st.one_of(decimals, st.integers(-(10**12), 10**12)), min_size=1, max_size=6)


def objects(values: list) -> Lanes:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return Lanes(out)


@settings(max_examples=200, deadline=None)
@given(values=mixed, factor=decimals, first=st.booleans())
def test_lanes_times_a_decimal_is_context_multiply_per_lane(values, factor, first) -> None:
    product = lanes.mul(factor, objects(values)) if first else lanes.mul(objects(values), factor)
    for got, value in zip(product.values, values, strict=True):
        assert type(got) is Decimal and got == CONTEXT.multiply(value, factor)
        assert str(got) == str(CONTEXT.multiply(value, factor))  # the same digits and exponent


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.integers(-(10**15), 10**15), min_size=1, max_size=6), factor=decimals)
def test_cents_lanes_times_a_decimal_are_decimals(values, factor) -> None:
    product = lanes.mul(Lanes(np.array(values, dtype=np.int64)), factor)
    assert product.is_decimal
    assert [str(v) for v in product.values] == [str(CONTEXT.multiply(v, factor)) for v in values]


@settings(max_examples=100, deadline=None)
@given(values=mixed, factors=st.lists(st.one_of(decimals, st.integers(-50, 50)), min_size=0, max_size=3))
def test_money_mul_of_lanes_equals_one_times_them(values, factors) -> None:
    """`money.mul(lanes, ...)` starts at the lanes instead of 1 × the lanes: every lane the
    Decimal the product from 1 gives, also for a lone factor (then 1 × it is kept)."""
    got = money.mul(objects(values), *factors)
    for lane, value in enumerate(values):
        expected = ONE
        for f in (value, *factors):
            expected = CONTEXT.multiply(expected, f)
        assert type(got.values[lane]) is Decimal and str(got.values[lane]) == str(expected)


def test_cents_of_lanes_near_the_limit_are_checked_on_the_lanes() -> None:
    below = MAX_FLOW - Decimal("0.005")  # rounds to the limit in cents: below it all the same
    fine = objects([below, -below, Decimal("12.345"), Decimal("-0.005")])
    with exact():
        assert [int(c) for c in lanes.cents(fine).values] == [money.cents(v) for v in fine.values]
        for beyond in (MAX_FLOW, -MAX_FLOW, MAX_FLOW * 100, Decimal("1E+70")):
            with pytest.raises(MoneyOverflow) as lane_error:
                lanes.cents(objects([Decimal(1), beyond]))
            with pytest.raises(MoneyOverflow) as one_error:
                money.cents(beyond)
            assert str(lane_error.value) == str(one_error.value)


@settings(max_examples=100, deadline=None)
@given(
    totals=st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=5),
    weight=st.one_of(decimals, st.integers(-5, 5).map(Decimal)),
    as_lanes=st.booleans(),
)
def test_one_key_gets_the_whole_total(totals, weight, as_lanes) -> None:
    n = len(totals)
    w = objects([weight] * n) if as_lanes else weight
    split = money.allocate(Lanes(np.array(totals, dtype=np.int64)), {"k": w})
    assert [int(v) for v in split["k"].values] == totals
    assert [money.allocate(t, {"k": weight})["k"] for t in totals] == totals


def test_a_horizon_one_year_at_a_time_equals_all_years_at_once() -> None:
    """`simulate._evaluate_years` keeps one year of ledgers at a time: the same figures as
    `run_horizon` over the whole horizon at once, reduced as before."""
    from bekostiging.engine.horizon import run_horizon, summary
    from bekostiging.scenario import drawn
    from bekostiging.scenario.years import copy_tree

    loaded = api.load("huisartsenpilot-limburg")
    _, job = api._uncertain(loaded, None, ())
    assert job.horizon_start is not None and loaded.model.uncertainty is not None
    job = replace(job, columns=Sampler(loaded.model.uncertainty, 7).take(3))
    for index in range(3):
        data = sim.set_values(copy_tree(job.base), {p: c[index] for p, c in job.columns.items()})
        with decimal.localcontext(CONTEXT):
            scenario = drawn.validate(sim._first_year(copy_tree(data), job.horizon_start))
            years = run_horizon(copy_tree(data), scenario, job.horizon_start, file=job.file)
        figures = {year: sim._figures(result) for year, result in years.years.items()}
        per_year = {
            year: [
                {"variant": v, "party": p, "net": net, "delta": delta, "cost": None}
                for (v, p), (net, delta, *_) in of_year.items()
            ]
            for year, of_year in figures.items()
        }
        npv = {(r["variant"], r["party"]): r["npv_delta"] for r in summary(years, per_year)}
        first = figures[job.horizon_start]
        expected = {k: (net, delta, npv[k], settled) for k, (net, delta, _, settled) in first.items()}
        got, savings = sim.evaluate(job, index)
        assert got == expected
        assert savings == sim._savings(years.years[job.horizon_start])
