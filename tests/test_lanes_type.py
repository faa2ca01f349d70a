"""The `Lanes` type: lane i of every operation is the same operation on lane i's number.

`tests/test_lanes.py` holds whole blocks of draws to each draw computed alone; these
tests pin the parts the engine is built from: the operators, the money functions, the
ledger's one add path, and the overlay that keeps lanes away from pydantic.
"""

from __future__ import annotations

import operator
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bekostiging import lanes, money
from bekostiging.arithmetic import exact
from bekostiging.engine.ledger import Ledger
from bekostiging.engine.simulate import Job, evaluate, evaluate_block
from bekostiging.lanes import Lanes
from bekostiging.scenario import drawn
from bekostiging.scenario.load import load_scenario
from conftest import write
from test_simulate import BASE

LANES = 3
decimals = st.integers(-(10**9), 10**9).map(lambda v: Decimal(v).scaleb(-3))
nonzero = decimals.filter(lambda v: v != 0)
cents_ = st.integers(-(10**9), 10**9)
ARITHMETIC = (operator.add, operator.sub, operator.mul, operator.truediv)
COMPARISONS = (operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne)


def cents_lanes(values: list[int]) -> Lanes:
    return Lanes(np.array(values, dtype=np.int64))


def per_lane(value: object, lane: int) -> object:
    """Lane `lane` of lanes as a plain Python value (numpy's int64 and bool as int and bool)."""
    if not isinstance(value, Lanes):
        return value
    one = value[lane]
    return one.item() if isinstance(one, np.generic) else one


def by_pair(ledger: Ledger, lane: int | None = None) -> dict[tuple[str, str], int]:
    """Net cents from a to b over the rows (lane `lane` of lanes rows), zeros left out."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    for f in ledger.flows:
        v = f.amount if lane is None else per_lane(f.amount, lane)
        out[(f.payer, f.payee)] += v
        out[(f.payee, f.payer)] -= v
    return {k: v for k, v in out.items() if v}


@settings(max_examples=200)
@given(
    a=st.lists(decimals, min_size=LANES, max_size=LANES), b=st.lists(nonzero, min_size=LANES, max_size=LANES)
)
def test_operators_work_lane_by_lane_as_on_one_number(a, b) -> None:
    x, y = lanes.column(a), lanes.column(b)
    with exact():
        for op in (*ARITHMETIC, *COMPARISONS):
            for left, right in ((x, y), (x, b[0]), (a[0], y), (x, 7), (7, y)):
                got = op(left, right)
                assert isinstance(got, Lanes)
                assert [per_lane(got, i) for i in range(LANES)] == [
                    op(per_lane(left, i), per_lane(right, i)) for i in range(LANES)
                ], (op, left, right)
        assert [(-x)[i] for i in range(LANES)] == [-v for v in a]
        assert [abs(x)[i] for i in range(LANES)] == [abs(v) for v in a]
        assert [sum((x, y, 1), Decimal(0))[i] for i in range(LANES)] == [
            p + q + 1 for p, q in zip(a, b, strict=True)
        ]


@given(
    a=st.lists(st.booleans(), min_size=LANES, max_size=LANES),
    b=st.lists(st.booleans(), min_size=LANES, max_size=LANES),
)
def test_truth_lanes_combine_lane_by_lane(a, b) -> None:
    x, y = Lanes(np.array(a)), Lanes(np.array(b))
    for op in (operator.and_, operator.or_):
        for left, right in ((x, y), (x, True), (False, y)):
            got = op(left, right)
            assert [per_lane(got, i) for i in range(LANES)] == [
                op(per_lane(left, i), per_lane(right, i)) for i in range(LANES)
            ]
    assert [per_lane(~x, i) for i in range(LANES)] == [not v for v in a]


@settings(max_examples=200)
@given(
    a=st.lists(decimals, min_size=LANES, max_size=LANES),
    b=st.lists(nonzero, min_size=LANES, max_size=LANES),
    c=st.lists(cents_, min_size=LANES, max_size=LANES),
)
def test_money_functions_work_lane_by_lane_as_on_one_number(a, b, c) -> None:
    x, y, k = lanes.column(a), lanes.column(b), cents_lanes(c)
    cases = [
        (money.cents, (x,)),
        (money.from_cents, (k,)),
        (money.as_number, (k,)),
        (money.mul, (x, y, b[0])),
        (money.div, (x, y)),
        (money.div, (a[0], y)),
        (money.maximum, (x, 0)),
        (money.minimum, (b[1], x)),
        (money.where, (x > y, k, 5)),
    ]
    with exact():
        for function, args in cases:
            got = function(*args)
            assert isinstance(got, Lanes)
            for i in range(LANES):
                alone = function(*(per_lane(arg, i) for arg in args))
                assert per_lane(got, i) == alone and type(per_lane(got, i)) is type(alone), (function, i)
    assert money.is_zero(cents_lanes([0] * LANES)) and not money.is_zero(cents_lanes([0, 0, 1]))
    assert money.is_number(x) and not money.is_number(k) and not money.is_number(x > y)


def test_lanes_refuse_a_single_truth_floats_and_silent_arrays() -> None:
    x = cents_lanes([100, -5, 0])
    with pytest.raises(TypeError, match="truth per lane"):
        bool(x > 0)
    with pytest.raises(TypeError, match="truth per lane"):
        _ = 1 if x else 0
    with pytest.raises(TypeError, match="not float64"):
        _ = x / 3  # whole cents divided: money is never float
    with pytest.raises(TypeError, match="not silently an array"):
        np.asarray(x)
    with pytest.raises(TypeError):
        np.maximum(x, 0)  # numpy leaves lanes to their own operators and money.maximum
    assert isinstance(np.array([1, 2, 3]) + x, Lanes)


flows = st.lists(
    st.tuples(
        st.sampled_from(["zv", "vk", "zh"]),
        st.sampled_from(["zv", "vk", "zh"]),
        st.one_of(
            st.lists(st.integers(-(10**6), 10**6), min_size=LANES, max_size=LANES),
            st.lists(decimals, min_size=LANES, max_size=LANES),
        ),
    ),
    max_size=12,
)


@settings(max_examples=200)
@given(flows=flows)
def test_a_ledger_of_lanes_counts_each_lane_as_a_ledger_of_that_lane(flows) -> None:
    block, alone = Ledger(), [Ledger() for _ in range(LANES)]
    with exact():
        for payer, payee, values in flows:
            many = cents_lanes(values) if isinstance(values[0], int) else lanes.column(values)
            block.add("fee", payer, payee, many)
            for i, ledger in enumerate(alone):
                ledger.add("fee", payer, payee, values[i])
    for i, ledger in enumerate(alone):
        assert all(f.amount > 0 for f in ledger.flows)  # one number: rows stay positive
        for p in ("zv", "vk", "zh"):  # and the "so far" sums are those of its rows
            assert ledger.inflows(p) == sum(f.amount for f in ledger.flows if f.payee == p)
            assert ledger.outflows(p) == sum(f.amount for f in ledger.flows if f.payer == p)
            for q in ("zv", "vk", "zh"):
                assert ledger.paid(p, q) == sum(
                    f.amount for f in ledger.flows if (f.payer, f.payee) == (p, q)
                )
            assert per_lane(block.inflows(p), i) == ledger.inflows(p)
            assert per_lane(block.outflows(p), i) == ledger.outflows(p)
            assert per_lane(block.net_spend(p), i) == ledger.net_spend(p)
            for q in ("zv", "vk", "zh"):
                assert per_lane(block.paid(p, q), i) == ledger.paid(p, q)
        assert by_pair(block, i) == by_pair(ledger)  # the rows too, each lane in its own direction


def test_plain_numbers_never_load_numpy() -> None:
    code = (
        "import sys, bekostiging.money, bekostiging.engine.ledger\n"
        "from bekostiging import api, examples\n"
        "api.compare(examples.path_of(examples.DEFAULT)).figures.results\n"
        "assert 'numpy' not in sys.modules, 'numpy was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_pydantic_never_sees_lanes_and_the_engine_view_holds_them(tmp_path: Path, monkeypatch) -> None:
    text = BASE.replace("[variants.duur]\n", '[variants.duur]\nmechanisms = [{ type = "availability" }]\n')
    text += '\n[availability.dienst]\nparty = "zh"\nannual_cost = 1000\n'
    path = write(tmp_path / "s.toml", text)
    scenario, _ = load_scenario(path)
    columns = {
        "activities.zorg.tariff": [Decimal("90"), Decimal("110"), Decimal("100")],
        "variants.duur.effects.0.factor": [Decimal("1.2"), Decimal("0.9"), Decimal("1")],
        "availability.dienst.annual_cost": [Decimal("800"), Decimal("1000"), Decimal("1200")],
    }
    job = Job(scenario.model_dump(by_alias=True), columns, None, None, (), str(path), None)
    seen, views = [], []
    validate, with_draws = drawn.Scenario.model_validate, drawn.with_draws

    def spy_validate(data, **kwargs):
        seen.append(drawn.overlay_of(data))
        return validate(data, **kwargs)

    def spy_view(model, overlay):
        views.append(view := with_draws(model, overlay))
        return view

    monkeypatch.setattr(drawn.Scenario, "model_validate", spy_validate)
    monkeypatch.setattr(drawn, "with_draws", spy_view)
    figures, _ = evaluate_block(job, range(3))
    assert len(seen) >= 4 and not any(seen)  # the scenario, then each variant's effects: numbers only
    assert views and isinstance(views[0].activities["zorg"].tariff, Lanes)
    assert views[0].activities["zorg"].tariff[1] == Decimal("110")
    assert isinstance(views[0].availability["dienst"].annual_cost, Lanes)
    for i in range(3):
        alone, _ = evaluate(job, i)
        assert {k: tuple(int(c[i]) for c in v if c is not None) for k, v in figures.items()} == {
            k: tuple(c for c in v if c is not None) for k, v in alone.items()
        }


def test_a_failing_draw_leaves_the_data_as_it_was() -> None:
    column = lanes.column([Decimal("5"), Decimal("-1")])
    data = {
        "scenario": {"name": "x", "baseline": "a", "default_payer": "zv"},
        "parties": {"zv": {"role": "payer"}, "vk": {"role": "provider"}},
        "activities": {"zorg": {"provider": "vk", "tariff": column}},
        "variants": {"a": {}},
    }
    with drawn.active(), pytest.raises(drawn.LaneProblem) as problem:
        drawn.validate(data)
    assert problem.value.lane == 1 and "must be >= 0" in problem.value.message
    assert data["activities"]["zorg"]["tariff"] is column
