"""Invariants over generated scenarios (hypothesis): conservation, exact splits, order."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bekostiging.api import compare, loads
from bekostiging.money import allocate
from strategies import scenarios, to_toml
from support.slow import budgets

# Each property runs twice: a few scenarios in the default run, many in the slow set.
BUDGETS = budgets(quick=20, long=150)


def examples(budget: int) -> settings:
    return settings(max_examples=budget, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(data: dict[str, Any], name: str = "s.toml"):
    """A generated scenario computed from its TOML text (`bk.loads`), as a file would be."""
    return compare(loads(to_toml(data), name=name))


def results(out) -> list[dict[str, Any]]:
    return sorted(out.results.to_dicts(), key=lambda r: (r["variant"], r["party"]))


@pytest.mark.parametrize("budget", BUDGETS)
def test_nets_add_up_to_zero_for_every_variant(budget):
    @examples(budget)
    @given(data=scenarios())
    def check(data):
        out = run(data)
        frame = out.figures.results
        for variant in frame["variant"].unique():
            assert frame.filter(frame["variant"] == variant)["net"].sum() == 0

    check()


@pytest.mark.parametrize("budget", BUDGETS)
def test_every_ledger_row_is_positive_whole_cents_between_two_parties(budget):
    @examples(budget)
    @given(data=scenarios())
    def check(data):
        out = run(data)
        ledger = out.figures.ledger
        assert (ledger["amount"] > 0).all()
        assert (ledger["payer"] != ledger["payee"]).all()

    check()


@pytest.mark.parametrize("budget", BUDGETS)
def test_splits_add_up_exactly(budget):
    """Shared savings: payout = reinvested + Σ recipients; bundles: contractor in = out + overhead."""

    @examples(budget)
    @given(data=scenarios())
    def check(data):
        out = run(data)
        for row in out.table("shared_savings").to_dicts():
            assert row["payout"] == row["reinvested"] + sum(r["amount"] for r in row["recipients"])
        for row in out.table("availability").to_dicts():
            assert row["gap"] == row["annual_cost"] - row["embedded"] - row["separate"]

    check()


@pytest.mark.parametrize("budget", BUDGETS)
def test_results_do_not_depend_on_the_order_of_tables(budget):
    @examples(budget)
    @given(data=scenarios(), rnd=st.randoms(use_true_random=False))
    def check(data, rnd):
        shuffled = copy.deepcopy(data)
        for section in ("parties", "activities", "profiles", "availability"):
            items = list(shuffled[section].items())
            rnd.shuffle(items)
            shuffled[section] = dict(items)
        for v in shuffled["variants"].values():
            if "mechanisms" in v:
                v["mechanisms"] = v["mechanisms"][::-1]  # at most one per type: order in file is free
        assert results(run(data, "a.toml")) == results(run(shuffled, "b.toml"))

    check()


@pytest.mark.parametrize("budget", BUDGETS)
def test_a_variant_does_not_depend_on_which_other_variants_exist(budget):
    @examples(budget)
    @given(data=scenarios())
    def check(data):
        everything = results(run(data, "all.toml"))
        alone = copy.deepcopy(data)
        keep = [v for v in alone["variants"] if v != "mono"][-1]
        alone["variants"] = {"mono": alone["variants"]["mono"], keep: alone["variants"][keep]}
        assert [r for r in everything if r["variant"] in ("mono", keep)] == results(run(alone, "one.toml"))

    check()


@pytest.mark.parametrize("budget", BUDGETS)
def test_a_variant_equal_to_the_baseline_has_zero_deltas(budget):
    @examples(budget)
    @given(data=scenarios())
    def check(data):
        data["variants"]["kopie"] = copy.deepcopy(data["variants"]["mono"])
        out = run(data)
        for row in out.results.to_dicts():
            if row["variant"] == "kopie":
                assert row["delta"] == 0

    check()


@pytest.mark.parametrize("budget", BUDGETS)
def test_scaling_all_tariffs_by_k_scales_fee_for_service_flows_by_k(budget):
    @examples(budget)
    @given(data=scenarios(), k=st.integers(2, 5))
    def check(data, k):
        for profile in data["profiles"].values():  # whole units: every flow is exact, no rounding
            profile["clients"] = profile["clients"].to_integral_value()
            profile["path"] = {a: u.to_integral_value() for a, u in profile["path"].items()}
        scaled = copy.deepcopy(data)
        for activity in scaled["activities"].values():
            for field in ("tariff", "copay"):
                if field in activity:
                    activity[field] *= k
        base = run(data, "a.toml").figures.ledger
        times_k = run(scaled, "b.toml").figures.ledger

        def fee_for_service(ledger):
            rows = ledger.filter((ledger["variant"] == "mono") & ledger["component"].is_in(["fee", "copay"]))
            return sorted(rows.select("component", "payer", "payee", "profile", "activity", "amount").rows())

        assert fee_for_service(times_k) == [(*row[:-1], row[-1] * k) for row in fee_for_service(base)]

    check()


@given(
    total=st.integers(-(10**12), 10**12),
    weights=st.dictionaries(
        st.from_regex(r"[a-z]{1,6}", fullmatch=True),
        st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False),
        min_size=1,
        max_size=8,
    ),
)
def test_allocate_adds_up_and_stays_within_a_cent_of_the_exact_share(total, weights):
    parts = allocate(total, weights)
    assert sum(parts.values()) == total
    weight_sum = sum(weights.values(), Decimal(0))
    for key, part in parts.items():
        exact = Decimal(total) * weights[key] / weight_sum if weight_sum else Decimal(total) / len(weights)
        assert abs(part - exact) < 1
