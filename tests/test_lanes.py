"""Draws as a dimension: a block of draws computed at once equals each draw computed alone.

`engine.simulate.evaluate` computes one draw as a scenario of its own, with plain
numbers: it is the reference. `evaluate_block` computes many draws in one pass over
lanes (`bekostiging.lanes`). These tests hold the second to the first, to the cent, on
generated scenarios with every mechanism, with and without a horizon.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bekostiging import lanes
from bekostiging.engine import simulate as sim
from bekostiging.engine.simulate import Job, evaluate, evaluate_block
from bekostiging.findings import ScenarioError
from bekostiging.money import allocate
from bekostiging.scenario.load import load_scenario
from conftest import invoke, write
from strategies import scenarios, to_toml
from support.slow import budgets
from test_simulate import BASE, with_uncertainty

DRAWS = 4
HORIZON = {
    "start": 2025,
    "years": 3,
    "discount_rate": Decimal("0.03"),
    "client_growth": Decimal("0.01"),
    "index": Decimal("0.025"),
    "adoption": {"variant0": {"2025": Decimal("0.4"), "2026": Decimal("1")}},
    "ramp": {"variant0": {"2025": Decimal("0.5")}},
}


def numeric_leaves(node: Any, at: tuple = ()) -> list[tuple[str, Decimal]]:
    """(dotted path, value) of every number a parameter may draw (not years, not ids)."""
    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in numeric_leaves(v, (*at, str(k)))]
    if isinstance(node, list):
        return [leaf for i, v in enumerate(node) for leaf in numeric_leaves(v, (*at, str(i)))]
    if isinstance(node, Decimal | int) and not isinstance(node, bool) and at[0] in sim.LANE_ROOTS:
        return [(".".join(at), Decimal(node))]
    return []


def near(value: Decimal) -> st.SearchStrategy[Decimal]:
    """Draws around a value: fractions stay fractions, money keeps whole cents."""
    if 0 <= value <= 1:
        return st.integers(0, 1000).map(lambda v: Decimal(v).scaleb(-3))
    top = max(int(value * 200), 100)
    return st.integers(0, top).map(lambda c: Decimal(c).scaleb(-2))


def outcome(job: Job, draws: int) -> tuple[list, bool]:
    """Each draw alone: its figures, or whether any draw is invalid."""
    try:
        return [evaluate(job, i) for i in range(draws)], False
    except ScenarioError:
        return [], True


@pytest.mark.parametrize("budget", budgets(quick=40, long=200))
def test_a_block_of_draws_equals_each_draw_alone(tmp_path: Path, budget: int) -> None:
    """A block of draws equals each draw computed alone, to the cent (40 generated scenarios
    in the default run, 200 in the slow set)."""

    @settings(max_examples=budget, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=scenarios(), picks=st.data(), horizon=st.booleans())
    def check(data, picks, horizon) -> None:
        if horizon:
            data = {**data, "scenario": {**data["scenario"], "year": 2025}, "horizon": HORIZON}
        path = write(tmp_path / "gegenereerd.toml", to_toml(data))
        scenario, tree = load_scenario(path)
        base = tree.data if horizon else scenario.model_dump(by_alias=True)
        leaves = numeric_leaves(scenario.model_dump(by_alias=True))
        chosen = picks.draw(
            st.lists(st.sampled_from(leaves), min_size=1, max_size=3, unique_by=lambda x: x[0])
        )
        columns = {p: picks.draw(st.lists(near(v), min_size=DRAWS, max_size=DRAWS)) for p, v in chosen}
        job = Job(base, columns, None, None, (), str(path), 2025 if horizon else None)

        alone, invalid = outcome(job, DRAWS)
        event("a draw is invalid" if invalid else "every draw is valid")
        if invalid:  # a draw breaks a rule: the block says so too
            with pytest.raises(ScenarioError, match=r"in draw \d+ \("):
                evaluate_block(job, range(DRAWS))
            return
        figures, savings = evaluate_block(job, range(DRAWS))
        for i, (one_figures, one_savings) in enumerate(alone):
            assert set(one_figures) == set(figures)
            for key, values in one_figures.items():
                got = tuple(None if column is None else int(column[i]) for column in figures[key])
                assert got == values, (i, key, columns)
            for key, (eligible, payout) in one_savings.items():
                assert (bool(savings[key][0][i]), int(savings[key][1][i])) == (eligible, payout), (i, key)

    check()


@settings(max_examples=300, deadline=None)
@given(
    totals=st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=6),
    weights=st.lists(
        st.lists(st.integers(-50, 400).map(lambda v: Decimal(v).scaleb(-1)), min_size=6, max_size=6),
        min_size=1,
        max_size=5,
    ),
)
def test_allocate_over_lanes_equals_allocate_per_lane(totals, weights) -> None:
    n = len(totals)
    keyed = {f"k{i}": lanes.column(w[:n]) for i, w in enumerate(weights)}
    split = allocate(np.array(totals, dtype=np.int64), keyed)
    for lane, total in enumerate(totals):
        alone = allocate(total, {k: w[lane] for k, w in keyed.items()})
        assert {k: int(v[lane]) for k, v in split.items()} == alone
        assert sum(alone.values()) == total


def drawing(text: str, params: str, draws: int) -> str:
    """`text` with an [uncertainty] block of `draws` draws over `params` (TOML lines)."""
    return f"{text}\n[uncertainty]\nseed = 3\ndraws = {draws}\n[uncertainty.params]\n{params}\n"


def refused(path: Path) -> str:
    """`simulate` on the file fails cleanly: its error text."""
    result = invoke("simulate", path)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert "in draw " in result.stderr
    return result.stderr


def test_an_invalid_draw_is_named_with_its_values(scenario) -> None:
    # sd 100 around 100: about one draw in six of the tariff is negative
    path = scenario(with_uncertainty('"activities.zorg.tariff" = { dist = "normal", mean = 100, sd = 100 }'))
    error = refused(path)
    assert "activities.zorg.tariff" in error and "must be >= 0" in error


def test_a_copay_above_a_drawn_tariff_is_named(scenario) -> None:
    text = BASE.replace("tariff = 100.00\n", "tariff = 100.00\ncopay = 60.00\n", 1).replace(
        'default_payer = "zv"\n', 'default_payer = "zv"\nclient = "cl"\n[parties.cl]\nrole = "client"\n'
    )
    params = '"activities.zorg.tariff" = { dist = "uniform", low = 50, high = 150 }'
    assert "copay 60.00 is above the tariff" in refused(scenario(drawing(text, params, 200)))


def test_an_effect_that_breaks_a_rule_in_some_draw_is_named(scenario) -> None:
    # funding 0.9 scaled by a drawn factor above 1.11 exceeds 1 after the variant's effect
    text = BASE.replace(
        "[variants.duur]\n",
        '[variants.duur]\nmechanisms = [{ type = "availability", funding = 0.9 }]\n',
    ).replace(
        "factor = 1.1 }]",
        'factor = 1.1 }, { op = "scale", path = "variants.duur.mechanisms.0.funding", factor = 1.0 }]',
    )
    text += '\n[availability.dienst]\nparty = "zh"\nannual_cost = 1000\n'
    params = '"variants.duur.effects.1.factor" = { dist = "uniform", low = 0.9, high = 1.2 }'
    assert "after the effects of variants.duur" in refused(scenario(drawing(text, params, 100)))


def test_parameters_of_the_horizon_are_drawn_one_at_a_time(scenario) -> None:
    text = (
        BASE.replace("[scenario]\n", "[scenario]\nyear = 2025\n")
        + "\n[horizon]\nyears = 2\ndiscount_rate = 0.1\n"
    )
    params = '"horizon.discount_rate" = { dist = "uniform", low = 0.1, high = 0.1 }'
    result = invoke("simulate", scenario(drawing(text, params, 20)), "-f", "csv", "--table", "results")
    assert result.exit_code == 0, result.stderr
    vk = next(line for line in result.stdout.splitlines() if line.startswith("duur,vk,"))
    assert vk.endswith(",190.91,190.91,190.91,190.91,0.0000,vk")  # 100 + 100 / 1.1, every draw
