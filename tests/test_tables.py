"""Several scenarios and years as one (`report.tables`), checked against sums done by hand."""

from __future__ import annotations

import polars as pl
import pytest

from bekostiging.api import compare
from bekostiging.report.figures import COLUMNS, Figures
from bekostiging.report.tables import (
    by_year,
    combine,
    flow_picture,
    node_amounts,
    of_year,
    party_sums,
    spend_change,
    split_years,
    step_sums,
)

# Noord: the insurer pays the midwives 10 × € 100 = € 1000; `half` halves the care (€ 500)
# and funds half of a € 400 availability function apart (€ 200). The midwives' cost is
# € 80 per unit (€ 800, € 400 in `half`) plus the function's € 400. The hospital has
# nothing to do here: no money, no cost.
NOORD = """
[scenario]
name = "Noord"
year = 2025
baseline = "mono"
default_payer = "zv"

[parties.zv]
role = "payer"
[parties.vk]
role = "provider"
[parties.zh]
role = "provider"

[activities.zorg]
provider = "vk"
tariff = 100
cost = 80

[availability.dienst]
party = "vk"
annual_cost = 400

[profiles.p]
clients = 10
path = { zorg = 1 }

[variants.mono]
name = "Mono"

[variants.half]
name = "Half"
effects = [{ op = "scale", path = "profiles.p.path.zorg", factor = 0.5 }]
[[variants.half.mechanisms]]
type = "availability"
payer = "zv"
funding = 0.5
"""

# Zuid: the same care at € 50 for 4 clients (€ 200, € 100 in `half`) without a cost, so
# the midwives' cost is their € 600 function, funded for a quarter in `half` (€ 150); the
# hospital has 4 × € 30 = € 120 of care that costs it 4 × € 20.
ZUID = """
[scenario]
name = "Zuid"
year = 2025
baseline = "mono"
default_payer = "zv"

[parties.zv]
role = "payer"
[parties.vk]
role = "provider"
[parties.zh]
role = "provider"

[activities.zorg]
provider = "vk"
tariff = 50
[activities.extra]
provider = "zh"
tariff = 30
cost = 20

[availability.dienst]
party = "vk"
annual_cost = 600

[profiles.p]
clients = 4
path = { zorg = 1, extra = 1 }

[variants.mono]
name = "Mono"

[variants.half]
name = "Half"
effects = [{ op = "scale", path = "profiles.p.path.zorg", factor = 0.5 }]
[[variants.half.mechanisms]]
type = "availability"
payer = "zv"
funding = 0.25
"""


@pytest.fixture
def two(scenario):
    noord = compare(scenario(NOORD, name="noord.toml"), attribution=True)
    zuid = compare(scenario(ZUID, name="zuid.toml"), attribution=True)
    return combine([("Noord", noord.figures), ("Zuid", zuid.figures)])


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in frame.select(columns).iter_rows()]


def test_results_are_summed_per_party_id(two):
    total = two.total("results")
    assert total.columns == COLUMNS["results"]
    # (variant, party, role, net, delta, delta_pct in 1/100 %, cost, margin), in cents.
    # zv mono: −1000 − 320; half: −(500 + 200) − (100 + 120 + 150) = −1070.
    # delta_pct of zv: 250 / 1320 = 18.939..% -> 18.94; of vk: −250 / 1200 = −20.83..%.
    # vk's cost: (800 + 400) + 600 and (400 + 400) + 600. zh's: Zuid's 80 (Noord has none),
    # so the total has the cost that is known; zv has none anywhere: null, as its margin.
    assert rows(total, "variant", "party", "role", "net", "delta", "delta_pct", "cost", "margin") == [
        ("mono", "zv", "payer", -132000, 0, 0, None, None),
        ("mono", "vk", "provider", 120000, 0, 0, 180000, -60000),
        ("mono", "zh", "provider", 12000, 0, 0, 8000, 4000),
        ("half", "zv", "payer", -107000, 25000, 1894, None, None),
        ("half", "vk", "provider", 95000, -25000, -2083, 140000, -45000),
        ("half", "zh", "provider", 12000, 0, 0, 8000, 4000),
    ]


def test_totals_components_and_attribution_add_up(two):
    assert rows(two.total("totals"), "variant", "payer_spend", "client_copay", "total") == [
        ("mono", 132000, 0, 132000),
        ("half", 107000, 0, 107000),
    ]
    components = two.total("components").filter(pl.col("variant") == "half", pl.col("party") == "vk")
    assert rows(components, "component", "revenue", "payments") == [
        ("fee", 60000, 0),
        ("availability", 35000, 0),
    ]
    steps = step_sums(two.total("attribution"))
    assert rows(steps.filter(pl.col("party") != "zh"), "variant", "party", "amount") == [
        ("half", "zv", 25000),
        ("half", "vk", -25000),
    ]


def test_availability_coverage_is_recomputed_from_the_sums(two):
    half = two.total("availability").filter(pl.col("variant") == "half")
    # (200 + 150) / (400 + 600) = 35 %; the gaps 200 + 450.
    assert rows(half, "function", "party", "annual_cost", "separate", "coverage", "gap") == [
        ("dienst", "vk", 100000, 35000, 3500, 65000)
    ]


def test_tables_side_by_side_with_a_scenario_column(two):
    stacked = two.table("totals")
    assert stacked.columns == ["scenario", *COLUMNS["totals"]]
    assert rows(stacked, "scenario", "variant", "total") == [
        ("Noord", "mono", 100000),
        ("Noord", "half", 70000),
        ("Zuid", "mono", 32000),
        ("Zuid", "half", 37000),
    ]
    assert [name for name, _ in two] == ["Noord", "Zuid"]
    assert two.has("attribution") and not two.has("horizon")


def test_the_total_of_one_scenario_is_that_scenario(scenario):
    one = compare(scenario(NOORD))
    single = combine([("Noord", one.figures)])
    for name in ("results", "availability", "shared_savings", "totals", "ledger"):
        assert single.total(name).equals(one.figures.table(name))
    with pytest.raises(ValueError, match="nothing to combine"):
        combine([])


def test_years_are_stacked_split_and_never_added_up(scenario):
    noord = compare(scenario(NOORD, name="noord.toml")).figures
    zuid = compare(scenario(ZUID, name="zuid.toml")).figures
    stacked = by_year({2025: noord, 2026: zuid})
    assert stacked.results.columns == ["year", *COLUMNS["results"]]
    assert stacked.results["year"].to_list() == [2025] * 6 + [2026] * 6
    back = split_years(stacked)
    assert list(back) == [2025, 2026]
    assert back[2025].results.equals(noord.results) and back[2026].ledger.equals(zuid.ledger)
    assert of_year(stacked.totals, 2026).equals(zuid.totals)
    # Two files over the same two years add up year by year: each year as its own total.
    crossed = combine([("a", stacked), ("b", by_year({2025: zuid, 2026: noord}))])
    one_year = combine([("a", noord), ("b", zuid)]).total("results")
    assert of_year(crossed.total("results"), 2025).equals(one_year)
    assert of_year(crossed.total("totals"), 2026)["total"].to_list() == [132000, 107000]


def _figures(**tables: pl.DataFrame) -> Figures:
    empty = {name: pl.DataFrame() for name in ("results", "components", "availability", "totals", "ledger")}
    return Figures(**{**empty, "shared_savings": pl.DataFrame(), **tables})


def _settlement(**values) -> dict:
    return {"variant": "v", "payer": "zv", "reinvested": 0, **values}


def test_shared_savings_are_summed_per_variant_and_payer():
    schema = {
        "variant": pl.String,
        "payer": pl.String,
        "benchmark": pl.Int64,
        "actual": pl.Int64,
        "savings": pl.Int64,
        "savings_rate": pl.Int64,
        "eligible": pl.Boolean,
        "outcome": pl.String,
        "reason": pl.String,
        "payout": pl.Int64,
        "reinvested": pl.Int64,
        "recipients": pl.List(pl.Struct({"party": pl.String, "amount": pl.Int64})),
    }
    a = pl.DataFrame(
        [
            _settlement(
                benchmark=100000,
                actual=90000,
                savings=10000,
                savings_rate=1000,
                eligible=True,
                outcome="payout",
                reason="savings",
                payout=5000,
                recipients=[{"party": "vk", "amount": 5000}],
            )
        ],
        schema=schema,
    )
    b = pl.DataFrame(
        [
            _settlement(
                benchmark=300000,
                actual=240000,
                savings=60000,
                savings_rate=2000,
                eligible=False,
                outcome="none",
                reason="below_msr",
                payout=0,
                recipients=[{"party": "zh", "amount": 0}, {"party": "vk", "amount": 0}],
            )
        ],
        schema=schema,
    )
    total = combine([("a", _figures(shared_savings=a)), ("b", _figures(shared_savings=b))]).total(
        "shared_savings"
    )
    (row,) = total.iter_rows(named=True)
    # 70000 / 400000 = 17.5 %: the rate of the sums, not the sum or mean of the rates.
    assert row == {
        "variant": "v",
        "payer": "zv",
        "benchmark": 400000,
        "actual": 330000,
        "savings": 70000,
        "savings_rate": 1750,
        "eligible": True,
        "outcome": None,  # the two settlements disagree: no one outcome for the sum
        "reason": None,
        "payout": 5000,
        "reinvested": 0,
        "recipients": [{"party": "vk", "amount": 5000}, {"party": "zh", "amount": 0}],
        "n_eligible": 1,
        "n_settlements": 2,
    }


def test_party_sums_and_the_change_of_total_spend():
    results = pl.DataFrame(
        {
            "variant": ["m", "m", "h", "h"],
            "party": ["a", "b"] * 2,
            "net": [-5, 5, -3, 4],
            "delta": [0, 0, 2, -1],
        }
    )
    assert rows(party_sums(results), "variant", "net", "delta") == [("m", 0, 0), ("h", 1, 1)]
    totals = pl.DataFrame({"variant": ["m", "h"], "total": [1000, 750]})
    assert rows(spend_change(totals, "m"), "variant", "total", "change") == [("m", 1000, 0), ("h", 750, -250)]
    assert spend_change(totals, "other")["change"].to_list() == [None, None]


def test_node_amounts_are_what_a_payer_pays_and_the_others_receive():
    roles = {"zv": "payer", "igo": "network", "vk": "provider"}
    column, drawn, _ = flow_picture([("zv", "igo", 1000), ("igo", "vk", 600), ("zv", "vk", 50)], roles)
    assert node_amounts(drawn, column) == {"zv": 1050, "igo": 1000, "vk": 650}


def test_a_network_that_receives_nothing_drawn_shows_what_it_passes_on():
    """Found by the names fuzz (tests/test_fuzz.py): a network paying providers out of money
    that is not drawn (it came from a provider) had no amount, and `report` a KeyError."""
    roles = {"zv": "payer", "vsv": "network", "vk": "provider", "kz": "provider"}
    flows = [("zv", "vk", 50), ("kz", "vsv", 40), ("vsv", "vk", 30)]  # kz pays onward: the middle
    column, drawn, _ = flow_picture(flows, roles)
    assert column["vsv"] == column["kz"] == 1 and drawn == [("zv", "vk", 50), ("vsv", "vk", 30)]
    assert node_amounts(drawn, column) == {"zv": 50, "vsv": 30, "vk": 80}
